package io.greenbridge.candidate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.BlockedPeople;
import io.greenbridge.contact.CandidateLocks;
import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.outbound.OutboundState;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.support.Hashes;

/**
 * Greenhouse candidate → Beamery contact, the one path used by webhooks, backfill, reconciliation and the
 * release of held people. It reads the candidate as Greenhouse has it now (so late, repeated or out-of-order
 * events all converge), applies the rules (anonymization guard, held, private, confidential), matches
 * ({@link ContactMatcher}), maps (mappings/contact-inbound.jsonata), writes only what changed (content hashes)
 * and then copies notes and attachments. Everything for one candidate runs under {@link CandidateLocks}.
 */
@Component
public class CandidateSync {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateSync.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String APPLICATION_KIND = "application";

    private final CandidateLoader loader;
    private final ContactMatcher matcher;
    private final ContactMapping mapping;
    private final CandidateNotes notes;
    private final CandidateAttachments attachments;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final AnonymizationGuard guard;
    private final BlockedPeople blocked;
    private final CandidateLocks locks;
    private final OutboundState outboundState;
    private final GreenbridgeProperties.Candidates settings;
    private final JdbcTemplate jdbc;

    public CandidateSync(CandidateLoader loader, ContactMatcher matcher, ContactMapping mapping, CandidateNotes notes,
                         CandidateAttachments attachments, BeameryClient beamery, LinkStore links,
                         AnonymizationGuard guard, BlockedPeople blocked, CandidateLocks locks,
                         OutboundState outboundState, GreenbridgeProperties props, DataSource dataSource) {
        this.loader = loader;
        this.matcher = matcher;
        this.mapping = mapping;
        this.notes = notes;
        this.attachments = attachments;
        this.beamery = beamery;
        this.links = links;
        this.guard = guard;
        this.blocked = blocked;
        this.locks = locks;
        this.outboundState = outboundState;
        this.settings = props.candidates();
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** The rules one sync applies; {@link #defaults(String)} takes them from greenbridge.candidates.*. */
    public record Context(String trigger, boolean blockPrivate, boolean blockConfidential) {
        public Context withBlockConfidential(boolean block) {
            return new Context(trigger, blockPrivate, block);
        }

        public Context withBlockPrivate(boolean block) {
            return new Context(trigger, block, blockConfidential);
        }
    }

    /**
     * What a sync did: {@code created}, {@code linked} (auto-merged by email), {@code updated},
     * {@code unchanged} or {@code skipped} (with the reason: anonymized, held, private, confidential, gone…).
     */
    public record Outcome(String outcome, String contactId, String reason) {
        static Outcome skipped(String reason, String contactId) {
            return new Outcome("skipped", contactId, reason);
        }
    }

    public Context defaults(String trigger) {
        return new Context(trigger, settings.blockPrivate(), settings.blockConfidential());
    }

    /** Reads the candidate from Harvest and syncs it; a candidate Greenhouse no longer has is skipped. */
    public Outcome syncCandidate(long greenhouseId, Context context) {
        return syncCandidate(greenhouseId, context, null);
    }

    /**
     * As {@link #syncCandidate(long, Context)}, from {@code prefetched} when the inbox read the candidate in bulk
     * ({@link CandidatePrefetch}: empty means gone, as {@link CandidateLoader#load} says); null reads it here.
     */
    public Outcome syncCandidate(long greenhouseId, Context context, Optional<CandidateData> prefetched) {
        return locks.withCandidate(String.valueOf(greenhouseId), () -> {
            Optional<CandidateData> data = CandidatePrefetch.isFor(prefetched, greenhouseId)
                    ? prefetched : loader.load(greenhouseId, context.blockConfidential());
            if (data.isEmpty()) {
                LOG.info("Candidate {} is no longer in Greenhouse; nothing to sync ({})", greenhouseId, context.trigger());
                return Outcome.skipped("gone", matcher.linkedContact(String.valueOf(greenhouseId)).orElse(null));
            }
            return syncLocked(data.get(), context);
        });
    }

    /** Syncs a candidate already read from Harvest (backfill and reconciliation read in batches). */
    public Outcome sync(CandidateData data, Context context) {
        return locks.withCandidate(data.greenhouseId(), () -> syncLocked(data, context));
    }

    private Outcome syncLocked(CandidateData data, Context context) {
        String ghId = data.greenhouseId();
        if (guard.isAnonymizedGreenhouse(ghId)) {
            return Outcome.skipped("anonymized", null);
        }
        Optional<String> linked = matcher.linkedContact(ghId);
        if (linked.isPresent() && guard.isAnonymizedBeamery(linked.get())) {
            return Outcome.skipped("anonymized", linked.get());
        }
        String block = blockReason(data, context);
        if (block != null) {
            blocked.block(ghId, linked.isPresent() ? block + "-later" : block);
            LOG.info("Candidate {} is {}: {}", ghId, block, linked.isPresent() ? "its contact gets no updates" : "not created");
            return Outcome.skipped(block, linked.orElse(null));
        }
        if (blocked.reason(ghId).isPresent()) {
            blocked.unblock(ghId); // no longer private or confidential
        }
        List<String> emails = emails(data.candidate());
        boolean consented = guard.isReleased(ghId);
        if (linked.isEmpty() && !consented) {
            if (guard.isHeld(ghId)) {
                return Outcome.skipped("held", null);
            }
            if (guard.anyEmailAnonymized(emails)) {
                return hold(ghId);
            }
        }
        ContactMatcher.Match match = linked.isPresent()
                ? new ContactMatcher.Match(ContactMatcher.Kind.LINKED, linked.get(), false, "linked")
                : matcher.match(ghId, emails);
        if (match.kind() == ContactMatcher.Kind.NEW && match.anonymizedEmailMatch() && !consented) {
            return hold(ghId);
        }
        ContactMapping.Mapped mapped = mapping.map(data);
        Outcome outcome;
        try {
            outcome = write(ghId, match, mapped, emails);
        } catch (RemoteCallException e) {
            if (match.kind() != ContactMatcher.Kind.LINKED || e.status() != 404) {
                throw e;
            }
            // the linked contact was deleted in Beamery: forget it and match again
            LOG.info("Candidate {}: linked contact {} no longer exists in Beamery; matching again", ghId, match.contactId());
            matcher.unlink(ghId);
            return syncLocked(data, context);
        }
        if (outcome.contactId() == null) {
            return outcome;
        }
        boolean vacanciesWritten = putVacancies(ghId, outcome.contactId(), mapped);
        if (vacanciesWritten || !"unchanged".equals(outcome.outcome())) {
            // the contact as Greenbridge left it: the Beamery → Greenhouse poll must not send it back
            outboundState.recordInbound(outcome.contactId(), beamery.getContact(outcome.contactId()));
        }
        notes.sync(data, outcome.contactId());
        attachments.sync(data, outcome.contactId());
        return outcome;
    }

    private Outcome write(String ghId, ContactMatcher.Match match, ContactMapping.Mapped mapped, List<String> emails) {
        switch (match.kind()) {
            case NEW -> {
                if (emails.isEmpty()) {
                    return Outcome.skipped("no email", null); // Beamery needs one to create a contact
                }
                ObjectNode body = mapped.contact().deepCopy();
                body.setAll(mapped.onCreate());
                String id = beamery.createContact(body).path("id").asText();
                links.put(ContactMatcher.LINK_KIND, ghId, id, mapped.hash()); // at once: a retry must not create again
                LOG.info("Candidate {} created as contact {} ({})", ghId, id, match.reason());
                return new Outcome("created", id, match.reason());
            }
            case EMAIL -> {
                beamery.patchContact(match.contactId(), mapped.contact());
                links.put(ContactMatcher.LINK_KIND, ghId, match.contactId(), mapped.hash());
                LOG.info("Candidate {} linked to existing contact {} ({})", ghId, match.contactId(), match.reason());
                return new Outcome("linked", match.contactId(), match.reason());
            }
            default -> {
                String known = links.byGreenhouseId(ContactMatcher.LINK_KIND, ghId).map(LinkStore.Link::contentHash).orElse(null);
                if (mapped.hash().equals(known)) {
                    return new Outcome("unchanged", match.contactId(), null);
                }
                beamery.patchContact(match.contactId(), mapped.contact());
                links.put(ContactMatcher.LINK_KIND, ghId, match.contactId(), mapped.hash());
                return new Outcome("updated", match.contactId(), null);
            }
        }
    }

    /** One PUT per application on a job with a vacancy, when its stage or rejection reason changed; true when any was. */
    private boolean putVacancies(String ghId, String contactId, ContactMapping.Mapped mapped) {
        boolean written = false;
        for (JsonNode v : mapped.vacancies()) {
            String appId = v.path("applicationId").asText();
            String target = contactId + "/" + v.path("vacancyId").asText();
            ObjectNode body = JSON.createObjectNode();
            body.set("stageId", v.path("stageId"));
            body.set("rejectionReason", v.path("rejectionReason"));
            String hash = Hashes.sha256Hex(body.toString());
            Optional<LinkStore.Link> known = links.byGreenhouseId(APPLICATION_KIND, appId);
            if (known.isPresent() && target.equals(known.get().beameryId())
                    && (hash.equals(known.get().contentHash()) || v.path("stageId").isNull())) {
                continue; // unchanged, or hired with no stage left: keep the stage Beamery shows
            }
            try {
                beamery.putContactVacancy(contactId, v.path("vacancyId").asText(), body);
            } catch (RemoteCallException e) {
                if (e.retryable()) {
                    throw e;
                }
                // e.g. the vacancy does not have this stage yet: the vacancy sync adds it, reconciliation retries
                LOG.warn("Candidate {}: vacancy link {} refused ({}); retried by reconciliation", ghId, target, e.status());
                pendingJob(ghId, v.path("jobId").asText());
                continue;
            }
            links.put(APPLICATION_KIND, appId, target, hash);
            written = true;
        }
        jdbc.update("DELETE FROM candidate_pending_jobs WHERE greenhouse_id = ?", ghId);
        mapped.jobsWithoutVacancy().forEach(job -> pendingJob(ghId, job));
        return written;
    }

    private void pendingJob(String ghId, String jobId) {
        try {
            jdbc.update("INSERT INTO candidate_pending_jobs (greenhouse_id, job_id, noted_at) VALUES (?,?,?)",
                    ghId, jobId, Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException e) {
            // already waiting for that job
        }
    }

    private Outcome hold(String ghId) {
        guard.hold(ghId, "re-added after anonymization; waiting for consent");
        LOG.info("Candidate {} matches an anonymized person and is held until consent is recorded", ghId);
        return Outcome.skipped("held", null);
    }

    /** private / confidential when the settings block them; confidential = every job applied to is confidential. */
    private static String blockReason(CandidateData data, Context context) {
        JsonNode c = data.candidate();
        if (context.blockPrivate() && (c.path("private").asBoolean(false) || c.path("is_private").asBoolean(false))) {
            return "private";
        }
        if (context.blockConfidential() && !data.jobs().isEmpty()
                && data.jobs().stream().allMatch(j -> j.path("confidential").asBoolean(false))) {
            return "confidential";
        }
        return null;
    }

    static List<String> emails(JsonNode candidate) {
        return BeameryValues.strings(candidate.path("email_addresses"));
    }
}
