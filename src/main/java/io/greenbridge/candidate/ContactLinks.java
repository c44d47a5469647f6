package io.greenbridge.candidate;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.store.LinkStore;

/**
 * The matching and link bookkeeping steps of routes/contacts-inbound.yaml: which contact a candidate is
 * ({@link ContactMatcher}: linked / email / new), and the candidate link with the hash of what was written
 * (link kind {@value ContactMatcher#LINK_KIND}), so an unchanged candidate makes no write.
 */
@Component("contactLinks")
public class ContactLinks {
    /** Headers set by {@code match-contact}: LINKED, EMAIL or NEW, whether an anonymized contact had the email, why. */
    public static final String MATCH_KIND = "matchKind";
    public static final String ANONYMIZED_MATCH = "anonymizedEmailMatch";
    public static final String MATCH_REASON = "matchReason";
    /** Exchange property: Beamery's answer to the contact write (the contact as it is now). */
    public static final String WRITTEN = "contactAfterWrite";
    private static final Logger LOG = LoggerFactory.getLogger(ContactLinks.class);

    private final ContactMatcher matcher;
    private final LinkStore links;

    public ContactLinks(ContactMatcher matcher, LinkStore links) {
        this.matcher = matcher;
        this.links = links;
    }

    /** Step {@code linked-contact}: header {@value ContactGuards#LINKED}, the contact linked to the candidate. */
    public void linked(Exchange exchange) {
        exchange.getMessage().setHeader(ContactGuards.LINKED, matcher.linkedContact(id(exchange)).orElse(null));
    }

    /** Step {@code match-contact}: the dedupe and merge filters; header {@value CandidateSync#CONTACT_ID} for LINKED/EMAIL. */
    public void match(Exchange exchange) {
        Message m = exchange.getMessage();
        String linked = m.getHeader(ContactGuards.LINKED, String.class);
        ContactMatcher.Match match = linked != null
                ? new ContactMatcher.Match(ContactMatcher.Kind.LINKED, linked, false, "linked")
                : matcher.match(id(exchange), ContactGuards.emails(exchange));
        m.setHeader(MATCH_KIND, match.kind().name());
        m.setHeader(ANONYMIZED_MATCH, match.anonymizedEmailMatch());
        m.setHeader(MATCH_REASON, match.reason());
        m.setHeader(CandidateSync.CONTACT_ID, match.contactId());
    }

    /** Filter {@code contact-changed}: false when the linked contact holds what the mapping made (same hash): no write. */
    public boolean changed(Exchange exchange) {
        String known = links.byGreenhouseId(ContactMatcher.LINK_KIND, id(exchange)).map(LinkStore.Link::contentHash).orElse(null);
        if (!mapped(exchange).hash().equals(known)) {
            return true;
        }
        outcome(exchange, "unchanged", null);
        return false;
    }

    /** Step {@code link-created-contact}: linked at once (a retry must not create again); the body is Beamery's answer. */
    public void created(Exchange exchange) {
        exchange.getMessage().setHeader(CandidateSync.CONTACT_ID, written(exchange).path("id").asText());
        link(exchange, "created", "Candidate {} created as contact {} ({})");
    }

    /** Step {@code link-email-matched-contact}: the auto-merge into the one contact with the email. */
    public void emailMatched(Exchange exchange) {
        written(exchange);
        link(exchange, "linked", "Candidate {} linked to existing contact {} ({})");
    }

    /** Step {@code link-updated-contact}. */
    public void updated(Exchange exchange) {
        written(exchange);
        link(exchange, "updated", null);
    }

    /** Step {@code forget-deleted-contact}: the linked contact was deleted in Beamery (404); unlink and match again. */
    public void forgetDeleted(Exchange exchange) {
        LOG.info("Candidate {}: linked contact {} no longer exists in Beamery; matching again", id(exchange),
                exchange.getMessage().getHeader(CandidateSync.CONTACT_ID));
        matcher.unlink(id(exchange));
        Message m = exchange.getMessage();
        m.removeHeader(ContactGuards.LINKED);
        m.removeHeader(CandidateSync.CONTACT_ID);
        // the candidate read at the start is still current: the second pass does not read Harvest again
        exchange.setProperty(CandidateLoader.PREFETCHED, exchange.getProperty(CandidateLoader.CANDIDATE));
    }

    private JsonNode written(Exchange exchange) {
        JsonNode reply = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(WRITTEN, reply);
        return reply;
    }

    /** The link with the hash of what was written; created and linked say how they matched (in logs and the outcome). */
    private void link(Exchange exchange, String outcome, String logLine) {
        String contactId = exchange.getMessage().getHeader(CandidateSync.CONTACT_ID, String.class);
        links.put(ContactMatcher.LINK_KIND, id(exchange), contactId, mapped(exchange).hash());
        String reason = logLine == null ? null : exchange.getMessage().getHeader(MATCH_REASON, String.class);
        if (logLine != null) {
            LOG.info(logLine, id(exchange), contactId, reason);
        }
        outcome(exchange, outcome, reason);
    }

    private static void outcome(Exchange exchange, String outcome, String reason) {
        exchange.getMessage().setHeader(CandidateSync.OUTCOME, outcome);
        exchange.getMessage().setHeader(CandidateSync.REASON, reason);
    }

    private static ContactMapping.Mapped mapped(Exchange exchange) {
        return exchange.getProperty(ContactMapping.MAPPED, ContactMapping.Mapped.class);
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
    }
}
