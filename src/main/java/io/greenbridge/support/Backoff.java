package io.greenbridge.support;

import java.time.Duration;

/**
 * The one backoff formula every retry in Greenbridge uses (clients, token providers, inbox, outbox):
 * {@code initial × 2^retry}, capped at {@code max}. {@code retry} counts from 0 for the first retry.
 */
public final class Backoff {
    private Backoff() {
    }

    public static Duration exponential(Duration initial, int retry, Duration max) {
        Duration d = initial.multipliedBy(1L << Math.min(Math.max(0, retry), 30));
        return d.compareTo(max) > 0 ? max : d;
    }

    /** Sleeps between attempts; an interrupt (shutdown) ends the retry, keeping the interrupt flag. */
    public static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while backing off", e);
        }
    }
}
