package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
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

import io.greenbridge.greenhouse.WebhookSignature;

/**
 * kill -9 in the middle of a burst of webhooks: every event answered 200 is processed after the restart,
 * Greenhouse's retries of the unanswered ones are stored once, and each candidate ends on its latest event.
 */
class CrashRecoveryTest {
    static final int CANDIDATES = 24;
    static final int EVENTS_EACH = 10;
    static final String SECRET = "test-webhook-secret";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Process process;

    @AfterEach
    void stop() {
        if (process != null) {
            process.destroyForcibly();
        }
    }

    @Test
    void killDuringABurstLosesNothingAndAppliesNothingTwice() throws Exception {
        Path dir = Files.createTempDirectory("gb-crash");
        String dbUrl = "jdbc:h2:file:" + dir.resolve("gb") + ";AUTO_SERVER=TRUE";
        int port = freePort();
        process = start(dbUrl, port, dir.resolve("run1.log"));
        awaitUp(port);

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
        process.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks, no graceful drain
        senders.shutdown();
        senders.awaitTermination(60, TimeUnit.SECONDS);
        assertThat(acknowledged).isNotEmpty();
        assertThat(unacknowledged).as("the kill landed mid-burst").isNotEmpty();

        process = start(dbUrl, port, dir.resolve("run2.log"));
        awaitUp(port);
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
        try (Connection db = DriverManager.getConnection(dbUrl, "sa", "")) {
            while (System.nanoTime() < deadline && count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')") > 0) {
                Thread.sleep(200);
            }
            assertThat(count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')")).isZero();
            assertThat(count(db, "SELECT COUNT(*) FROM webhook_inbox")).isEqualTo(CANDIDATES * EVENTS_EACH);
            assertThat(count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'")).isEqualTo(CANDIDATES * EVENTS_EACH);
            assertThat(count(db, "SELECT COUNT(*) FROM crash_sink")).isEqualTo(CANDIDATES);
            assertThat(count(db, "SELECT COUNT(*) FROM crash_sink WHERE seq = " + EVENTS_EACH)).isEqualTo(CANDIDATES);
            // each event is applied once, plus at most the one in flight per worker when the kill landed
            long applied = count(db, "SELECT SUM(applied) FROM crash_sink");
            assertThat(applied).isBetween((long) CANDIDATES * EVENTS_EACH, (long) CANDIDATES * EVENTS_EACH + 4);
        }
    }

    static long count(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    int send(int port, int candidate, int seq) {
        String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + (5000 + candidate)
                + ",\"first_name\":\"seq-" + seq + "\",\"last_name\":\"Crash\"}}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Signature", WebhookSignature.sign(bytes, SECRET))
                    .header("Greenhouse-Event-ID", "crash-" + candidate + "-" + seq)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    Process start(String dbUrl, int port, Path log) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx384m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "-Dspring.profiles.active=test", "-Dserver.port=" + port, "-Dspring.datasource.url=" + dbUrl,
                "-Dgreenbridge.inbox.dispatch-uri=direct:crash-sink", "-Dgreenbridge.inbox.claim-lease=3s",
                "-Dgreenbridge.inbox.poll-interval=20ms",
                CrashSinkApplication.class.getName())
                .directory(new File(System.getProperty("user.dir")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    void awaitUp(int port) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("Greenbridge process is running").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health/liveness")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (Exception e) {
                // not up yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("Greenbridge did not start within 90 s");
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
