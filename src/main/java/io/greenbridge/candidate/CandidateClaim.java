package io.greenbridge.candidate;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.springframework.stereotype.Component;

import io.greenbridge.contact.CandidateLocks;

/**
 * Route step {@code policy: candidateClaim}: the steps inside run holding the candidate of header
 * {@value CandidateSync#CANDIDATE_ID} ({@link CandidateLocks#withCandidate}: one writer per candidate across threads
 * and nodes). A policy rather than acquire/release steps: the claim is a lock held by the calling thread and released
 * in a finally, so every path out of the steps — a guard's stop, an exception, a nested sync of the same candidate —
 * releases it, and nothing else can run between the load and the last write. The steps run on this thread
 * (direct: and bean steps only, no async hand-off inside).
 */
@Component("candidateClaim")
public class CandidateClaim implements Policy {
    private final CandidateLocks locks;

    public CandidateClaim(CandidateLocks locks) {
        this.locks = locks;
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            String id = exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
            locks.withCandidate(id, () -> {
                try {
                    processor.process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
            });
            // a guard's stop ends this candidate's pipeline, not the caller's (a backfill goes on with the next one)
            exchange.setRouteStop(false);
        };
    }
}
