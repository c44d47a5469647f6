package io.greenbridge.inbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.greenbridge.candidate.CandidatePrefetch;
import io.greenbridge.cluster.ClusterSettings;
import io.greenbridge.cluster.NodeRegistry;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.CandidateBusyException;
import io.greenbridge.contact.CandidateLocks;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.support.Backoff;
import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;

/**
 * Works off the inbox: claims due events, hands each to the flows ({@code direct:greenhouse-event}, see
 * routes/greenhouse-events.yaml) under its candidate's claim, and records the outcome. At-least-once: an event is done
 * only after its flow returned; a retryable failure comes back with {@link Backoff}; the rest go to the dead letters.
 * An event whose candidate another worker holds is handed back, not waited for. The workers run continuously: as one
 * finishes, the next claim is made at once while there is work. On shutdown the node stops claiming, lets running
 * events finish within the shutdown grace period, hands back the rest and logs what it did.
 */
@Component
public class InboxWorker implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWorker.class);
    /** Stops after the web server's graceful shutdown (no new webhooks) and before Camel (the flows still run). */
    static final int PHASE = Integer.MAX_VALUE - 2000;

    private final InboxStore inbox;
    private final DeadLetterStore deadLetters;
    // looked up at start: a Spring lifecycle bean holding Camel directly would start Camel before its routes are added
    private final ObjectProvider<ProducerTemplate> producers;
    private final ObjectProvider<CamelContext> camels;
    private volatile ProducerTemplate producer;
    private volatile CamelContext camel;
    private final CandidateLocks locks;
    private final NodeRegistry registry;
    private final CandidatePrefetch prefetch;
    private final GreenbridgeProperties.Inbox settings;
    private final ClusterSettings cluster;
    private final String dispatchUri;
    private final Duration grace;
    private final String node;
    private final Semaphore free;
    private final Set<Long> inFlight = ConcurrentHashMap.newKeySet();
    private final Object finished = new Object();
    private final AtomicInteger drainFinished = new AtomicInteger();
    private final AtomicInteger drainHandedBack = new AtomicInteger();
    private volatile ExecutorService pool;
    private volatile boolean running;
    private volatile boolean stopping;

    public InboxWorker(InboxStore inbox, DeadLetterStore deadLetters, ObjectProvider<ProducerTemplate> producers,
                       ObjectProvider<CamelContext> camels,
                       CandidateLocks locks, NodeRegistry registry, CandidatePrefetch prefetch,
                       GreenbridgeProperties props, ClusterSettings cluster,
                       @Value("${greenbridge.inbox.dispatch-uri:direct:greenhouse-event}") String dispatchUri,
                       @Value("${spring.lifecycle.timeout-per-shutdown-phase:30s}") Duration grace) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.producers = producers;
        this.camels = camels;
        this.locks = locks;
        this.registry = registry;
        this.prefetch = prefetch;
        this.settings = props.inbox();
        this.cluster = cluster;
        this.dispatchUri = dispatchUri;
        this.grace = grace;
        this.node = registry.nodeId();
        this.free = new Semaphore(Math.max(1, settings.workers()));
    }

    /**
     * Claims and dispatches while there is work; returns when the inbox has nothing claimable and no event is running
     * (the route then waits its poll interval). Returns how many ran. While a worker is free a claim takes up to
     * batch-size events (one per candidate), so a backlog's candidates are read from Harvest in bulk
     * ({@link CandidatePrefetch}); the events then wait for a free worker in claim order.
     */
    public int poll() throws InterruptedException {
        int total = 0;
        while (running && !stopping) {
            int capacity = free.availablePermits() == 0 ? 0 : settings.batchSize();
            if (capacity == 0) {
                awaitFinished();
                continue;
            }
            List<InboxEvent> batch = inbox.claim(node, capacity);
            if (batch.isEmpty()) {
                if (inFlight.isEmpty()) {
                    return total;
                }
                awaitFinished(); // the next event of a running candidate is claimable once it finished
                continue;
            }
            dispatch(batch);
            total += batch.size();
        }
        return total;
    }

    /** Reads the batch's candidates in bulk when there are several, then runs it on the worker pool, one task per event. */
    void dispatch(List<InboxEvent> batch) {
        Map<Long, Object> prefetched = prefetch.attach(batch);
        for (InboxEvent event : batch) {
            free.acquireUninterruptibly(); // waits for a free worker: a claim can take more events than there are workers
            inFlight.add(event.id());
            try {
                pool.execute(() -> {
                    try {
                        process(event, prefetched.get(event.id()));
                    } finally {
                        done(event);
                    }
                });
            } catch (RuntimeException rejected) { // pool shut down
                inbox.handBack(event.id(), node, Duration.ZERO);
                done(event);
            }
        }
    }

    private void done(InboxEvent event) {
        inFlight.remove(event.id());
        free.release();
        synchronized (finished) {
            finished.notifyAll();
        }
    }

    private void awaitFinished() throws InterruptedException {
        synchronized (finished) {
            finished.wait(Math.max(1, settings.pollInterval().toMillis()));
        }
    }

    /** Runs one event; {@code candidate} is its candidate's prefetched state, null when not prefetched. */
    void process(InboxEvent event, Object candidate) {
        if (stopping) {
            inbox.handBack(event.id(), node, Duration.ZERO);
            drainHandedBack.incrementAndGet();
            return;
        }
        String key = event.claimKey();
        boolean ran = key == null ? run(event, candidate)
                : locks.tryWithCandidate(key, () -> run(event, candidate)).orElse(false);
        if (!ran) {
            inbox.handBack(event.id(), node, cluster.handBackDelay());
            LOG.debug("Event {} handed back: candidate {} is busy", event.id(), key);
        } else if (stopping) {
            drainFinished.incrementAndGet();
        }
    }

    /** Runs the flow and records the outcome; false when a candidate it needed was busy (nothing recorded). */
    private boolean run(InboxEvent event, Object candidate) {
        try {
            Exchange done = producer.send(dispatchUri, exchange -> {
                exchange.getIn().setBody(event.payload());
                Map.of("GreenhouseAction", event.action(),
                        "GreenhouseEventId", event.eventId() == null ? "" : event.eventId(),
                        "InboxId", event.id(),
                        "GreenhouseEntityId", event.entityId() == null ? "" : event.entityId(),
                        "InboxAttempt", event.attempts()).forEach(exchange.getIn()::setHeader);
                if (candidate != null) {
                    exchange.setProperty(CandidatePrefetch.PROPERTY, candidate);
                }
            });
            if (done.getException() != null) {
                throw done.getException();
            }
            inbox.markDone(event.id(), node);
        } catch (Exception e) {
            Throwable cause = unwrap(e);
            if (cause instanceof CandidateBusyException) {
                return false;
            }
            String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
            if (!retryable(cause) || event.attempts() >= settings.maxAttempts()) {
                String why = retryable(cause) ? "gave up after " + event.attempts() + " attempts: " + reason : reason;
                inbox.markDead(event.id(), node, why);
                deadLetters.record("inbox", String.valueOf(event.id()),
                        event.action() + " " + event.entityId(), new FailureWithReason(why, cause), event.payload());
            } else {
                Instant next = Instant.now().plus(backoff(event.attempts()));
                LOG.info("Event {} ({} {}) attempt {} failed, retrying at {}: {}", event.id(), event.action(),
                        event.entityId(), event.attempts(), next, reason);
                inbox.retryLater(event.id(), node, next, reason);
            }
        }
        return true;
    }

    Duration backoff(int attempts) {
        return Backoff.exponential(settings.backoffInitial(), attempts - 1, settings.backoffMax());
    }

    static boolean retryable(Throwable t) {
        if (t instanceof PermanentFailureException) {
            return false;
        }
        if (t instanceof RemoteCallException r) {
            return r.retryable();
        }
        // parse errors in a stored payload will not heal by waiting
        return !(t instanceof com.fasterxml.jackson.core.JsonProcessingException || t instanceof IllegalArgumentException);
    }

    static Throwable unwrap(Throwable e) {
        Throwable t = e;
        while ((t instanceof CamelExecutionException || t instanceof org.apache.camel.RuntimeCamelException)
                && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    @Override
    public void start() {
        camel = camels.getObject();
        producer = producers.getObject();
        pool = camel.getExecutorServiceManager().newFixedThreadPool(this, "inbox-worker", Math.max(1, settings.workers()));
        stopping = false;
        running = true;
    }

    @Override
    public void stop() {
        drain();
    }

    @Override
    public void stop(Runnable callback) {
        Thread t = new Thread(() -> {
            try {
                drain();
            } finally {
                callback.run();
            }
        }, "inbox-drain");
        t.start();
    }

    /** Stops claiming, waits for running events within the grace period, and says what happened. */
    void drain() {
        if (!running) {
            return;
        }
        stopping = true;
        int atStart = inFlight.size();
        LOG.info("Inbox: stopping on node {}; no more claims, {} events running", node, atStart);
        long deadline = System.nanoTime() + grace.minusSeconds(2).toNanos();
        try {
            while (!inFlight.isEmpty() && System.nanoTime() < deadline) {
                synchronized (finished) {
                    finished.wait(100);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Set<Long> left = Set.copyOf(inFlight);
        camel.getExecutorServiceManager().shutdown(pool);
        running = false;
        if (left.isEmpty()) {
            LOG.info("Inbox: drained on node {}: {} events finished, {} handed back", node, drainFinished.get(),
                    drainHandedBack.get());
            registry.leave();
        } else {
            LOG.warn("Inbox: grace period ({}) over on node {}: {} events finished, {} handed back, {} still running {}"
                    + " (another node takes them over once this one missed its check-ins)", grace, node,
                    drainFinished.get(), drainHandedBack.get(), left.size(), left);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** Keeps the HTTP status and response of the original failure while carrying the final reason. */
    private static final class FailureWithReason extends RuntimeException {
        FailureWithReason(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
