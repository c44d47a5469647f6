package io.greenbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

import com.zaxxer.hikari.HikariDataSource;

import io.greenbridge.inbox.InboxEvent;
import io.greenbridge.inbox.InboxStore;
import io.greenbridge.store.PostgresAvailable;

/**
 * Claim latency and intake throughput of the inbox with 0 and with 1,000,000 done rows (and their dedupe keys) in
 * it, on an H2 file and, when reachable, PostgreSQL: the claim reads only open rows, so both should stay flat.
 * Store level (InboxStore.accept / claim / markDone on a Hikari pool), the same statements the webhook intake and
 * the workers run.
 */
@Tag("bench")
class InboxLargeBenchmark {
    static final int DONE_ROWS = Integer.getInteger("bench.inbox.done-rows", 1_000_000);
    static final int EVENTS = Integer.getInteger("bench.inbox.events", 3000);
    static final int CLIENTS = 4;
    static final int BATCH = 50;

    @Test
    void claimAndIntakeStayFlatWithAMillionDoneRows() throws Exception {
        Map<String, Object> all = new LinkedHashMap<>();
        Path dir = Files.createTempDirectory("gb-inbox-large");
        all.putAll(measure("h2", "jdbc:h2:file:" + dir.resolve("gb") + ";WRITE_DELAY=0", "sa", "h2"));
        if (PostgresAvailable.reachable()) {
            String url = PostgresAvailable.createDatabase();
            try {
                all.putAll(measure("postgresql", url, PostgresAvailable.user(), "postgresql"));
            } finally {
                PostgresAvailable.dropDatabase(url);
            }
        }
        BenchReport report = new BenchReport("inbox-large").put("done rows", DONE_ROWS).put("events per run", EVENTS);
        all.forEach(report::put);
        report.publish();
    }

    Map<String, Object> measure(String name, String url, String user, String vendor) throws Exception {
        try (HikariDataSource ds = new HikariDataSource()) {
            ds.setJdbcUrl(url);
            ds.setUsername(user);
            ds.setPassword("");
            ds.setMaximumPoolSize(8);
            Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
                    .load().migrate();
            InboxStore inbox = new InboxStore(ds, new DataSourceTransactionManager(ds));
            Map<String, Object> out = new LinkedHashMap<>();
            run(inbox, "warm-up", new LinkedHashMap<>(), ""); // JIT and pool warm, its figures dropped
            run(inbox, "empty", out, name + " " + EVENTS + " done (warm-up): ");
            long fillStart = System.nanoTime();
            fill(new JdbcTemplate(ds), vendor);
            String large = String.format("%,d", DONE_ROWS);
            out.put(name + " fill " + large + " done rows s", Math.round((System.nanoTime() - fillStart) / 1e7) / 100.0);
            run(inbox, "large", out, name + " " + large + " done: ");
            return out;
        }
    }

    void run(InboxStore inbox, String tag, Map<String, Object> out, String prefix) throws Exception {
        // intake: CLIENTS threads accepting EVENTS events of EVENTS / 4 candidates
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        long started = System.nanoTime();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < CLIENTS; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < EVENTS; i = next.getAndIncrement()) {
                    String id = tag + "-" + i;
                    int candidate = i % (EVENTS / 4);
                    inbox.accept(id, "content:" + id, "update_candidate", String.valueOf(candidate),
                            "candidate:" + candidate, "{\"action\":\"update_candidate\"}", false);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double intakePerSecond = EVENTS / ((System.nanoTime() - started) / 1e9);
        pool.shutdown();

        // claims: one worker claiming batches and marking them done until the inbox is empty
        List<Long> latencies = new ArrayList<>();
        int done = 0;
        while (done < EVENTS) {
            long t0 = System.nanoTime();
            List<InboxEvent> batch = inbox.claim("bench-node", BATCH);
            latencies.add(System.nanoTime() - t0);
            assertThat(batch).as("claimable events left").isNotEmpty();
            for (InboxEvent e : batch) {
                inbox.markDone(e.id(), "bench-node");
            }
            done += batch.size();
        }
        long[] nanos = latencies.stream().mapToLong(Long::longValue).toArray();
        out.put(prefix + "intake events/s", Math.round(intakePerSecond));
        out.put(prefix + "claim p50 ms", BenchReport.percentileMillis(nanos, 0.50));
        out.put(prefix + "claim p99 ms", BenchReport.percentileMillis(nanos, 0.99));
        out.put(prefix + "claims", nanos.length);
    }

    /**
     * DONE_ROWS done events over 100,000 candidates, with their two dedupe keys each. Their ids are given (the identity
     * would commit every 32 values) and the identity then moves past them, so new events come after the old ones.
     */
    static void fill(JdbcTemplate jdbc, String vendor) {
        boolean h2 = vendor.equals("h2");
        long base = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM webhook_inbox", Long.class) + 1;
        String rows = h2 ? "SYSTEM_RANGE(1, " + DONE_ROWS + ") r(x)" : "generate_series(1, " + DONE_ROWS + ") AS r(x)";
        String x = "CAST(x AS VARCHAR(20))";
        String candidate = "CAST(MOD(x, 100000) AS VARCHAR(20))";
        jdbc.execute("INSERT INTO webhook_inbox (id, event_id, dedupe_key, action, entity_id, partition_key, payload,"
                + " status, attempts, next_attempt_at, received_at, processed_at) SELECT " + base + " + x, 'old-' || " + x
                + ", 'old-content:' || " + x + ", 'update_candidate', " + candidate + ", 'candidate:' || " + candidate
                + ", '{}', 'done', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM " + rows);
        long next = base + DONE_ROWS + 1;
        jdbc.execute(h2 ? "ALTER TABLE webhook_inbox ALTER COLUMN id RESTART WITH " + next
                : "SELECT setval(pg_get_serial_sequence('webhook_inbox', 'id'), " + next + ")");
        jdbc.execute("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) SELECT"
                + " 'greenhouse-webhooks', 'event:old-' || " + x + ", CURRENT_TIMESTAMP FROM " + rows);
        jdbc.execute("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) SELECT"
                + " 'greenhouse-webhooks', 'old-content:' || " + x + ", CURRENT_TIMESTAMP FROM " + rows);
        if (!h2) {
            jdbc.execute("ANALYZE");
        }
    }
}
