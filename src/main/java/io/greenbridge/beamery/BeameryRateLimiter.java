package io.greenbridge.beamery;

import java.net.http.HttpHeaders;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The one Beamery request budget every flow shares (Beamery allows 40 requests/s per tenant).
 *
 * <p>Three rules decide when the next call may start:
 * <ul>
 * <li>spacing: starts are at least {@code 1s / requestsPerSecond} apart, so the budget is spent smoothly;</li>
 * <li>window: a call holds one of {@code requestsPerSecond − 1} slots from its start until one second after its
 * response, so however late a request reaches Beamery, no rolling second there sees more than that many
 * (one slot is kept back so our own traffic never drives {@code x-ratelimit-remaining} to 0, which would
 * cost a whole reset pause);</li>
 * <li>Beamery's own rule: after a 429 or {@code x-ratelimit-remaining} &lt; 1, nobody calls for
 * {@code x-ratelimit-reset} seconds.</li>
 * </ul>
 * Callers use {@link #acquire()} before a request and {@link #completed(int, HttpHeaders)} or
 * {@link #failed()} after it.
 */
@Component
public class BeameryRateLimiter {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);
    private static final Duration DEFAULT_RESET = Duration.ofSeconds(1);

    private final long spacingNanos;
    private final int slots;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final Condition changed = lock.newCondition();
    private final Deque<Long> releases = new ArrayDeque<>();
    private int inFlight;
    private long nextStart = System.nanoTime();
    private long pausedUntil = System.nanoTime();

    @Autowired
    public BeameryRateLimiter(GreenbridgeProperties properties) {
        this(properties.beamery().requestsPerSecond());
    }

    public BeameryRateLimiter(int requestsPerSecond) {
        if (requestsPerSecond < 1) {
            throw new IllegalArgumentException("requestsPerSecond must be at least 1");
        }
        this.spacingNanos = WINDOW_NANOS / requestsPerSecond;
        this.slots = Math.max(1, requestsPerSecond - 1);
    }

    /** Blocks until a call may start, and takes a slot for it. */
    public void acquire() throws InterruptedException {
        lock.lockInterruptibly();
        try {
            while (true) {
                long now = System.nanoTime();
                while (!releases.isEmpty() && releases.peekFirst() - now <= 0) {
                    releases.pollFirst();
                }
                long readyAt = Math.max(nextStart, pausedUntil);
                if (inFlight + releases.size() >= slots) {
                    // all slots busy: the earliest frees when its second is over, or when a response arrives
                    readyAt = releases.isEmpty() ? Long.MAX_VALUE : Math.max(readyAt, releases.peekFirst());
                }
                if (readyAt == Long.MAX_VALUE) {
                    changed.await();
                } else if (readyAt - now > 0) {
                    changed.awaitNanos(readyAt - now);
                } else {
                    inFlight++;
                    nextStart = now + spacingNanos;
                    return;
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** A response arrived: its slot frees one second from now, and Beamery's rate-limit headers are obeyed. */
    public void completed(int status, HttpHeaders headers) {
        long remaining = headers.firstValueAsLong("x-ratelimit-remaining").orElse(Long.MAX_VALUE);
        Duration pause = status == 429 || remaining < 1 ? resetOf(headers) : Duration.ZERO;
        lock.lock();
        try {
            long now = release();
            if (!pause.isZero()) {
                pausedUntil = Math.max(pausedUntil, now + pause.toNanos());
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The call got no response (connect error, timeout): its slot frees one second from now. */
    public void failed() {
        lock.lock();
        try {
            release();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Read under the lock so the release times stay in order. */
    private long release() {
        long now = System.nanoTime();
        inFlight--;
        releases.addLast(now + WINDOW_NANOS);
        return now;
    }

    private static Duration resetOf(HttpHeaders headers) {
        return headers.firstValue("x-ratelimit-reset")
                .map(String::trim)
                .flatMap(BeameryRateLimiter::seconds)
                .orElse(DEFAULT_RESET);
    }

    private static Optional<Duration> seconds(String value) {
        try {
            double s = Double.parseDouble(value);
            return s >= 0 ? Optional.of(Duration.ofMillis((long) Math.ceil(s * 1000))) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
