package io.greenbridge.candidate;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.BlockedPeople;

/**
 * The guard steps of routes/contacts-inbound.yaml, each a {@code filter} predicate: true means "this candidate
 * stops here", with outcome {@code skipped} and the reason in header {@value CandidateSync#REASON}. The stores
 * behind them: the anonymization guard's tombstones and holds, and the blocked (private/confidential) people.
 */
@Component("contactGuards")
public class ContactGuards {
    /** Header: the contact linked to the candidate, when there is one (step {@code linked-contact}). */
    public static final String LINKED = "linkedContactId";
    private static final Logger LOG = LoggerFactory.getLogger(ContactGuards.class);

    private final AnonymizationGuard guard;
    private final BlockedPeople blocked;

    public ContactGuards(AnonymizationGuard guard, BlockedPeople blocked) {
        this.guard = guard;
        this.blocked = blocked;
    }

    /** Greenhouse no longer has the candidate (deleted or merged away). */
    public boolean gone(Exchange exchange) {
        if (exchange.getProperty(CandidateLoader.CANDIDATE) != null) {
            return false;
        }
        LOG.info("Candidate {} is no longer in Greenhouse; nothing to sync ({})", id(exchange),
                exchange.getProperty(CandidateSync.TRIGGER));
        return skip(exchange, "gone", linked(exchange));
    }

    /** Anonymized in Greenhouse: never created or updated again. */
    public boolean anonymizedGreenhouseId(Exchange exchange) {
        return guard.isAnonymizedGreenhouse(id(exchange)) && skip(exchange, "anonymized", null);
    }

    /** The linked contact was anonymized in Beamery. */
    public boolean anonymizedLinkedContact(Exchange exchange) {
        String linked = linked(exchange);
        return linked != null && guard.isAnonymizedBeamery(linked) && skip(exchange, "anonymized", linked);
    }

    /**
     * Private (block-private) or confidential (block-confidential: every job applied to is confidential): never
     * created; made so later, its contact gets no more updates. A candidate no longer blocked is unblocked.
     */
    public boolean privateOrConfidential(Exchange exchange) {
        String ghId = id(exchange);
        String linked = linked(exchange);
        String block = blockReason(exchange.getProperty(CandidateLoader.CANDIDATE, CandidateData.class), exchange);
        if (block == null) {
            if (blocked.reason(ghId).isPresent()) {
                blocked.unblock(ghId);
            }
            return false;
        }
        blocked.block(ghId, linked != null ? block + "-later" : block);
        LOG.info("Candidate {} is {}: {}", ghId, block, linked != null ? "its contact gets no updates" : "not created");
        return skip(exchange, block, linked);
    }

    /** Not linked and without consent: held already, or one of its emails belongs to an anonymized person (→ held). */
    public boolean heldOrAnonymizedEmail(Exchange exchange) {
        String ghId = id(exchange);
        if (linked(exchange) != null || guard.isReleased(ghId)) {
            return false;
        }
        if (guard.isHeld(ghId)) {
            return skip(exchange, "held", null);
        }
        return guard.anyEmailAnonymized(emails(exchange)) && hold(exchange);
    }

    /** The match found only an anonymized contact with this email: a person re-added after anonymization (→ held). */
    public boolean anonymizedEmailMatch(Exchange exchange) {
        Message m = exchange.getMessage();
        return "NEW".equals(m.getHeader(ContactLinks.MATCH_KIND)) && Boolean.TRUE.equals(m.getHeader(ContactLinks.ANONYMIZED_MATCH))
                && !guard.isReleased(id(exchange)) && hold(exchange);
    }

    /** Beamery needs an email to create a contact. */
    public boolean noEmail(Exchange exchange) {
        return emails(exchange).isEmpty() && skip(exchange, "no email", null);
    }

    static List<String> emails(Exchange exchange) {
        return CandidateSync.emails(exchange.getProperty(CandidateLoader.CANDIDATE, CandidateData.class).candidate());
    }

    private boolean hold(Exchange exchange) {
        String ghId = id(exchange);
        guard.hold(ghId, "re-added after anonymization; waiting for consent");
        LOG.info("Candidate {} matches an anonymized person and is held until consent is recorded", ghId);
        return skip(exchange, "held", null);
    }

    private static boolean skip(Exchange exchange, String reason, String contactId) {
        Message m = exchange.getMessage();
        m.setHeader(CandidateSync.OUTCOME, "skipped");
        m.setHeader(CandidateSync.REASON, reason);
        m.setHeader(CandidateSync.CONTACT_ID, contactId);
        return true;
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
    }

    private static String linked(Exchange exchange) {
        return exchange.getMessage().getHeader(LINKED, String.class);
    }

    private static String blockReason(CandidateData data, Exchange exchange) {
        JsonNode c = data.candidate();
        if (Boolean.TRUE.equals(exchange.getProperty(CandidateSync.BLOCK_PRIVATE))
                && (c.path("private").asBoolean(false) || c.path("is_private").asBoolean(false))) {
            return "private";
        }
        if (Boolean.TRUE.equals(exchange.getProperty(CandidateSync.BLOCK_CONFIDENTIAL)) && !data.jobs().isEmpty()
                && data.jobs().stream().allMatch(j -> j.path("confidential").asBoolean(false))) {
            return "confidential";
        }
        return null;
    }
}
