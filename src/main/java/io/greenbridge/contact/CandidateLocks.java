package io.greenbridge.contact;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.cluster.NodeIdentity;

/**
 * One writer per claim key (a Greenhouse candidate id, {@code beamery:<contact id>}, ...) at a time, across threads
 * and nodes: a key held by a thread of this JVM, then a {@code candidate_claims} row owned by this node. Webhooks,
 * backfill, reconciliation and the Beamery→Greenhouse flow all take it before matching or creating a contact, so one
 * person never gets two contacts. A claim lives only while its work runs; a dead node's claims are freed by
 * {@link io.greenbridge.cluster.NodeRegistry} as soon as the node is known dead, so there is no lease.
 * The inbox never waits for a busy key ({@link #tryWithCandidate}); other callers wait briefly.
 */
@Component
public class CandidateLocks {
    /** Long enough for one candidate's sync to finish; a busy key after this is retried by the caller's own retry. */
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final long POLL_MILLIS = 50;

    private final JdbcTemplate jdbc;
    private final String owner;
    /** Keys held in this JVM and by which thread. */
    private final ConcurrentHashMap<String, Thread> local = new ConcurrentHashMap<>();
    /** Keys this thread holds, so a nested call for the same key just runs. */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);
    /** Set while an inbox worker runs: a nested busy key fails at once instead of stalling the worker. */
    private final ThreadLocal<Boolean> noWait = ThreadLocal.withInitial(() -> false);

    public CandidateLocks(DataSource dataSource, NodeIdentity node) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.owner = node.id();
    }

    /**
     * Runs {@code work} holding the key; throws a retryable {@link CandidateBusyException} when another worker keeps
     * it longer than 10 s (at once on an inbox worker; the inbox then hands the event back).
     */
    public <T> T withCandidate(String key, Supplier<T> work) {
        if (held.get().contains(key)) {
            return work.get();
        }
        long deadline = System.nanoTime() + (noWait.get() ? 0 : WAIT.toNanos());
        while (!acquire(key)) {
            if (System.nanoTime() >= deadline) {
                throw new CandidateBusyException(key);
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CandidateBusyException(key);
            }
        }
        return runHolding(key, work);
    }

    public void withCandidate(String key, Runnable work) {
        withCandidate(key, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} holding the key if it is free now, else returns empty without waiting. Inside, a nested
     * {@link #withCandidate} for another busy key throws at once, so the caller is never stalled.
     */
    public <T> Optional<T> tryWithCandidate(String key, Supplier<T> work) {
        boolean nested = held.get().contains(key);
        if (!nested && !acquire(key)) {
            return Optional.empty();
        }
        boolean before = noWait.get();
        noWait.set(true);
        try {
            return Optional.ofNullable(nested ? work.get() : runHolding(key, work));
        } finally {
            noWait.set(before);
        }
    }

    private <T> T runHolding(String key, Supplier<T> work) {
        held.get().add(key);
        try {
            return work.get();
        } finally {
            held.get().remove(key);
            try {
                jdbc.update("DELETE FROM candidate_claims WHERE claim_key = ? AND claimed_by = ?", key, owner);
            } finally {
                local.remove(key, Thread.currentThread());
            }
        }
    }

    /** Takes the key in this JVM, then across nodes; false when either is held by someone else. */
    private boolean acquire(String key) {
        if (local.putIfAbsent(key, Thread.currentThread()) != null) {
            return false;
        }
        try {
            jdbc.update("INSERT INTO candidate_claims (claim_key, claimed_by, claimed_at) VALUES (?,?,?)",
                    key, owner, Timestamp.from(Instant.now()));
            return true;
        } catch (DuplicateKeyException e) {
            local.remove(key, Thread.currentThread());
            return false;
        } catch (RuntimeException e) {
            local.remove(key, Thread.currentThread());
            throw e;
        }
    }
}
