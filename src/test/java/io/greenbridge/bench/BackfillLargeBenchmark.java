package io.greenbridge.bench;

import static io.greenbridge.bench.BenchReport.round;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.GreenbridgeApplication;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.GreenbridgeProcess;
import io.greenbridge.sandbox.GreenhouseSimulator;

/**
 * The historic backfill of a large Greenhouse (50,000 candidates, {@code -Dbench.backfill.candidates=N}, each with one
 * application on a job that has a vacancy) by Greenbridge in its own JVM with a small heap ({@code -Xmx256m},
 * {@code -Dbench.backfill.xmx}), started as an operator does ({@code POST /api/sync/candidates}) against the simulators
 * at the benchmark limits ({@link BenchLimits}). Reports the run's time beside the floor of the slower API, the
 * child's heap (sampled from its actuator metrics) and the requests per candidate; every candidate must end with
 * exactly one Beamery contact. Writes target/bench/backfill-large.json.
 */
@Tag("bench")
class BackfillLargeBenchmark {
    private static final int CANDIDATES = Integer.getInteger("bench.backfill.candidates", 50_000);
    private static final String XMX = System.getProperty("bench.backfill.xmx", "256m");
    // extra JVM options for Greenbridge's process, e.g. -XX:StartFlightRecording=filename=backfill.jfr to profile it
    private static final String JVM_OPTIONS = System.getProperty("bench.backfill.jvm-options", "");
    private static final String TOKEN = "test-admin-token"; // application-test.yaml
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void backfillsEveryCandidateInASmallHeap() throws Exception {
        try (GreenhouseSimulator greenhouse = new GreenhouseSimulator(); BeamerySimulator beamery = new BeamerySimulator()) {
            beamery.addUser("owner@greenbridge.example", "Olive", "Owner", "admin"); // the vacancy flow's default owner
            long job = greenhouse.store().job("Backfill bench job").stages("Application Review", "Offer").create();
            long seedStarted = System.nanoTime();
            greenhouse.store().seedApplicants(job, CANDIDATES, "backfill-bench-");
            double seedSeconds = (System.nanoTime() - seedStarted) / 1e9;
            BenchLimits.apply(greenhouse, beamery);

            Path dir = Files.createTempDirectory("gb-backfill-bench");
            int port = GreenbridgeProcess.freePort();
            Map<String, String> props = Map.of(
                    // a file store, as in production: an in-memory H2 would hold every link inside the small heap
                    "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("gb"),
                    "greenbridge.greenhouse.harvest-url", greenhouse.baseUrl(),
                    "greenbridge.greenhouse.auth-url", greenhouse.baseUrl(),
                    "greenbridge.beamery.api-url", beamery.baseUrl(),
                    "greenbridge.beamery.requests-per-second", String.valueOf(BenchLimits.BEAMERY_RPS),
                    "logging.level.io.greenbridge", "WARN");
            try (GreenbridgeProcess gb = GreenbridgeProcess.start(GreenbridgeApplication.class.getName(), port, props,
                    dir.resolve("greenbridge.log"), jvmOptions())) {
                gb.awaitUp(Duration.ofSeconds(300));
                // the job's vacancy first, as an operator's first day does (reference data, then vacancies)
                post(gb, "/api/sync/reference?wait=true");
                post(gb, "/api/sync/vacancies?wait=true");
                assertThat(beamery.vacancies()).hasSize(1);

                BenchLimits.apply(greenhouse, beamery); // a fresh Harvest window for the measured run
                int harvestBefore = greenhouse.requests().size();
                int beameryBefore = beamery.requests().size();
                HeapSampler heap = new HeapSampler(gb);
                heap.start();
                String runId = JSON.readTree(post(gb, "/api/sync/candidates")).path("runId").asText();
                JsonNode run = awaitRun(gb, runId);
                heap.interrupt();
                heap.join();

                // the calls each rate limit counts (token requests have their own)
                List<GreenhouseSimulator.Request> harvestLog = greenhouse.requests().stream().skip(harvestBefore)
                        .filter(r -> r.path().startsWith("/v3/")).toList();
                List<BeamerySimulator.LoggedRequest> beameryLog = beamery.requests().stream().skip(beameryBefore)
                        .filter(r -> !r.path().equals("/oauth/token") && !r.path().equals("/auth")).toList();
                double seconds = Duration.between(Instant.parse(run.path("startedAt").asText()),
                        Instant.parse(run.path("finishedAt").asText())).toMillis() / 1000.0;
                Map<String, Long> harvestByPath = new TreeMap<>();
                harvestLog.forEach(r -> harvestByPath.merge(r.path(), 1L, Long::sum));
                Map<String, Long> beameryByCall = new TreeMap<>();
                beameryLog.forEach(r -> beameryByCall.merge(r.method() + " " + r.path().replaceAll("/[0-9a-f-]{36}", "/{id}"), 1L, Long::sum));
                Map<String, Integer> contactsPerCandidate = contactsByGreenhouseId(beamery);
                long withOne = contactsPerCandidate.values().stream().filter(n -> n == 1).count();

                new BenchReport("backfill-large")
                        .put("candidates", CANDIDATES)
                        .put("xmx", XMX)
                        .put("harvestLimit", BenchLimits.harvestLimit())
                        .put("beameryLimit", BenchLimits.beameryLimit())
                        .put("run", run.path("status").asText() + ": created " + run.path("created") + ", updated "
                                + run.path("updated") + ", skipped " + run.path("skipped") + ", failed " + run.path("failed"))
                        .put("seconds", seconds, BenchLimits.floor(harvestLog.size(), beameryLog.size()))
                        .put("candidatesPerSecond", round(CANDIDATES / seconds))
                        .put("harvestRequests", harvestLog.size())
                        .put("harvestRequestsPerCandidate", round((double) harvestLog.size() / CANDIDATES))
                        .put("harvestRequestsByPath", harvestByPath)
                        .put("harvest429s", harvestLog.stream().filter(r -> r.status() == 429).count())
                        .put("beameryRequests", beameryLog.size())
                        .put("beameryRequestsPerCandidate", round((double) beameryLog.size() / CANDIDATES))
                        .put("beameryRequestsByCall", beameryByCall)
                        .put("beamery429s", beameryLog.stream().filter(r -> r.status() == 429).count())
                        .put("peakHeapMb", heap.peakUsed.get() / (1024 * 1024))
                        .put("peakLiveHeapAfterGcMb", heap.peakLive.get() / (1024 * 1024))
                        .put("heapMaxMb", heap.max.get() / (1024 * 1024))
                        .put("heapSamples", heap.samples.get())
                        .put("candidatesWithOneContact", withOne)
                        .put("seedSeconds", round(seedSeconds))
                        .publish();

                assertThat(run.path("status").asText()).isEqualTo("succeeded");
                assertThat(run.path("failed").asLong()).isZero();
                assertThat(heap.samples.get()).as("heap samples").isPositive();
                assertThat(contactsPerCandidate).hasSize(CANDIDATES);
                assertThat(withOne).as("candidates with exactly one contact").isEqualTo(CANDIDATES);
                assertThat(Files.readString(dir.resolve("greenbridge.log"))).doesNotContain("OutOfMemoryError");
            }
        }
    }

    private static String[] jvmOptions() {
        List<String> options = new java.util.ArrayList<>(List.of("-Xmx" + XMX));
        if (!JVM_OPTIONS.isBlank()) {
            options.addAll(List.of(JVM_OPTIONS.trim().split("\\s+")));
        }
        return options.toArray(String[]::new);
    }

    /** Beamery contacts per Greenhouse candidate id they carry. */
    private static Map<String, Integer> contactsByGreenhouseId(BeamerySimulator beamery) {
        Map<String, Integer> out = new HashMap<>();
        for (ObjectNode c : beamery.contacts()) {
            String id = c.path("integrations").path("greenhouse").path("id").asText("");
            if (!id.isEmpty()) {
                out.merge(id, 1, Integer::sum);
            }
        }
        return out;
    }

    /** Polls GET /api/status until the run is no longer running; answers its description. */
    private JsonNode awaitRun(GreenbridgeProcess gb, String runId) throws Exception {
        long deadline = System.nanoTime() + Duration.ofHours(6).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode last = JSON.readTree(get(gb, "/api/status")).path("flows").path("candidates").path("lastRun");
            if (runId.equals(last.path("runId").asText()) && !last.path("finishedAt").isNull()
                    && !last.path("finishedAt").isMissingNode()) {
                return last;
            }
            Thread.sleep(1000);
        }
        throw new AssertionError("backfill run " + runId + " did not finish");
    }

    private String post(GreenbridgeProcess gb, String path) throws Exception {
        HttpResponse<String> r = http.send(request(gb, path).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s: %s", path, r.body()).isIn(200, 202);
        return r.body();
    }

    private String get(GreenbridgeProcess gb, String path) throws Exception {
        HttpResponse<String> r = http.send(request(gb, path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return r.body();
    }

    private static HttpRequest.Builder request(GreenbridgeProcess gb, String path) {
        return HttpRequest.newBuilder(URI.create(gb.baseUrl() + path)).timeout(Duration.ofMinutes(10))
                .header("Authorization", "Bearer " + TOKEN);
    }

    /**
     * Samples the child's heap from its actuator metrics twice a second: heap used (garbage included) and the live
     * data the last full or concurrent collection left in the old generation (what grows when a run holds on to data).
     */
    private final class HeapSampler extends Thread {
        final AtomicLong peakUsed = new AtomicLong();
        final AtomicLong peakLive = new AtomicLong();
        final AtomicLong max = new AtomicLong();
        final AtomicLong samples = new AtomicLong();
        private final GreenbridgeProcess gb;

        HeapSampler(GreenbridgeProcess gb) {
            super("heap-sampler");
            this.gb = gb;
        }

        @Override
        public void run() {
            while (!isInterrupted()) {
                try {
                    peakUsed.accumulateAndGet(metric("jvm.memory.used?tag=area:heap"), Math::max);
                    peakLive.accumulateAndGet(metric("jvm.gc.live.data.size"), Math::max);
                    max.set(metric("jvm.memory.max?tag=area:heap"));
                    samples.incrementAndGet();
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception | AssertionError e) {
                    // a sample missed under load; the next one counts
                }
            }
        }

        private long metric(String nameAndTags) throws Exception {
            JsonNode m = JSON.readTree(get(gb, "/actuator/metrics/" + nameAndTags));
            return (long) m.path("measurements").path(0).path("value").asDouble();
        }
    }
}
