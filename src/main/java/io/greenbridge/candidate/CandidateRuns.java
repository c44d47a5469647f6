package io.greenbridge.candidate;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

import io.greenbridge.routes.RouteDeadLetters;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncSummary;

/** Starts a run's route (backfill, reconciliation) with its summary, rules and dead-letter source. */
final class CandidateRuns {
    private CandidateRuns() {
    }

    static void run(ProducerTemplate camel, String route, SyncSummary summary, CandidateSync.Context context) throws Exception {
        Exchange done = camel.send(route, ex -> {
            ex.setProperty(SyncCounts.SUMMARY, summary);
            ex.setProperty(RouteDeadLetters.FLOW, CandidateSyncReplayer.SOURCE);
            context.applyTo(ex);
        });
        if (done.getException() != null) {
            throw done.getException();
        }
    }
}
