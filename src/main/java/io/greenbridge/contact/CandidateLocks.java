package io.greenbridge.contact;

import java.lang.management.ManagementFactory;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.support.RemoteCallException;

/**
 * One writer per Greenhouse candidate at a time: a striped lock inside this JVM, then a claim row
 * ({@code candidate_claims}) across nodes. Webhooks, backfill, reconciliation and the Beamery→Greenhouse flow
 * all take it before matching or creating a contact, so one person never gets two contacts.
 */
@Component
public class CandidateLocks {
    private static final int STRIPES = 256;
    /** A claim outlives a sync by far; a node that died holding one frees it after this. */
    private static final Duration LEASE = Duration.ofMinutes(5);
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final JdbcTemplate jdbc;
    private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
    /** Candidates this thread holds, so a nested call for the same candidate just runs. */
    private final ThreadLocal<Set<String>> held = ThreadLocal.withInitial(HashSet::new);
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();

    public CandidateLocks(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new ReentrantLock();
        }
    }

    /**
     * Runs {@code work} holding the candidate; throws a retryable {@link RemoteCallException} when another
     * node keeps it longer than 30 s (the inbox then retries the event later).
     */
    public <T> T withCandidate(String greenhouseId, Supplier<T> work) {
        if (held.get().contains(greenhouseId)) {
            return work.get();
        }
        ReentrantLock lock = stripes[Math.floorMod(greenhouseId.hashCode(), STRIPES)];
        try {
            if (!lock.tryLock(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw busy(greenhouseId);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy(greenhouseId);
        }
        try {
            claim(greenhouseId);
            held.get().add(greenhouseId);
            try {
                return work.get();
            } finally {
                held.get().remove(greenhouseId);
                jdbc.update("DELETE FROM candidate_claims WHERE greenhouse_id = ? AND claimed_by = ?", greenhouseId, owner);
            }
        } finally {
            lock.unlock();
        }
    }

    public void withCandidate(String greenhouseId, Runnable work) {
        withCandidate(greenhouseId, () -> {
            work.run();
            return null;
        });
    }

    private void claim(String greenhouseId) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            Instant now = Instant.now();
            jdbc.update("DELETE FROM candidate_claims WHERE greenhouse_id = ? AND claimed_until < ?",
                    greenhouseId, Timestamp.from(now));
            try {
                jdbc.update("INSERT INTO candidate_claims (greenhouse_id, claimed_by, claimed_until) VALUES (?,?,?)",
                        greenhouseId, owner, Timestamp.from(now.plus(LEASE)));
                return;
            } catch (DuplicateKeyException e) {
                if (System.nanoTime() > deadline) {
                    throw busy(greenhouseId);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw busy(greenhouseId);
                }
            }
        }
    }

    private static RemoteCallException busy(String greenhouseId) {
        return new RemoteCallException("greenbridge", "sync of candidate " + greenhouseId, 0,
                "another sync holds this candidate", true);
    }
}
