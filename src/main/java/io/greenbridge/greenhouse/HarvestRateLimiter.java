package io.greenbridge.greenhouse;

import java.net.http.HttpHeaders;
import java.time.Clock;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The one pacer for every flow that uses the Harvest credential. It learns the budget from the
 * {@code X-RateLimit-Limit/Remaining/Reset} headers (no ceiling is hard-coded): calls go straight through
 * while the window has room, wait for the reset once it is spent, and a 429's {@code Retry-After} holds
 * every caller until it passes.
 */
@Component
public class HarvestRateLimiter {
    /** Reset is whole epoch seconds; a little slack keeps us from arriving a hair before the new window. */
    private static final long RESET_SLACK_MS = 25;
    /** How long to hold callers when a fresh window's budget is spent before its first headers arrive. */
    private static final long UNKNOWN_RESET_WAIT_MS = 1_000;

    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final AtomicLong waitedMillis = new AtomicLong();

    private long limit = -1;          // last X-RateLimit-Limit, -1 unknown
    private long remaining = -1;      // calls left in this window, -1 unknown
    private long resetAtMillis;       // end of the current window, 0 unknown
    private long blockedUntilMillis;  // set by a 429's Retry-After

    @Autowired
    public HarvestRateLimiter() {
        this(Clock.systemUTC());
    }

    public HarvestRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Blocks until a call may be sent under the learned budget, then takes one unit of it. */
    public void acquire() {
        long started = clock.millis();
        lock.lock();
        try {
            while (true) {
                long now = clock.millis();
                if (now < blockedUntilMillis) {
                    await(blockedUntilMillis - now);
                    continue;
                }
                if (resetAtMillis > 0 && now >= resetAtMillis) {
                    // a new window: assume the last known limit until its headers arrive
                    resetAtMillis = 0;
                    remaining = limit;
                }
                if (remaining != 0) {
                    if (remaining > 0) {
                        remaining--;
                    }
                    return;
                }
                if (resetAtMillis > 0) {
                    await(resetAtMillis - now);
                } else if (!await(UNKNOWN_RESET_WAIT_MS)) {
                    remaining = -1; // no headers came back; let the server's answer decide
                }
            }
        } finally {
            lock.unlock();
            waitedMillis.addAndGet(clock.millis() - started);
        }
    }

    /** Learns the budget from a response's headers (any status). */
    public void update(HttpHeaders headers) {
        OptionalLong headerLimit = number(headers, "X-RateLimit-Limit");
        OptionalLong headerRemaining = number(headers, "X-RateLimit-Remaining");
        OptionalLong headerReset = number(headers, "X-RateLimit-Reset");
        if (headerRemaining.isEmpty()) {
            return;
        }
        lock.lock();
        try {
            headerLimit.ifPresent(l -> limit = l);
            long reset = headerReset.isPresent() ? headerReset.getAsLong() * 1000 + RESET_SLACK_MS : 0;
            if (reset != resetAtMillis) {
                // first answer of a new window: the server's count is the truth
                resetAtMillis = reset;
                remaining = headerRemaining.getAsLong();
            } else {
                // same window: calls sent since this answer left have already been counted locally
                remaining = remaining < 0 ? headerRemaining.getAsLong() : Math.min(remaining, headerRemaining.getAsLong());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** A 429: every caller waits out {@code Retry-After}. */
    public void rateLimited(Duration retryAfter) {
        lock.lock();
        try {
            long until = clock.millis() + Math.max(retryAfter.toMillis(), 0);
            blockedUntilMillis = Math.max(blockedUntilMillis, until);
            // Retry-After is the server's word on when to come back; the 429's own counters say nothing more
            remaining = -1;
            resetAtMillis = 0;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Total time callers spent waiting for budget (for benchmarks). */
    public Duration waited() {
        return Duration.ofMillis(waitedMillis.get());
    }

    /** @return false when the wait timed out without any change being signalled */
    private boolean await(long millis) {
        try {
            return changed.await(Math.max(millis, 1), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the Harvest rate limit", e);
        }
    }

    private static OptionalLong number(HttpHeaders headers, String name) {
        return headers.firstValue(name).map(String::trim).filter(v -> v.matches("\\d+"))
                .map(v -> OptionalLong.of(Long.parseLong(v))).orElse(OptionalLong.empty());
    }
}
