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
import io.greenbridge.sync.SyncSummary;

/**
 * Benchmarks against the sandbox Beamery's 40 requests/s: a backlog of webhook events (default 10,000,
 * -Dbench.contacts.events=N) and the backfill of candidates (default 50,000, -Dbench.contacts.backfill=N).
 * Writes target/bench/contacts-webhooks.json and target/bench/contacts-backfill.json.
 */
@Tag("bench")
class ContactsBenchmarkTest extends ContactsTestSupport {
    private static final int BEAMERY_RPS = 40;
    @Autowired
    HarvestClient harvest;
    @Autowired
    CandidateBackfill backfill;

    @Test
    void webhookBacklog() throws Exception {
        int events = Integer.getInteger("bench.contacts.events", 2_000);
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("events", backlog.size());
        out.put("seconds", round(seconds));
        out.put("eventsPerSecond", round(backlog.size() / seconds));
        out.put("beameryRequests", beamery);
        out.put("beameryRequestsPerEvent", round((double) beamery / backlog.size()));
        out.put("harvestRequestsPerEvent", round((double) (harvest.requestCount() - harvestBefore) / backlog.size()));
        out.put("p50LatencyMs", percentile(latencies, 50));
        out.put("p99LatencyMs", percentile(latencies, 99));
        out.put("dead", jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE id > ? AND status = 'dead'", Long.class, firstId));
        write("contacts-webhooks", out);
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
