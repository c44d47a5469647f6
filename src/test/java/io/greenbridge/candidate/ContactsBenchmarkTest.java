package io.greenbridge.candidate;

import static io.greenbridge.bench.BenchReport.round;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.greenbridge.bench.BenchLimits;
import io.greenbridge.bench.BenchReport;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.GreenhouseSimulator;
import io.greenbridge.sync.SyncSummary;

/**
 * Benchmarks at the benchmark limits ({@link BenchLimits}: Harvest 75 per 30 s, Beamery 40/s by default): a
 * backlog of webhooks for new candidates, each delivered twice (default 300, -Dbench.contacts.candidates=N) and the backfill of candidates (default
 * 1,000, -Dbench.contacts.backfill=N), each timed beside the floor of the slower API for the requests made.
 * Writes target/bench/contacts-webhooks.json and target/bench/contacts-backfill.json.
 */
@Tag("bench")
class ContactsBenchmarkTest extends ContactsTestSupport {
    private static final String INBOX_ROUTE = "greenhouse-inbox-worker";
    @Autowired
    HarvestClient harvest;
    @Autowired
    CandidateBackfill backfill;
    @Autowired
    org.apache.camel.CamelContext camel;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        BenchLimits.register(registry);
    }

    @BeforeEach
    void realLimits() {
        BenchLimits.apply(GREENHOUSE, BEAMERY);
    }

    @AfterEach
    void restoreSimulatorDefaults() {
        BenchLimits.restore(GREENHOUSE, BEAMERY);
    }

    /**
     * The operator's backlog at the documented limits: new candidates, one new_candidate_application each,
     * every webhook delivered twice (Greenhouse re-sends), all accepted while the inbox worker is stopped, then
     * drained. The floor is the slower API for the requests made: Beamery at 40/s, Harvest at 75 per 30 s.
     */
    @Test
    void webhookBacklog() throws Exception {
        int candidates = Integer.getInteger("bench.contacts.candidates", 300);
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
        new BenchReport("contacts-webhooks")
                .put("candidates", candidates)
                .put("deliveries", backlog.size() * 2)
                .put("events", events)
                .put("harvestLimit", BenchLimits.harvestLimit())
                .put("beameryLimit", BenchLimits.beameryLimit())
                .put("seconds", seconds, BenchLimits.floor(harvestLog.size(), beameryLog.size()))
                .put("eventsPerSecond", round(events / seconds))
                .put("harvestRequests", harvestLog.size())
                .put("harvestRequestsPerEvent", round((double) harvestLog.size() / events))
                .put("harvestRequestsByPath", harvestByPath)
                .put("harvest429s", harvest429)
                .put("beameryRequests", beameryLog.size())
                .put("beameryRequestsPerEvent", round((double) beameryLog.size() / events))
                .put("beameryReadsPerEvent", round((double) beameryReads / events))
                .put("beamery429s", beameryLog.stream().filter(r -> r.status() == 429).count())
                .put("beameryMaxInAnySecond", BEAMERY.maxRequestsInAnyWindow())
                .put("p50LatencyMs", percentile(latencies, 50))
                .put("p99LatencyMs", percentile(latencies, 99))
                .put("p50SinceWorkerStartMs", percentile(sinceStart, 50))
                .put("p99SinceWorkerStartMs", percentile(sinceStart, 99))
                .put("dead", jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE id > ? AND status = 'dead'", Long.class, firstId))
                .publish();
    }


    @Test
    void backfill() throws Exception {
        int candidates = Integer.getInteger("bench.contacts.backfill", 1_000);
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
        long harvestRequests = harvest.requestCount() - harvestBefore;
        new BenchReport("contacts-backfill")
                .put("candidates", candidates)
                .put("created", summary.created.get())
                .put("harvestLimit", BenchLimits.harvestLimit())
                .put("beameryLimit", BenchLimits.beameryLimit())
                .put("seconds", seconds, BenchLimits.floor(harvestRequests, beamery))
                .put("beameryRequests", beamery)
                .put("harvestRequests", harvestRequests)
                .put("peakHeapMb", peakHeap.get() / (1024 * 1024))
                .publish();
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
