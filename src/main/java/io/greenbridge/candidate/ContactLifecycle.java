package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.store.PersonErasure;

/**
 * The destructive events of routes/contacts-inbound.yaml: a candidate deleted, merged or anonymized in Greenhouse.
 * Delete and anonymize are route steps (this bean holds their bookkeeping: erasure, tombstones, links); the merge's
 * steps are {@link ContactMerge}'s. Each first checks Greenhouse's current
 * state (deliveries can be late or repeated), then changes Beamery and the links, holding the candidate's claim.
 */
@Component
public class ContactLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ContactLifecycle.class);

    private final ContactMatcher matcher;
    private final AnonymizationGuard guard;
    private final CandidateSync sync;
    private final GreenbridgeProperties.Candidates settings;
    private final PersonErasure erasure;

    public ContactLifecycle(ContactMatcher matcher, AnonymizationGuard guard, CandidateSync sync,
                            GreenbridgeProperties props, PersonErasure erasure) {
        this.matcher = matcher;
        this.guard = guard;
        this.sync = sync;
        this.settings = props.candidates();
        this.erasure = erasure;
    }

    private static final String KNOWN_EMAILS = "knownEmails";

    /** Step {@code erase-copies-of-deleted}: delete_candidate; our copies go whatever delete-action says. */
    public void eraseDeleted(Exchange exchange) {
        erasure.erase(id(exchange), linked(exchange), List.of());
    }

    /** Filter {@code delete-action-anonymize}: greenbridge.candidates.delete-action is anonymize. */
    public boolean anonymizeOnDelete() {
        return settings.deleteAction() == GreenbridgeProperties.Candidates.DeleteAction.ANONYMIZE;
    }

    /** Step {@code unlink-deleted-candidate}: the link goes; the contact stays (or was anonymized). */
    public String unlinkDeleted(Exchange exchange) {
        matcher.unlink(id(exchange));
        LOG.info("Deleted candidate {}: link to contact {} removed ({})", id(exchange), linked(exchange), settings.deleteAction());
        return "deleted";
    }

    /**
     * Step {@code erase-copies-of-anonymized}: candidate_anonymized. Our stored copies go first; the e-mails found in
     * them and in Greenhouse's record (the body; it may have none left) feed the tombstone, exchange property
     * {@value #KNOWN_EMAILS}.
     */
    public void eraseAnonymized(Exchange exchange) {
        List<String> emails = new ArrayList<>();
        JsonNode candidate = exchange.getMessage().getBody(JsonNode.class);
        if (candidate != null) {
            emails.addAll(CandidateSync.emails(candidate));
        }
        emails.addAll(erasure.erase(id(exchange), linked(exchange), emails).emails());
        exchange.setProperty(KNOWN_EMAILS, emails);
    }

    /** Step {@code tombstone-without-contact}: recorded so the person is never created. */
    public String tombstoneWithoutContact(Exchange exchange) {
        String ghId = id(exchange);
        if (!guard.isAnonymizedGreenhouse(ghId)) {
            guard.record(ghId, null, knownEmails(exchange), "greenhouse");
        }
        LOG.info("Anonymized candidate {} has no contact; recorded so it is never created", ghId);
        return "skipped";
    }

    /** Filter {@code tombstone-not-written-yet}. */
    public boolean needsTombstone(Exchange exchange) {
        return !guard.isAnonymizedGreenhouse(id(exchange));
    }

    /**
     * Step {@code write-tombstone}: before Beamery is called, so a crash in between cannot bring the person back. The
     * body is the contact as Beamery has it (null when gone); its e-mails join the known ones.
     */
    public void tombstone(Exchange exchange) {
        List<String> emails = new ArrayList<>(knownEmails(exchange));
        JsonNode contact = exchange.getMessage().getBody(JsonNode.class);
        if (contact != null) {
            emails.addAll(BeameryValues.strings(contact.path("emails")));
            emails.addAll(BeameryValues.strings(contact.path("primaryEmail")));
        }
        guard.record(id(exchange), linked(exchange), emails, "greenhouse");
    }

    /** Step {@code contact-anonymized}: the body is Beamery's answer. */
    public String contactAnonymized(Exchange exchange) {
        LOG.info("Candidate {}: contact {} anonymized at {}", id(exchange), linked(exchange),
                exchange.getMessage().getBody(JsonNode.class) == null ? "?"
                        : exchange.getMessage().getBody(JsonNode.class).path("archivedAt").asText());
        return "anonymized";
    }

    @SuppressWarnings("unchecked")
    private static List<String> knownEmails(Exchange exchange) {
        List<String> emails = exchange.getProperty(KNOWN_EMAILS, List.class);
        return emails == null ? List.of() : emails;
    }

    private static String id(Exchange exchange) {
        return exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
    }

    private static String linked(Exchange exchange) {
        return exchange.getMessage().getHeader(ContactGuards.LINKED, String.class);
    }

    /** Consent was recorded for a held person: release and sync now. Empty when the person was not held. */
    public Optional<CandidateSync.Outcome> release(long greenhouseId) {
        if (!guard.release(String.valueOf(greenhouseId))) {
            return Optional.empty();
        }
        LOG.info("Held candidate {} released after consent", greenhouseId);
        return Optional.of(sync.syncCandidate(greenhouseId, sync.defaults("release")));
    }
}
