package io.greenbridge.candidate;

import org.springframework.stereotype.Component;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;

/**
 * Dead letters of source {@value #SOURCE}: a candidate that failed in a backfill or reconciliation run (route
 * {@code candidate-batch}); the replay syncs it again.
 */
@Component
public class CandidateSyncReplayer implements DeadLetterReplayer {
    static final String SOURCE = "candidate-sync";
    private final CandidateSync sync;

    public CandidateSyncReplayer(CandidateSync sync) {
        this.sync = sync;
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public boolean replay(DeadLetter letter) {
        sync.syncCandidate(Long.parseLong(letter.ref()), sync.defaults("replay"));
        return true;
    }
}
