package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

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
 * The destructive events: a candidate deleted, merged or anonymized in Greenhouse. Each first checks Greenhouse's
 * current state (deliveries can be late or repeated), then changes Beamery and the links.
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

    /**
     * delete_candidate: the link goes; the contact is kept or anonymized (greenbridge.candidates.delete-action).
     * A candidate Greenhouse still has (a stale delivery) is synced instead.
     */
    public String deleted(long greenhouseId) {
        String ghId = String.valueOf(greenhouseId);
        return locks.withCandidate(ghId, () -> {
            if (harvest.findById("candidates", greenhouseId).isPresent()) {
                return sync.syncCandidate(greenhouseId, sync.defaults("delete_candidate")).outcome();
            }
            Optional<String> contact = matcher.linkedContact(ghId);
            erasure.erase(ghId, contact.orElse(null), List.of()); // our copies go whatever delete-action says
            if (contact.isEmpty()) {
                LOG.info("Deleted candidate {} has no contact; nothing to do", ghId);
                return "skipped";
            }
            if (settings.deleteAction() == GreenbridgeProperties.Candidates.DeleteAction.ANONYMIZE) {
                anonymizeContact(ghId, contact.get(), List.of());
            }
            matcher.unlink(ghId);
            LOG.info("Deleted candidate {}: link to contact {} removed ({})", ghId, contact.get(), settings.deleteAction());
            return "deleted";
        });
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
     * candidate_anonymized: the tombstone is written before Beamery is called (a crash in between cannot bring the
     * person back), then the contact is anonymized; no later event updates or recreates this candidate.
     */
    public String anonymized(long greenhouseId) {
        String ghId = String.valueOf(greenhouseId);
        return locks.withCandidate(ghId, () -> {
            List<String> emails = new ArrayList<>();
            harvest.findById("candidates", greenhouseId).ifPresent(c -> emails.addAll(CandidateSync.emails(c)));
            Optional<String> contact = matcher.linkedContact(ghId);
            // our stored copies go first; the e-mails found in them feed the tombstone (Greenhouse may have none left)
            emails.addAll(erasure.erase(ghId, contact.orElse(null), emails).emails());
            if (contact.isEmpty()) {
                if (!guard.isAnonymizedGreenhouse(ghId)) {
                    guard.record(ghId, null, emails, "greenhouse");
                }
                LOG.info("Anonymized candidate {} has no contact; recorded so it is never created", ghId);
                return "skipped";
            }
            anonymizeContact(ghId, contact.get(), emails);
            return "anonymized";
        });
    }

    /** Consent was recorded for a held person: release and sync now. Empty when the person was not held. */
    public Optional<CandidateSync.Outcome> release(long greenhouseId) {
        if (!guard.release(String.valueOf(greenhouseId))) {
            return Optional.empty();
        }
        LOG.info("Held candidate {} released after consent", greenhouseId);
        return Optional.of(sync.syncCandidate(greenhouseId, sync.defaults("release")));
    }

    private void anonymizeContact(String ghId, String contactId, List<String> knownEmails) {
        if (!guard.isAnonymizedGreenhouse(ghId)) {
            List<String> emails = new ArrayList<>(knownEmails);
            beamery.findContact(contactId).ifPresent(c -> {
                emails.addAll(BeameryValues.strings(c.path("emails")));
                emails.addAll(BeameryValues.strings(c.path("primaryEmail")));
            });
            guard.record(ghId, contactId, emails, "greenhouse");
        }
        JsonNode answer = beamery.anonymizeContact(contactId);
        LOG.info("Candidate {}: contact {} anonymized at {}", ghId, contactId, answer.path("archivedAt").asText());
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
