package io.greenbridge.outbound;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The steps of {@code update-candidate} (routes/contacts-outbound.yaml): what Greenhouse last got for the contact
 * ({@link OutboundState}), what changed since ({@link CandidateChanges}: the PATCH body, tags, stage moves), and the
 * new baseline once written.
 */
@Component("candidateUpdates")
public class CandidateUpdates {
    private static final String KNOWN = "knownState";
    private static final String CHANGES = "changes";

    private final OutboundState state;

    public CandidateUpdates(OutboundState state) {
        this.state = state;
    }

    /** Step: property knownState = the contact's echo hashes and the body last sent. */
    public void load(Exchange exchange) {
        exchange.setProperty(KNOWN, state.get(contactId(exchange)));
    }

    /** Step: property changes; the body becomes the profile fields to PATCH (empty: nothing to patch). */
    public void diff(Exchange exchange) {
        CandidateChanges changes = CandidateChanges.between(known(exchange).sentBody(), candidate(exchange));
        exchange.setProperty(CHANGES, changes);
        exchange.getMessage().setBody(changes.profile());
    }

    /** Step: Greenhouse now holds the mapped candidate: the new baseline and echo hash. */
    public void recordSent(Exchange exchange) {
        state.recordSent(contactId(exchange), exchange.getMessage().getHeader(GreenhousePush.HASH, String.class),
                candidate(exchange));
    }

    /** Step: updated when anything was written, else unchanged. */
    public void result(Exchange exchange) {
        boolean wrote = !changes(exchange).isEmpty()
                || CandidateApplications.added(exchange) > 0;
        exchange.getMessage().setBody(PushResult.of(contactId(exchange), wrote ? "updated" : "unchanged", greenhouseId(exchange)));
    }

    static OutboundState.State known(Exchange exchange) {
        return exchange.getProperty(KNOWN, OutboundState.State.class);
    }

    static CandidateChanges changes(Exchange exchange) {
        return exchange.getProperty(CHANGES, CandidateChanges.class);
    }

    static ObjectNode candidate(Exchange exchange) {
        return exchange.getProperty(OutboundMapping.CANDIDATE, ObjectNode.class);
    }

    private static String contactId(Exchange exchange) {
        return exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
    }

    private static Long greenhouseId(Exchange exchange) {
        return exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID, Long.class);
    }
}
