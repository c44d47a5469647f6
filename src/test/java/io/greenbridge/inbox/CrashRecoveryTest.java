package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.greenbridge.sandbox.GreenbridgeProcess;

/**
 * kill -9 in the middle of a burst of webhooks: every event answered 200 is processed after the restart,
 * Greenhouse's retries of the unanswered ones are stored once, and each candidate ends on its latest event.
 */
class CrashRecoveryTest {
    static final int CANDIDATES = 24;
    static final int EVENTS_EACH = 10;

    final CrashTraffic traffic = new CrashTraffic();
    GreenbridgeProcess process;

    @AfterEach
    void stop() throws Exception {
        if (process != null) {
            process.kill();
        }
    }

    @Test
    void killDuringABurstLosesNothingAndAppliesNothingTwice() throws Exception {
        Path dir = Files.createTempDirectory("gb-crash");
        // no AUTO_SERVER: the running node is watched through its HTTP API, the file read only after it stopped
        String dbUrl = "jdbc:h2:file:" + dir.resolve("gb");
        int port = GreenbridgeProcess.freePort();
        process = start(dbUrl, port, dir.resolve("run1.log"));

        Map<String, Integer> acknowledged = new ConcurrentHashMap<>(); // event key -> status
        Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sent = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(CANDIDATES * EVENTS_EACH / 2);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            senders.submit(() -> {
                // each candidate's events come from one sender, in order, as Greenhouse emits them
                for (int seq = 1; seq <= EVENTS_EACH; seq++) {
                    for (int c = thread; c < CANDIDATES; c += 4) {
                        String key = c + ":" + seq;
                        int status = send(port, c, seq);
                        sent.incrementAndGet();
                        if (status == 200) {
                            acknowledged.put(key, status);
                        } else {
                            unacknowledged.add(key);
                        }
                        halfway.countDown();
                    }
                }
                return null;
            });
        }
        halfway.await(60, TimeUnit.SECONDS);
        process.kill(); // SIGKILL: no shutdown hooks, no graceful drain
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        assertThat(acknowledged).isNotEmpty();
        assertThat(unacknowledged).as("the kill landed mid-burst").isNotEmpty();

        long restarted = System.nanoTime();
        process = start(dbUrl, port, dir.resolve("run2.log"));
        // Greenhouse retries what it did not see answered with 200, in order per candidate
        List<String> retries = new ArrayList<>(unacknowledged);
        retries.sort((a, b) -> Integer.compare(Integer.parseInt(a.split(":")[1]), Integer.parseInt(b.split(":")[1])));
        for (String key : retries) {
            String[] p = key.split(":");
            assertThat(send(port, Integer.parseInt(p[0]), Integer.parseInt(p[1]))).isEqualTo(200);
        }
        // and some redeliveries of events it had already seen
        for (int c = 0; c < CANDIDATES; c += 3) {
            assertThat(send(port, c, 1)).isEqualTo(200);
        }

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline && traffic.unfinished(port) > 0) {
            Thread.sleep(200);
        }
        assertThat(traffic.unfinished(port)).isZero();
        System.out.printf("one node: everything acknowledged applied %d ms after the restart began (start-up included)%n",
                (System.nanoTime() - restarted) / 1_000_000);
        process.close();
        try (Connection db = DriverManager.getConnection(dbUrl, "sa", "")) {
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')")).isZero();
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox")).isEqualTo(CANDIDATES * EVENTS_EACH);
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'")).isEqualTo(CANDIDATES * EVENTS_EACH);
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM crash_sink")).isEqualTo(CANDIDATES);
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM crash_sink WHERE seq = " + EVENTS_EACH)).isEqualTo(CANDIDATES);
            // each event is applied once, plus at most the one in flight per worker when the kill landed
            long applied = CrashTraffic.count(db, "SELECT SUM(applied) FROM crash_sink");
            assertThat(applied).isBetween((long) CANDIDATES * EVENTS_EACH, (long) CANDIDATES * EVENTS_EACH + 4);
        }
    }

    int send(int port, int candidate, int seq) {
        return traffic.send(port, 5000 + candidate, seq, "crash-" + candidate + "-" + seq);
    }

    GreenbridgeProcess start(String dbUrl, int port, Path log) throws Exception {
        GreenbridgeProcess p = GreenbridgeProcess.start(CrashSinkApplication.class.getName(), port, Map.of(
                "spring.datasource.url", dbUrl, "greenbridge.inbox.dispatch-uri", "direct:crash-sink",
                "greenbridge.inbox.poll-interval", "20ms"),
                log, "-Xmx384m", "-XX:TieredStopAtLevel=1");
        p.awaitUp(Duration.ofSeconds(90));
        return p;
    }
}
