package io.greenbridge.outbound;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.contact.AnonymizationGuard;

/**
 * The guards of the per-contact pipeline (routes/contacts-outbound.yaml, steps {@code guard-*}): who is never
 * pushed (anonymized, refused before) and what is not sent back (an unchanged contact, the echo of Greenbridge's own
 * write into Beamery). Each answers true when the contact stops there.
 */
@Component("pushGuards")
public class PushGuards {
    private final AnonymizationGuard guard;
    private final OutboundState state;

    public PushGuards(AnonymizationGuard guard, OutboundState state) {
        this.guard = guard;
        this.state = state;
    }

    public boolean anonymizedContact(Exchange exchange) {
        return contact(exchange).hasNonNull("archivedAt") || guard.isAnonymizedBeamery(contactId(exchange));
    }

    /** The poll does not send again a version Greenhouse refused; a person asking (push, replay) does. */
    public boolean refusedBefore(Exchange exchange) {
        return !exchange.getProperty(GreenhousePush.EXPLICIT, false, Boolean.class)
                && hash(exchange).equals(state.get(contactId(exchange)).failedHash());
    }

    public boolean anonymizedCandidate(Exchange exchange) {
        Object greenhouseId = exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID);
        return greenhouseId != null && guard.isAnonymizedGreenhouse(String.valueOf(greenhouseId));
    }

    /** One of the contact's emails belongs to a person anonymized before. */
    public boolean anonymizedPerson(Exchange exchange) {
        return guard.anyEmailAnonymized(CandidateMatch.allEmails(contact(exchange)));
    }

    public boolean unchangedSinceSent(Exchange exchange) {
        return hash(exchange).equals(CandidateUpdates.known(exchange).outboundHash());
    }

    /** The contact is as Greenbridge itself wrote it from Greenhouse. */
    public boolean ownWrite(Exchange exchange) {
        return hash(exchange).equals(CandidateUpdates.known(exchange).inboundHash());
    }

    private static JsonNode contact(Exchange exchange) {
        return exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class);
    }

    private static String contactId(Exchange exchange) {
        return exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
    }

    private static String hash(Exchange exchange) {
        return exchange.getMessage().getHeader(GreenhousePush.HASH, String.class);
    }
}
