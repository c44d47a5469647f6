package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.CandidateLocks;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * "Add to Greenhouse" and the sync of later edits: one Beamery contact in, one {@link PushResult} out. A contact
 * not yet in Greenhouse is linked to the candidate holding its email, or created (a candidate with applications
 * when it is on a linked vacancy, otherwise a prospect); a linked contact sends only the fields that changed since
 * the last push. Anonymized and merged-away contacts are never pushed. A failure is answered per contact and
 * dead-lettered (source {@code outbound}); a caller error is not retried until the contact changes.
 */
@Component("greenhousePush")
public class GreenhousePush implements DisposableBean {
    static final String DEAD_LETTER_SOURCE = "outbound";
    private static final Logger LOG = LoggerFactory.getLogger(GreenhousePush.class);
    private static final int LOCK_STRIPES = 64;

    private final BeameryClient beamery;
    private final LinkStore links;
    private final OutboundState state;
    private final OutboundMapping mapping;
    private final CandidateWriter writer;
    private final AnonymizationGuard guard;
    private final DeadLetterStore deadLetters;
    private final CandidateLocks candidateLocks;
    private final PendingCreates pending;
    private final ExecutorService pool;
    private final Object[] contactLocks = new Object[LOCK_STRIPES];

    public GreenhousePush(BeameryClient beamery, LinkStore links, OutboundState state, OutboundMapping mapping,
                          CandidateWriter writer, AnonymizationGuard guard, DeadLetterStore deadLetters,
                          CandidateLocks candidateLocks, PendingCreates pending,
                          GreenbridgeProperties properties) {
        this.beamery = beamery;
        this.links = links;
        this.state = state;
        this.mapping = mapping;
        this.writer = writer;
        this.guard = guard;
        this.deadLetters = deadLetters;
        this.candidateLocks = candidateLocks;
        this.pending = pending;
        this.pool = Executors.newFixedThreadPool(Math.max(1, properties.outbound().pushConcurrency()), r -> {
            Thread t = new Thread(r, "greenhouse-push");
            t.setDaemon(true);
            return t;
        });
        for (int i = 0; i < LOCK_STRIPES; i++) {
            contactLocks[i] = new Object();
        }
    }

    /** The push endpoint: every id once, a few at a time (the Harvest limiter paces them), answers in order. */
    public List<PushResult> pushAll(List<String> contactIds) {
        List<Future<PushResult>> running = new ArrayList<>();
        for (String id : new LinkedHashSet<>(contactIds)) {
            running.add(pool.submit(() -> push(id)));
        }
        return collect(running);
    }

    /** Pushes one contact by id, as "Add to Greenhouse" does (also the dead-letter replay). */
    public PushResult push(String contactId) {
        Optional<JsonNode> contact;
        try {
            contact = beamery.findContact(contactId);
        } catch (RuntimeException e) {
            return failed(contactId, null, null, e, true);
        }
        return contact.map(c -> sync(c, PushKind.AUTO, true))
                .orElseGet(() -> PushResult.skipped(contactId, null, "Beamery has no contact " + contactId + "."));
    }

    /** Works a batch of contacts already read from Beamery (the poll), a few at a time. */
    List<PushResult> syncAll(List<Work> work) {
        List<Future<PushResult>> running = new ArrayList<>();
        for (Work w : work) {
            running.add(pool.submit(() -> sync(w.contact(), w.kind(), false)));
        }
        return collect(running);
    }

    /** A contact to sync and, when it is new to Greenhouse, how to create it. */
    record Work(JsonNode contact, PushKind kind) {
    }

    /**
     * @param explicit a person asked (push endpoint, replay): a projection that failed before is tried again,
     *                 and a failure Greenhouse may recover from is dead-lettered too (the poll retries those itself)
     */
    PushResult sync(JsonNode contact, PushKind kind, boolean explicit) {
        String contactId = contact.path("id").asText();
        synchronized (contactLocks[Math.floorMod(contactId.hashCode(), LOCK_STRIPES)]) {
            Long greenhouseId = linkedCandidate(contact);
            String hash = ContactProjection.hash(contact);
            try {
                if (contact.hasNonNull("archivedAt") || guard.isAnonymizedBeamery(contactId)) {
                    return PushResult.skipped(contactId, greenhouseId, "The contact is anonymized in Beamery; it is never pushed.");
                }
                if (contact.hasNonNull("mergedIn")) {
                    return PushResult.skipped(contactId, greenhouseId,
                            "The contact was merged into " + contact.get("mergedIn").asText() + "; push that contact.");
                }
                if (!explicit && hash.equals(state.get(contactId).failedHash())) {
                    return PushResult.skipped(contactId, greenhouseId, "Greenhouse refused this version of the contact;"
                            + " it is tried again when the contact changes or its dead letter is replayed.");
                }
                if (greenhouseId != null) {
                    return guard.isAnonymizedGreenhouse(String.valueOf(greenhouseId))
                            ? PushResult.skipped(contactId, greenhouseId, "The candidate is anonymized in Greenhouse.")
                            : update(contact, greenhouseId, hash);
                }
                if (guard.anyEmailAnonymized(CandidateWriter.emails(contact))) {
                    return PushResult.skipped(contactId, null, "The person was anonymized; they are not pushed again.");
                }
                return create(contact, kind, hash);
            } catch (RuntimeException e) {
                return failed(contactId, greenhouseId, hash, e, explicit);
            }
        }
    }

    private PushResult update(JsonNode contact, long greenhouseId, String hash) {
        String contactId = contact.path("id").asText();
        OutboundState.State known = state.get(contactId);
        if (hash.equals(known.outboundHash())) {
            return PushResult.of(contactId, "unchanged", greenhouseId);
        }
        ObjectNode candidate = mapping.candidate(contact);
        if (hash.equals(known.inboundHash())) {
            // Greenbridge wrote this state from Greenhouse: Greenhouse already holds it
            state.recordSent(contactId, hash, candidate);
            return PushResult.of(contactId, "unchanged", greenhouseId);
        }
        boolean wrote = writer.apply(greenhouseId, contactId, CandidateChanges.between(known.sentBody(), candidate));
        wrote |= writer.addApplications(greenhouseId, contactId, candidate.path("applications")) > 0;
        state.recordSent(contactId, hash, candidate);
        return PushResult.of(contactId, wrote ? "updated" : "unchanged", greenhouseId);
    }

    private PushResult create(JsonNode contact, PushKind kind, String hash) {
        String contactId = contact.path("id").asText();
        ObjectNode candidate = mapping.candidate(contact);
        boolean prospect = kind == PushKind.PROSPECT || candidate.path("applications").isEmpty();
        if (kind == PushKind.PROSPECT) {
            candidate.putArray("applications"); // the rule asked for a prospect: no job applications
        }
        Optional<Long> existing = writer.findByEmail(contact).flatMap(CandidateWriter::candidateId);
        boolean wasPending = pending.isPending(contactId);
        if (existing.isEmpty() && wasPending) {
            return pendingResult(contactId); // created already: Greenhouse has not made the record yet; never create twice
        }
        Optional<Long> made = existing.isPresent() ? existing : writer.create(candidate, prospect, contact);
        if (made.isEmpty()) {
            pending.mark(contactId);
            LOG.info("Push of contact {}: Greenhouse accepted the candidate without returning it; linked on a later poll", contactId);
            return pendingResult(contactId);
        }
        pending.clear(contactId);
        long greenhouseId = made.get();
        boolean linkedExisting = existing.isPresent() && !wasPending;
        // the candidate's lock, as the Greenhouse → Beamery flow takes it: its webhook for this candidate waits for the link
        return candidateLocks.withCandidate(String.valueOf(greenhouseId), () -> {
            Optional<LinkStore.Link> other = links.byGreenhouseId("candidate", String.valueOf(greenhouseId));
            if (other.isPresent() && !other.get().beameryId().equals(contactId)) {
                return PushResult.skipped(contactId, greenhouseId, "Greenhouse candidate " + greenhouseId
                        + " with this email is already linked to Beamery contact " + other.get().beameryId()
                        + "; merge the two contacts in Beamery.");
            }
            writer.link(greenhouseId, contactId);
            writer.addApplications(greenhouseId, contactId, candidate.path("applications"));
            state.recordSent(contactId, hash, candidate);
            // linked: Greenhouse keeps its profile; later Beamery edits flow as usual
            return PushResult.of(contactId, linkedExisting ? "linked" : "created", greenhouseId);
        });
    }

    private static PushResult pendingResult(String contactId) {
        return new PushResult(contactId, PushResult.PENDING, null, "Greenhouse accepted the candidate but has not returned it"
                + " yet (asynchronous create); Greenbridge finds it by email and links it on the next poll.");
    }

    /** The poll's second look at contacts whose create Greenhouse answered without the record. */
    List<PushResult> retryPending() {
        List<Future<PushResult>> running = new ArrayList<>();
        for (String contactId : pending.all()) {
            running.add(pool.submit(() -> beamery.findContact(contactId)
                    .map(c -> {
                        PushResult r = sync(c, PushKind.AUTO, false);
                        if (r.greenhouseId() != null) {
                            pending.clear(contactId); // linked meanwhile (e.g. by its integration id)
                        }
                        return r;
                    })
                    .orElseGet(() -> {
                        pending.clear(contactId);
                        return PushResult.skipped(contactId, null, "Beamery has no contact " + contactId + ".");
                    })));
        }
        return collect(running);
    }

    /** The candidate linked to this contact: the link store, else the id Beamery holds (then linked). */
    private Long linkedCandidate(JsonNode contact) {
        String contactId = contact.path("id").asText();
        Optional<LinkStore.Link> link = links.byBeameryId("candidate", contactId);
        if (link.isPresent()) {
            return Long.valueOf(link.get().greenhouseId());
        }
        String held = contact.path("integrations").path("greenhouse").path("id").asText("");
        if (held.matches("\\d+") && links.byGreenhouseId("candidate", held).isEmpty()) {
            links.put("candidate", held, contactId, null);
            return Long.valueOf(held);
        }
        return null;
    }

    private PushResult failed(String contactId, Long greenhouseId, String hash, Throwable e, boolean explicit) {
        boolean retryable = e instanceof RemoteCallException r && r.retryable();
        String message = GreenhouseMessages.of(e);
        if (!retryable && hash != null) {
            state.recordFailed(contactId, hash);
        }
        if (!retryable || explicit) {
            deadLetters.record(DEAD_LETTER_SOURCE, contactId, "Push of Beamery contact " + contactId + " to Greenhouse",
                    e, contactId);
        } else {
            LOG.warn("Push of contact {} will be retried by the next poll: {}", contactId, message);
        }
        return new PushResult(contactId, "failed", greenhouseId, message);
    }

    private static List<PushResult> collect(List<Future<PushResult>> running) {
        List<PushResult> results = new ArrayList<>(running.size());
        for (Future<PushResult> f : running) {
            try {
                results.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while pushing contacts", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return results;
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
