package io.greenbridge.bench;

import java.time.Duration;

import org.springframework.test.context.DynamicPropertyRegistry;

import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.GreenhouseSimulator;

/**
 * The upstream limits every benchmark runs at, by default the documented ones: Harvest v3 a fixed window of
 * 75 requests per 30 s (greenhouse-harvest.md §2.5; the client paces from the X-RateLimit headers it reads),
 * Beamery 40 requests/s (beamery.md §3). {@code -Dbench.harvest.limit}, {@code -Dbench.harvest.window-seconds}
 * and {@code -Dbench.beamery.rps} change them. The floor of a run is the least time its requests could take at
 * these limits, on the slower of the two APIs.
 */
public final class BenchLimits {
    public static final int HARVEST_LIMIT = Integer.getInteger("bench.harvest.limit", 75);
    public static final int HARVEST_WINDOW_SECONDS = Integer.getInteger("bench.harvest.window-seconds", 30);
    public static final int BEAMERY_RPS = Integer.getInteger("bench.beamery.rps", 40);

    // what the simulators answer outside benchmarks (their own defaults), restored after a benchmark
    private static final int SIMULATOR_HARVEST_LIMIT = 50;
    private static final Duration SIMULATOR_HARVEST_WINDOW = Duration.ofSeconds(10);
    private static final int SIMULATOR_BEAMERY_RPS = 40;

    private BenchLimits() {
    }

    /** The least time a run's requests could take, and which API sets it. */
    public record Floor(double seconds, String api, String limit) {
    }

    /** Puts both simulators at the benchmark limits; the Harvest window starts with the next call. */
    public static void apply(GreenhouseSimulator greenhouse, BeamerySimulator beamery) {
        greenhouse.setRateLimit(HARVEST_LIMIT, Duration.ofSeconds(HARVEST_WINDOW_SECONDS));
        beamery.rateLimit(BEAMERY_RPS);
    }

    /** Gives the simulators back their defaults for tests that run after the benchmark in the same JVM. */
    public static void restore(GreenhouseSimulator greenhouse, BeamerySimulator beamery) {
        greenhouse.setRateLimit(SIMULATOR_HARVEST_LIMIT, SIMULATOR_HARVEST_WINDOW);
        beamery.rateLimit(SIMULATOR_BEAMERY_RPS);
    }

    /** Greenbridge's own Beamery budget follows the benchmark's Beamery limit (Harvest's it reads from headers). */
    public static void register(DynamicPropertyRegistry registry) {
        registry.add("greenbridge.beamery.requests-per-second", () -> BEAMERY_RPS);
    }

    /** Fixed windows: {@code n} requests need ⌈n / limit⌉ windows, and the last one need not end. */
    public static double harvestFloorSeconds(long requests) {
        return Math.max(0, Math.ceil((double) requests / HARVEST_LIMIT) - 1) * HARVEST_WINDOW_SECONDS;
    }

    public static double beameryFloorSeconds(long requests) {
        return (double) requests / BEAMERY_RPS;
    }

    public static Floor floor(long harvestRequests, long beameryRequests) {
        double harvest = harvestFloorSeconds(harvestRequests);
        double beamery = beameryFloorSeconds(beameryRequests);
        return harvest >= beamery ? new Floor(harvest, "harvest", harvestLimit()) : new Floor(beamery, "beamery", beameryLimit());
    }

    public static String harvestLimit() {
        return HARVEST_LIMIT + " per " + HARVEST_WINDOW_SECONDS + " s";
    }

    public static String beameryLimit() {
        return BEAMERY_RPS + " per s";
    }
}
