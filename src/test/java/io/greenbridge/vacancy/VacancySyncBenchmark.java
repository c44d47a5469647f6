package io.greenbridge.vacancy;

import static io.greenbridge.bench.BenchReport.round;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.bench.BenchLimits;
import io.greenbridge.bench.BenchReport;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.sync.SyncSummary;

/**
 * {@code make bench}: Greenhouse jobs (5,000; {@code -Dbench.vacancies.jobs=N}) synced to Beamery at the benchmark
 * limits ({@link BenchLimits}: Harvest 75 requests per 30 s, Beamery 40 requests/s by default). The elapsed time
 * is reported beside the floor of the slower API for the requests made and their ratio (target: <= 1.15).
 * Beamery's writes, not Harvest, bound a first sync.
 */
@Tag("bench")
class VacancySyncBenchmark extends SandboxTest {
    private static final int JOBS = Integer.getInteger("bench.vacancies.jobs", 5_000);

    @Autowired
    VacancySync vacancies;
    @Autowired
    HarvestClient harvest;
    @Autowired
    BeameryClient beamery;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        BenchLimits.register(registry);
    }

    @AfterEach
    void restoreSimulatorDefaults() {
        BenchLimits.restore(GREENHOUSE, BEAMERY);
    }

    @Test
    void syncsFiveThousandJobsNearTheBeameryRateLimitFloor() throws Exception {
        GREENHOUSE.store().seedJobs(JOBS);
        BenchLimits.apply(GREENHOUSE, BEAMERY);
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
        Map<String, Long> byPath = new TreeMap<>();
        GREENHOUSE.requests().forEach(r -> byPath.merge(r.path(), 1L, Long::sum));

        new BenchReport("vacancy-sync")
                .put("jobs", JOBS)
                .put("harvestLimit", BenchLimits.harvestLimit())
                .put("beameryLimit", BenchLimits.beameryLimit())
                .put("elapsedSeconds", elapsed, BenchLimits.floor(harvestRequests, beameryRequests))
                .put("harvestRequests", harvestRequests)
                .put("harvestRequestsByPath", byPath)
                .put("harvest429", GREENHOUSE.countStatus(429))
                .put("harvestFloorSeconds", round(BenchLimits.harvestFloorSeconds(harvestRequests)))
                .put("beameryRequests", beameryRequests)
                .put("beameryFloorSeconds", round(BenchLimits.beameryFloorSeconds(beameryRequests)))
                .put("beamery429", BEAMERY.requests().stream().filter(r -> r.status() == 429).count())
                .put("beameryMaxRequestsInAnySecond", BEAMERY.maxRequestsInAnyWindow())
                .put("relatedRequestsIfBatchedByJobIds", JobRelations.batchedCost(JOBS))
                .put("created", summary.created.get())
                .put("failed", summary.failed.get())
                .publish();

        assertThat(summary.failed.get()).isZero();
        assertThat(summary.created.get()).isGreaterThanOrEqualTo(JOBS);
    }
}
