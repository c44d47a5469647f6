package io.greenbridge.candidate;

import org.apache.camel.NamedNode;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.spi.Policy;
import org.springframework.stereotype.Component;

import io.greenbridge.contact.CandidateLocks;

/**
 * Route step {@code policy: mergeClaim}: like {@link CandidateClaim}, for the two candidates of a merge — the
 * survivor (header {@value CandidateSync#CANDIDATE_ID}) then the duplicate (header {@value ContactMerge#DUPLICATE_ID}),
 * both held until the last step (the survivor's sync re-enters its claim).
 */
@Component("mergeClaim")
public class MergeClaim implements Policy {
    private final CandidateLocks locks;

    public MergeClaim(CandidateLocks locks) {
        this.locks = locks;
    }

    @Override
    public void beforeWrap(Route route, NamedNode definition) {
        // nothing to prepare
    }

    @Override
    public Processor wrap(Route route, Processor processor) {
        return exchange -> {
            String survivor = exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
            String duplicate = exchange.getMessage().getHeader(ContactMerge.DUPLICATE_ID, String.class);
            locks.withCandidate(survivor, () -> locks.withCandidate(duplicate, () -> {
                try {
                    processor.process(exchange);
                } catch (Exception e) {
                    exchange.setException(e);
                }
                return null;
            }));
            exchange.setRouteStop(false);
        };
    }
}
