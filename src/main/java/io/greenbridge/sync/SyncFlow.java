package io.greenbridge.sync;

/**
 * A flow that can run as a whole (scheduled, on demand, from JMX): vacancies, reference, candidates, beamery.
 * One bean per flow; {@link SyncRunner} records each run's summary.
 */
public interface SyncFlow {
    /** The name in {@code POST /api/sync/{name}}. */
    String name();

    /** Runs once, counting outcomes into {@code summary}; throws when the run as a whole failed. */
    void run(SyncSummary summary) throws Exception;
}
