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
 * {@code make bench}: Greenhouse jobs (5,000; {@code -Dbench.vacancies.jobs=N}) synced to Beamery with the
 * simulators at the documented limits: Harvest 75 requests per 30 s, Beamery 40 requests/s. The floor of each API
 * is its requests ÷ its limit; the run's ratio is elapsed ÷ the slower floor (target: <= 1.15). Beamery's writes,
 * not Harvest, bound a first sync.
 */
@Tag("bench")
class VacancySyncBenchmark extends SandboxTest {
    private static final int JOBS = Integer.getInteger("bench.vacancies.jobs", 5_000);
    private static final int LIMIT = 75;
    private static final Duration WINDOW = Duration.ofSeconds(30);
    private static final int BEAMERY_PER_SECOND = 40;

    @Autowired
    VacancySync vacancies;
    @Autowired
    HarvestClient harvest;
    @Autowired
    BeameryClient beamery;

    @Test
    void syncsFiveThousandJobsNearTheBeameryRateLimitFloor() throws Exception {
        GREENHOUSE.store().seedJobs(JOBS);
        GREENHOUSE.setRateLimit(LIMIT, WINDOW);
        BEAMERY.rateLimit(BEAMERY_PER_SECOND);
        GREENHOUSE.clearRequests();
        BEAMERY.clearRequestLog();
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
        double beameryFloor = beameryRequests / (double) BEAMERY_PER_SECOND;
        double floor = Math.max(harvestFloor, beameryFloor);
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
                .put("beameryLimit", BEAMERY_PER_SECOND + " per s")
                .put("beamery429", BEAMERY.requests().stream().filter(r -> r.status() == 429).count())
                .put("beameryMaxRequestsInAnySecond", BEAMERY.maxRequestsInAnyWindow())
                .put("floorSeconds", round(floor))
                .put("ratioToFloor", Math.round(elapsed / floor * 100) / 100.0)
                .put("overSlowerFloorSeconds", round(elapsed - floor))
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
