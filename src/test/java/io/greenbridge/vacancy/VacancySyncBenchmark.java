package io.greenbridge.vacancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.bench.BenchReport;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.sync.SyncSummary;

/**
 * {@code make bench}: 5,000 Greenhouse jobs synced to Beamery with Harvest limited to 50 requests per 10 s.
 * Reports Harvest requests, elapsed time and the time over the Harvest floor (requests ÷ 5 per second); Beamery's
 * writes (40 per second) are reported too, since they, not Harvest, bound the elapsed time of a first sync.
 */
@Tag("bench")
class VacancySyncBenchmark extends SandboxTest {
    private static final int JOBS = 5_000;
    private static final int LIMIT = 50;
    private static final Duration WINDOW = Duration.ofSeconds(10);

    @Autowired
    VacancySync vacancies;
    @Autowired
    HarvestClient harvest;
    @Autowired
    BeameryClient beamery;

    @Test
    void syncsFiveThousandJobsNearTheHarvestRateLimitFloor() throws Exception {
        GREENHOUSE.store().seedJobs(JOBS);
        GREENHOUSE.setRateLimit(LIMIT, WINDOW);
        GREENHOUSE.clearRequests();
        long harvestBefore = harvest.requestCount();
        long beameryBefore = beamery.requestCount();
        SyncSummary summary = new SyncSummary();

        long started = System.nanoTime();
        vacancies.run(summary);
        double elapsed = (System.nanoTime() - started) / 1e9;

        long harvestRequests = harvest.requestCount() - harvestBefore;
        long beameryRequests = beamery.requestCount() - beameryBefore;
        double harvestRate = LIMIT / (double) WINDOW.toSeconds();
        double harvestFloor = harvestRequests / harvestRate;
        double beameryFloor = beameryRequests / 40.0;
        Map<String, Long> byPath = new TreeMap<>();
        GREENHOUSE.requests().forEach(r -> byPath.merge(r.path(), 1L, Long::sum));

        new BenchReport("vacancy-sync")
                .put("jobs", JOBS)
                .put("harvestLimit", LIMIT + " per " + WINDOW.toSeconds() + " s")
                .put("harvestRequests", harvestRequests)
                .put("harvestRequestsByPath", byPath)
                .put("harvest429", GREENHOUSE.countStatus(429))
                .put("elapsedSeconds", round(elapsed))
                .put("harvestFloorSeconds", round(harvestFloor))
                .put("overHarvestFloorSeconds", round(elapsed - harvestFloor))
                .put("beameryRequests", beameryRequests)
                .put("beameryFloorSeconds", round(beameryFloor))
                .put("overSlowerFloorSeconds", round(elapsed - Math.max(harvestFloor, beameryFloor)))
                .put("relatedRequestsIfBatchedByJobIds", JobRelations.batchedCost(JOBS))
                .put("created", summary.created.get())
                .put("failed", summary.failed.get())
                .publish();

        assertThat(summary.failed.get()).isZero();
        assertThat(summary.created.get()).isGreaterThanOrEqualTo(JOBS);
    }

    private static double round(double seconds) {
        return Math.round(seconds * 10) / 10.0;
    }
}
