package io.greenbridge.candidate;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.GreenhouseSimulator;
import io.greenbridge.sync.SyncSummary;

/**
 * Benchmarks at the documented limits: a backlog of webhooks for new candidates (default 300,
 * -Dbench.contacts.candidates=N) and the backfill of candidates (default 5,000, -Dbench.contacts.backfill=N).
 * Writes target/bench/contacts.json and target/bench/contacts-backfill.json.
 */
@Tag("bench")
class ContactsBenchmarkTest extends ContactsTestSupport {
    private static final int BEAMERY_RPS = 40;
    private static final int HARVEST_LIMIT = 75;
    private static final Duration HARVEST_WINDOW = Duration.ofSeconds(30);
    private static final String INBOX_ROUTE = "greenhouse-inbox-worker";
    @Autowired
    HarvestClient harvest;
    @Autowired
    CandidateBackfill backfill;
    @Autowired
    org.apache.camel.CamelContext camel;

    /**
     * The operator's backlog at the documented limits: new candidates, one new_candidate_application each,
     * every webhook delivered twice (Greenhouse re-sends), all accepted while the inbox worker is stopped, then
     * drained. The floor is the slower API for the requests made: Beamery at 40/s, Harvest at 75 per 30 s.
     */
    @Test
    void webhookBacklog() throws Exception {
        int candidates = Integer.getInteger("bench.contacts.candidates", 300);
        documentedLimits();
        long job = jobWithVacancy(unique("Bench webhooks"));
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < candidates; i++) {
            long c = candidate("Bench" + i, email("bench-webhook-" + i));
            backlog.add(payloads.newCandidateApplication(GH.apply(c, job)));
        }
        long firstId = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM webhook_inbox", Long.class);
        camel.getRouteController().stopRoute(INBOX_ROUTE);
        try {
            for (int round = 0; round < 2; round++) {
                for (String body : backlog) {
                    deliver("new_candidate_application", body);
                }
            }
        } finally {
            camel.getRouteController().startRoute(INBOX_ROUTE);
        }
        int beameryBefore = BEAMERY.requests().size();
        int harvestBefore = GREENHOUSE.requests().size();
        long started = System.nanoTime();
        java.sql.Timestamp workerStarted = java.sql.Timestamp.from(java.time.Instant.now());
        org.awaitility.Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(200)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')", Integer.class) == 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        long events = jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE id > ?", Long.class, firstId);
        // received → done (contact, vacancy, notes and files written in Beamery); the backlog's wait included
        List<Long> latencies = jdbc.queryForList("SELECT DATEDIFF('MILLISECOND', received_at, processed_at) FROM webhook_inbox"
                + " WHERE id > ? AND processed_at IS NOT NULL ORDER BY 1", Long.class, firstId);
        // worker start → done: what an event waits once the backlog is being worked off
        List<Long> sinceStart = jdbc.queryForList("SELECT DATEDIFF('MILLISECOND', ?, processed_at) FROM webhook_inbox"
                + " WHERE id > ? AND processed_at IS NOT NULL ORDER BY 1", Long.class, workerStarted, firstId);
        List<GreenhouseSimulator.Request> harvestLog = GREENHOUSE.requests().subList(harvestBefore, GREENHOUSE.requests().size());
        List<BeamerySimulator.LoggedRequest> beameryLog = BEAMERY.requests().subList(beameryBefore, BEAMERY.requests().size());
        long beameryReads = beameryLog.stream().filter(r -> r.method().equals("GET")).count();
        Map<String, Long> harvestByPath = new java.util.TreeMap<>();
        harvestLog.forEach(r -> harvestByPath.merge(r.path(), 1L, Long::sum));
        long harvest429 = harvestLog.stream().filter(r -> r.status() == 429).count();
        double beameryFloor = (double) beameryLog.size() / BEAMERY_RPS;
        // fixed windows: n requests need ceil(n / limit) windows, the last one only until its requests are sent
        double harvestFloor = Math.max(0, Math.ceil((double) harvestLog.size() / HARVEST_LIMIT) - 1) * HARVEST_WINDOW.toSeconds();
        double floor = Math.max(beameryFloor, harvestFloor);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidates", candidates);
        out.put("deliveries", backlog.size() * 2);
        out.put("events", events);
        out.put("limits", "Harvest " + HARVEST_LIMIT + " per " + HARVEST_WINDOW.toSeconds() + " s, Beamery " + BEAMERY_RPS + "/s");
        out.put("seconds", round(seconds));
        out.put("eventsPerSecond", round(events / seconds));
        out.put("harvestRequests", harvestLog.size());
        out.put("harvestRequestsPerEvent", round((double) harvestLog.size() / events));
        out.put("harvestRequestsByPath", harvestByPath);
        out.put("harvest429", harvest429);
        out.put("beameryRequests", beameryLog.size());
        out.put("beameryRequestsPerEvent", round((double) beameryLog.size() / events));
        out.put("beameryReadsPerEvent", round((double) beameryReads / events));
        out.put("beameryFloorSeconds", round(beameryFloor));
        out.put("harvestFloorSeconds", round(harvestFloor));
        out.put("timeOverFloor", round(seconds / floor));
        out.put("p50LatencyMs", percentile(latencies, 50));
        out.put("p99LatencyMs", percentile(latencies, 99));
        out.put("p50SinceWorkerStartMs", percentile(sinceStart, 50));
        out.put("p99SinceWorkerStartMs", percentile(sinceStart, 99));
        out.put("dead", jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE id > ? AND status = 'dead'", Long.class, firstId));
        write("contacts", out);
    }

    /** Harvest's documented fixed window (75 per 30 s, learnt from its headers) and Beamery's 40/s. */
    private static void documentedLimits() {
        GREENHOUSE.setRateLimit(HARVEST_LIMIT, HARVEST_WINDOW);
        BEAMERY.rateLimit(BEAMERY_RPS);
    }

    @Test
    void backfill() throws Exception {
        int candidates = Integer.getInteger("bench.contacts.backfill", 5_000);
        long job = jobWithVacancy(unique("Bench backfill"));
        for (int i = 0; i < candidates; i++) {
            long c = candidate("Backfill" + i, email("bench-backfill-" + i));
            GH.apply(c, job);
        }
        long beameryBefore = BEAMERY.requests().size();
        long harvestBefore = harvest.requestCount();
        AtomicLong peakHeap = new AtomicLong();
        Thread sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                peakHeap.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(200);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        sampler.start();
        SyncSummary summary = new SyncSummary();
        long started = System.nanoTime();
        backfill.run(summary);
        double seconds = (System.nanoTime() - started) / 1e9;
        sampler.interrupt();
        long beamery = BEAMERY.requests().size() - beameryBefore;
        double floor = (double) beamery / BEAMERY_RPS;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("candidates", candidates);
        out.put("created", summary.created.get());
        out.put("seconds", round(seconds));
        out.put("beameryRequests", beamery);
        out.put("harvestRequests", harvest.requestCount() - harvestBefore);
        out.put("floorSeconds", round(floor));
        out.put("timeOverFloor", round(seconds / floor));
        out.put("peakHeapMb", peakHeap.get() / (1024 * 1024));
        write("contacts-backfill", out);
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static void write(String name, Map<String, Object> figures) throws IOException {
        StringBuilder table = new StringBuilder("\n" + name + "\n");
        figures.forEach((k, v) -> table.append(String.format("  %-26s %s%n", k, v)));
        System.out.println(table);
        Path dir = Path.of("target/bench");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(name + ".json"), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(figures));
    }
}
