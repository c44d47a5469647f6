package io.greenbridge.candidate;

import static io.greenbridge.bench.BenchReport.round;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import io.greenbridge.sync.SyncSummary;

/**
 * Benchmarks at the benchmark limits ({@link BenchLimits}: Harvest 75 per 30 s, Beamery 40/s by default): a
 * backlog of webhook events (default 300, -Dbench.contacts.events=N) and the backfill of candidates (default
 * 1,000, -Dbench.contacts.backfill=N), each timed beside the floor of the slower API for the requests made.
 * Writes target/bench/contacts-webhooks.json and target/bench/contacts-backfill.json.
 */
@Tag("bench")
class ContactsBenchmarkTest extends ContactsTestSupport {
    @Autowired
    HarvestClient harvest;
    @Autowired
    CandidateBackfill backfill;

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

    @Test
    void webhookBacklog() throws Exception {
        int events = Integer.getInteger("bench.contacts.events", 300);
        int perCandidate = 5;
        long job = jobWithVacancy(unique("Bench webhooks"));
        List<String[]> backlog = new ArrayList<>();
        for (int i = 0; i < events / perCandidate; i++) {
            long c = candidate("Bench" + i, email("bench-webhook-" + i));
            long app = GH.apply(c, job);
            backlog.add(new String[] {"new_candidate_application", payloads.newCandidateApplication(app)});
            backlog.add(new String[] {"update_candidate", payloads.updateCandidate(c)});
            GH.move(app, null);
            backlog.add(new String[] {"candidate_stage_change", payloads.candidateStageChange(app)});
            backlog.add(new String[] {"application_updated", payloads.applicationUpdated(app)});
            GH.updateCandidate(c, x -> x.put("title", "Benchmarked"));
            backlog.add(new String[] {"update_candidate", payloads.updateCandidate(c)});
        }
        long firstId = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM webhook_inbox", Long.class);
        long beameryBefore = BEAMERY.requests().size();
        long harvestBefore = harvest.requestCount();
        int harvestLogMark = GREENHOUSE.requests().size();
        long started = System.nanoTime();
        for (String[] e : backlog) {
            deliver(e[0], e[1]);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofHours(2)).pollInterval(Duration.ofMillis(500)).until(() ->
                jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')", Integer.class) == 0);
        double seconds = (System.nanoTime() - started) / 1e9;
        List<Long> latencies = jdbc.queryForList("SELECT DATEDIFF('MILLISECOND', received_at, processed_at) FROM webhook_inbox"
                + " WHERE id > ? AND processed_at IS NOT NULL ORDER BY 1", Long.class, firstId);
        long beamery = BEAMERY.requests().size() - beameryBefore;
        long harvestRequests = harvest.requestCount() - harvestBefore;
        new BenchReport("contacts-webhooks")
                .put("events", backlog.size())
                .put("harvestLimit", BenchLimits.harvestLimit())
                .put("beameryLimit", BenchLimits.beameryLimit())
                .put("seconds", seconds, BenchLimits.floor(harvestRequests, beamery))
                .put("eventsPerSecond", round(backlog.size() / seconds))
                .put("harvestRequests", harvestRequests)
                .put("beameryRequests", beamery)
                .put("harvestRequestsPerEvent", round((double) harvestRequests / backlog.size()))
                .put("beameryRequestsPerEvent", round((double) beamery / backlog.size()))
                .put("harvest429s", GREENHOUSE.requests().stream().skip(harvestLogMark).filter(r -> r.status() == 429).count())
                .put("p50LatencyMs", percentile(latencies, 50))
                .put("p99LatencyMs", percentile(latencies, 99))
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
