package io.greenbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import io.greenbridge.inbox.CrashSinkApplication;
import io.greenbridge.inbox.CrashTraffic;
import io.greenbridge.sandbox.GreenbridgeProcess;
import io.greenbridge.store.PostgresAvailable;

/**
 * Two Greenbridge processes on one PostgreSQL database, a webhook burst spread over both, one node killed with
 * kill -9 mid-burst and Greenhouse re-sending what it did not see acknowledged to the survivor: every candidate ends
 * with exactly one contact on its latest event, nothing is stored or applied twice, the clustered schedule ran once
 * per tick across the cluster, and the survivor applied every acknowledged event within 15 s of the kill.
 */
class TwoNodeCrashTest {
    static final int CANDIDATES = 150;
    static final int EVENTS_EACH = 2;
    static final int KILL_AFTER_ACKS = 220;
    static final int WORKERS = 4;

    final CrashTraffic traffic = new CrashTraffic();
    final List<GreenbridgeProcess> nodes = new ArrayList<>();
    String dbUrl;

    @AfterEach
    void stop() throws Exception {
        for (GreenbridgeProcess p : nodes) {
            p.kill();
        }
        if (dbUrl != null) {
            PostgresAvailable.dropDatabase(dbUrl);
        }
    }

    @Test
    void killOneOfTwoNodesMidBurstLosesAndDoublesNothingAndTheSurvivorTakesOverInSeconds() throws Exception {
        assumeTrue(PostgresAvailable.reachable(), "PostgreSQL at 127.0.0.1:5432 (CI starts it)");
        dbUrl = PostgresAvailable.createDatabase();
        Path dir = Files.createTempDirectory("gb-two-nodes");
        int portA = GreenbridgeProcess.freePort();
        int portB = GreenbridgeProcess.freePort();
        // the schema is migrated by one node first: two Flyway runs on an empty database would race
        GreenbridgeProcess a = start(portA, dir.resolve("node-a.log"));
        a.awaitUp(Duration.ofSeconds(90));
        GreenbridgeProcess b = start(portB, dir.resolve("node-b.log"));
        b.awaitUp(Duration.ofSeconds(90));
        JdbcTemplate db = new JdbcTemplate(new DriverManagerDataSource(dbUrl, PostgresAvailable.user(), ""));

        Map<String, Long> ackedAt = new ConcurrentHashMap<>(); // event id -> when its 200 arrived
        Set<String> unacknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch killPoint = new CountDownLatch(KILL_AFTER_ACKS);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        for (int t = 0; t < 4; t++) {
            int thread = t;
            senders.submit(() -> {
                // each candidate's events come from one sender, in order; even candidates go to node A, odd to B
                for (int seq = 1; seq <= EVENTS_EACH; seq++) {
                    for (int c = thread; c < CANDIDATES; c += 4) {
                        int port = c % 2 == 0 ? portA : portB;
                        if (send(port, c, seq) == 200) {
                            ackedAt.put(eventId(c, seq), System.nanoTime());
                            killPoint.countDown();
                        } else {
                            unacknowledged.add(c + ":" + seq);
                        }
                    }
                }
                return null;
            });
        }
        assertThat(killPoint.await(60, TimeUnit.SECONDS)).as("acknowledgements before the kill").isTrue();
        long killedAt = System.nanoTime();
        a.kill(); // SIGKILL: no shutdown hooks, no drain, its claims left behind
        long dead = System.nanoTime();
        // every 200 that arrived before the kill returned (node A's included) is an acknowledged event
        Set<String> ackedBeforeKill = new java.util.HashSet<>();
        ackedAt.forEach((id, at) -> {
            if (at < dead) {
                ackedBeforeKill.add(id);
            }
        });
        senders.shutdown();
        assertThat(senders.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        assertThat(unacknowledged).as("the kill landed mid-burst").isNotEmpty();

        // Greenhouse re-sends what it did not see answered with 200 to the node still up, in order per candidate
        List<String> retries = new ArrayList<>(unacknowledged);
        retries.sort((x, y) -> Integer.compare(Integer.parseInt(x.split(":")[1]), Integer.parseInt(y.split(":")[1])));
        for (String key : retries) {
            String[] p = key.split(":");
            assertThat(send(portB, Integer.parseInt(p[0]), Integer.parseInt(p[1]))).isEqualTo(200);
        }

        // every event acknowledged before the kill, including those node A had claimed, is applied by node B
        long deadline = killedAt + Duration.ofSeconds(15).toNanos();
        long open = openAmong(db, ackedBeforeKill);
        while (open > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
            open = openAmong(db, ackedBeforeKill);
        }
        long recoveredMillis = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.printf("two nodes: %d events acknowledged before the kill all applied %d ms after it%n",
                ackedBeforeKill.size(), recoveredMillis);
        assertThat(open).as("acknowledged events still open 15 s after the kill").isZero();

        long allDeadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < allDeadline && unfinished(db) > 0) {
            Thread.sleep(100);
        }
        assertThat(unfinished(db)).isZero();
        int total = CANDIDATES * EVENTS_EACH;
        assertThat(count(db, "SELECT COUNT(*) FROM webhook_inbox")).as("each event stored once").isEqualTo(total);
        assertThat(count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'")).isEqualTo(total);
        assertThat(db.queryForList("SELECT entity FROM crash_sink GROUP BY entity HAVING COUNT(*) > 1", String.class))
                .as("candidates with two contacts").isEmpty();
        assertThat(count(db, "SELECT COUNT(*) FROM crash_sink")).as("one contact per candidate").isEqualTo(CANDIDATES);
        assertThat(count(db, "SELECT COUNT(*) FROM crash_sink WHERE seq = " + EVENTS_EACH)).isEqualTo(CANDIDATES);
        // each event applied once, plus at most what node A was running when it died
        assertThat(count(db, "SELECT SUM(applied) FROM crash_sink")).isBetween((long) total, (long) total + WORKERS);
        assertThat(count(db, "SELECT COUNT(*) FROM candidate_claims")).as("claims left behind").isZero();

        // the clustered schedule: each fire time ran on one node only, and the survivor carried on after the kill
        assertThat(db.queryForList("SELECT fire_time FROM crash_ticks GROUP BY fire_time HAVING COUNT(*) > 1",
                Timestamp.class)).as("ticks run twice").isEmpty();
        assertThat(count(db, "SELECT COUNT(DISTINCT node) FROM crash_ticks")).isGreaterThanOrEqualTo(1);
        // the survivor found node A dead by its missed check-ins (6 s) and released what it held
        long noticeDeadline = killedAt + Duration.ofSeconds(15).toNanos();
        while (count(db, "SELECT COUNT(*) FROM cluster_nodes") > 1 && System.nanoTime() < noticeDeadline) {
            Thread.sleep(100);
        }
        assertThat(count(db, "SELECT COUNT(*) FROM cluster_nodes")).as("nodes left registered").isEqualTo(1);
        assertThat(Files.readString(dir.resolve("node-b.log"))).contains("is gone (missed 3 check-ins)");
    }

    GreenbridgeProcess start(int port, Path log) throws Exception {
        GreenbridgeProcess p = GreenbridgeProcess.start(CrashSinkApplication.class.getName(), port, Map.of(
                "spring.datasource.url", dbUrl, "spring.datasource.username", PostgresAvailable.user(),
                "spring.datasource.password", "", "greenbridge.inbox.dispatch-uri", "direct:crash-sink",
                "greenbridge.inbox.poll-interval", "20ms", "greenbridge.inbox.workers", String.valueOf(WORKERS),
                // slower than the burst: node A has a backlog and events running when it is killed
                "crash.sink.delay-ms", "50"),
                log, "-Xmx384m", "-XX:TieredStopAtLevel=1");
        nodes.add(p);
        return p;
    }

    static long openAmong(JdbcTemplate db, Set<String> eventIds) {
        return db.queryForList("SELECT event_id FROM webhook_inbox WHERE status <> 'done'", String.class).stream()
                .filter(eventIds::contains).count();
    }

    static long unfinished(JdbcTemplate db) {
        return count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending', 'processing')");
    }

    static long count(JdbcTemplate db, String sql) {
        Long n = db.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    static String eventId(int candidate, int seq) {
        return "two-nodes-" + candidate + "-" + seq;
    }

    int send(int port, int candidate, int seq) {
        return traffic.send(port, 7000 + candidate, seq, eventId(candidate, seq));
    }
}
