package io.greenbridge.outbound;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.RuntimeCamelException;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import io.greenbridge.contact.CandidateLocks;

/**
 * Runs part of the per-contact pipeline holding a cross-node claim ({@link CandidateLocks}, table
 * candidate_claims): the contact's ({@code beamery:<id>}) across match, create and link, so a push on one node
 * and the poll on another never create two candidates for one contact; the candidate's (its Greenhouse id) while it
 * is linked, as the Greenhouse → Beamery flow takes it. A claim another node keeps fails the contact as retryable.
 */
@Component("contactClaims")
public class ContactClaims {
    static final String CONTACT_KEY_PREFIX = "beamery:";
    private final CandidateLocks locks;
    private final ProducerTemplate camel;

    public ContactClaims(CandidateLocks locks, @Lazy ProducerTemplate camel) {
        this.locks = locks;
        this.camel = camel;
    }

    /** Step: sends the exchange to {@code route} holding the contact's claim. */
    public void contact(Exchange exchange, String route) {
        String key = CONTACT_KEY_PREFIX + exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
        locks.withCandidate(key, () -> send(exchange, route));
    }

    /** Step: sends the exchange to {@code route} holding the claim of the candidate in header greenhouseId. */
    public void candidate(Exchange exchange, String route) {
        String key = String.valueOf(exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID));
        locks.withCandidate(key, () -> send(exchange, route));
    }

    private Void send(Exchange exchange, String route) {
        camel.send(route, exchange);
        Exception failure = exchange.getException();
        if (failure != null) {
            exchange.setException(null); // rethrown here, so the caller's doCatch sees it once
            throw failure instanceof RuntimeException r ? r : new RuntimeCamelException(failure);
        }
        return null;
    }
}
