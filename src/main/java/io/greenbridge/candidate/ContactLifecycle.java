package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.CandidateLocks;
import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.store.PersonErasure;

/**
 * The destructive events of routes/contacts-inbound.yaml: a candidate deleted, merged or anonymized in Greenhouse.
 * Delete and anonymize are route steps (this bean holds their bookkeeping: erasure, tombstones, links); the merge is
 * one step here (Beamery's merge, moved links, the switch-off dead letter). Each first checks Greenhouse's current
 * state (deliveries can be late or repeated), then changes Beamery and the links, holding the candidate's claim.
 */
@Component
public class ContactLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(ContactLifecycle.class);

    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final ContactMatcher matcher;
    private final AnonymizationGuard guard;
    private final CandidateLocks locks;
    private final CandidateSync sync;
    private final LinkStore links;
    private final JdbcTemplate jdbc;
    private final GreenbridgeProperties.Candidates settings;
    private final PersonErasure erasure;
    private final DeadLetterStore deadLetters;
    private final boolean beameryMerge;

    public ContactLifecycle(HarvestClient harvest, BeameryClient beamery, ContactMatcher matcher, AnonymizationGuard guard,
                            CandidateLocks locks, CandidateSync sync, LinkStore links, DataSource dataSource,
                            GreenbridgeProperties props, PersonErasure erasure, DeadLetterStore deadLetters) {
        this.erasure = erasure;
        this.harvest = harvest;
        this.beamery = beamery;
        this.matcher = matcher;
        this.guard = guard;
        this.locks = locks;
        this.sync = sync;
        this.links = links;
        this.jdbc = new JdbcTemplate(dataSource);
        this.settings = props.candidates();
        this.deadLetters = deadLetters;
        this.beameryMerge = settings.beameryMergeOn(props.mode());
    }

    /** Dead letters of merges left to a person (greenbridge.candidates.beamery-merge off); ref is duplicate&gt;survivor. */
    public static final String MERGE_DEAD_LETTER_SOURCE = "contact-merge";
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
     * merge_candidate: {@code duplicateId}'s contact is merged into {@code survivorId}'s in Beamery and the links
     * move to the survivor; unknown contacts make it a logged no-op. The survivor is then synced. Each side's contact
     * is the linked one, else the live Beamery contact carrying that Greenhouse id (so a survivor contact made by
     * Beamery's native connector is found, not left beside the duplicate's). With
     * {@code greenbridge.candidates.beamery-merge} off, Beamery's merge is not called: the survivor keeps its own
     * contact, the duplicate's link goes, and a dead letter asks for the merge by hand (or a replay once on).
     */
    public String merged(long duplicateId, long survivorId) {
        String dup = String.valueOf(duplicateId);
        String survivor = String.valueOf(survivorId);
        return locks.withCandidate(survivor, () -> locks.withCandidate(dup, () -> {
            if (harvest.findById("candidates", duplicateId).isPresent()) {
                LOG.info("Merge of candidate {} into {}: Greenhouse still has the duplicate; not merged yet", dup, survivor);
                return sync.syncCandidate(survivorId, sync.defaults("merge_candidate")).outcome();
            }
            Optional<String> loser = contactOf(dup);
            Optional<String> winner = contactOf(survivor);
            if (loser.isEmpty() && winner.isEmpty()) {
                LOG.info("Merge of candidate {} into {}: neither has a contact; nothing to merge", dup, survivor);
                return "skipped";
            }
            if (loser.isPresent() && winner.isPresent() && !loser.get().equals(winner.get())) {
                matcher.link(survivor, winner.get());
                boolean alreadyMerged = beamery.findContact(loser.get())
                        .map(c -> winner.get().equals(c.path("mergedIn").asText(null))).orElse(false);
                if (alreadyMerged) {
                    LOG.info("Merge of candidate {} into {}: contact {} was merged into {} in Beamery already", dup, survivor,
                            loser.get(), winner.get());
                } else if (beameryMerge) {
                    beamery.mergeContacts(winner.get(), loser.get());
                    moveFileLinks(loser.get(), winner.get());
                    LOG.info("Merged contact {} into {} (candidate {} into {})", loser.get(), winner.get(), dup, survivor);
                } else {
                    String why = "greenbridge.candidates.beamery-merge is off: merge Beamery contact " + loser.get()
                            + " into " + winner.get() + " by hand, or switch it on and replay this dead letter";
                    deadLetters.record(MERGE_DEAD_LETTER_SOURCE, dup + ">" + survivor, "Merge of Greenhouse candidate " + dup
                            + " into " + survivor + " not carried to Beamery", why, null, null, null);
                    LOG.warn("Merge of candidate {} into {}: contact {} not merged into {} ({})", dup, survivor,
                            loser.get(), winner.get(), "beamery-merge off");
                }
            } else if (loser.isPresent() && winner.isEmpty()) {
                matcher.link(survivor, loser.get()); // the duplicate's contact becomes the survivor's
                LOG.info("Merge of candidate {} into {}: contact {} now belongs to the survivor", dup, survivor, loser.get());
            }
            matcher.unlink(dup);
            return sync.syncCandidate(survivorId, sync.defaults("merge_candidate")).outcome();
        }));
    }

    /** The dead-letter replay of a merge left to a person: runs the merge again (carried out when switched on). */
    public boolean replayMerge(String ref) {
        String[] ids = ref.split(">");
        if (ids.length != 2 || !ids[0].matches("\\d+") || !ids[1].matches("\\d+")) {
            return false;
        }
        merged(Long.parseLong(ids[0]), Long.parseLong(ids[1]));
        return true;
    }

    /** The linked contact, else the live one carrying this Greenhouse id in Beamery (decided from Beamery's records). */
    private Optional<String> contactOf(String greenhouseId) {
        Optional<String> linked = matcher.linkedContact(greenhouseId);
        return linked.isPresent() ? linked : matcher.carrying(greenhouseId).map(c -> c.path("id").asText());
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

    /** Attachment links are keyed by contact; after a Beamery merge the files live on the survivor. */
    private void moveFileLinks(String fromContact, String toContact) {
        for (String kind : List.of(CandidateAttachments.LINK_KIND, CandidateAttachments.SOURCE_KIND)) {
            jdbc.query("SELECT greenhouse_id, beamery_id FROM record_links WHERE kind = ? AND greenhouse_id LIKE ?", rs -> {
                String key = rs.getString(1);
                links.put(kind, toContact + key.substring(fromContact.length()), rs.getString(2), null);
                links.remove(kind, key);
            }, kind, fromContact + ":%");
        }
    }
}
