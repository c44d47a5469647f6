package io.greenbridge.candidate;

import java.util.List;
import java.util.function.Supplier;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.contact.CandidateLocks;

/**
 * Route step {@code policy: candidateClaim}: the steps inside run holding the candidate of header
 * {@value CandidateSync#CANDIDATE_ID} ({@link CandidateLocks#withCandidate}: one writer per candidate across threads
 * and nodes); {@code policy: mergeClaim} holds the two candidates of a merge, the survivor then the duplicate (header
 * {@value ContactMerge#DUPLICATE_ID}), until the last step (the survivor's sync re-enters its claim).
 * A policy rather than acquire/release steps: the claim is a lock held by the calling thread and released in a
 * finally, so every path out of the steps — a guard's stop, an exception, a nested sync of the same candidate —
 * releases it, and nothing else can run between the load and the last write. The steps run on this thread
 * (direct: and bean steps only, no async hand-off inside).
 */
public class CandidateClaim implements Policy {
    private final CandidateLocks locks;
    private final List<String> headers;

    CandidateClaim(CandidateLocks locks, String... headers) {
        this.locks = locks;
        this.headers = List.of(headers);
    }

    @Configuration
    static class Policies {
        @Bean
        CandidateClaim candidateClaim(CandidateLocks locks) {
            return new CandidateClaim(locks, CandidateSync.CANDIDATE_ID);
        }

        @Bean
        CandidateClaim mergeClaim(CandidateLocks locks) {
            return new CandidateClaim(locks, CandidateSync.CANDIDATE_ID, ContactMerge.DUPLICATE_ID);
        }
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            Supplier<Object> work = () -> {
                try {
                    processor.process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                return null;
            };
            // claims nest in header order: the innermost runs the steps
            for (int i = headers.size() - 1; i >= 0; i--) {
                String id = exchange.getMessage().getHeader(headers.get(i), String.class);
                Supplier<Object> inner = work;
                work = () -> locks.withCandidate(id, inner);
            }
            work.get();
            // a guard's stop ends this candidate's pipeline, not the caller's (a backfill goes on with the next one)
            exchange.setRouteStop(false);
        };
    }
}
