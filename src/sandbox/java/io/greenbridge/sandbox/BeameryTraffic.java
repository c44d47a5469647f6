package io.greenbridge.sandbox;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.greenbridge.sandbox.BeamerySimulator.LoggedRequest;

/** The simulated Beamery's traffic side: the rolling-second rate limit, injected faults and the request log. */
final class BeameryTraffic {
    private static final long WINDOW_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** What an arriving request meets: the rate-limit state, and a fault status to answer instead (0: none). */
    record Arrival(int limit, int remaining, int faultStatus, String faultMessage) {
    }

    private record Fault(String pathPrefix, int status, int[] left) {
    }

    private final Deque<Long> window = new ArrayDeque<>();
    private final List<LoggedRequest> log = new ArrayList<>();
    private final List<Fault> faults = new ArrayList<>();
    private int rateLimit = 40;
    private int maxInWindow;
    private int rateLimitNext;
    private long failUntil;
    private int failForStatus;

    synchronized void rateLimit(int perSecond) {
        rateLimit = perSecond;
    }

    synchronized void failNext(String pathPrefix, int status, int times) {
        faults.add(new Fault(pathPrefix, status, new int[] {times}));
    }

    synchronized void rateLimitNext(int times) {
        rateLimitNext += times;
    }

    synchronized void failFor(Duration duration, int status) {
        failUntil = System.nanoTime() + duration.toNanos();
        failForStatus = status;
    }

    /** Counts an API request (token requests have their own limit and are not counted) and decides its fate. */
    synchronized Arrival arrive(String path, boolean tokenRequest) {
        long now = System.nanoTime();
        while (!window.isEmpty() && now - window.peekFirst() >= WINDOW_NANOS) {
            window.pollFirst();
        }
        if (!tokenRequest) {
            window.addLast(now);
            maxInWindow = Math.max(maxInWindow, window.size());
        }
        int remaining = Math.max(0, rateLimit - window.size());
        if (!tokenRequest && window.size() > rateLimit) {
            return new Arrival(rateLimit, 0, 429, "Rate limit exceeded");
        }
        if (!tokenRequest && rateLimitNext > 0) {
            rateLimitNext--;
            return new Arrival(rateLimit, 0, 429, "Rate limit exceeded");
        }
        if (now - failUntil < 0) {
            return new Arrival(rateLimit, remaining, failForStatus, "Injected outage");
        }
        for (Fault f : faults) {
            if (f.left()[0] > 0 && path.startsWith(f.pathPrefix())) {
                f.left()[0]--;
                return new Arrival(rateLimit, remaining, f.status(), "Injected failure");
            }
        }
        return new Arrival(rateLimit, remaining, 0, null);
    }

    synchronized void record(LoggedRequest request) {
        log.add(request);
    }

    synchronized List<LoggedRequest> requests() {
        return List.copyOf(log);
    }

    synchronized long requestCount(String methodAndPathPrefix) {
        return log.stream()
                .filter(r -> (methodAndPathPrefix.startsWith("/") ? r.path() : r.method() + " " + r.path())
                        .startsWith(methodAndPathPrefix))
                .count();
    }

    synchronized int maxRequestsInAnyWindow() {
        return maxInWindow;
    }

    synchronized void clear() {
        log.clear();
        maxInWindow = window.size();
    }
}
