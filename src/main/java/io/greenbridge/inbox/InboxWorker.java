package io.greenbridge.inbox;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.CamelExecutionException;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import io.greenbridge.candidate.CandidatePrefetch;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;

/**
 * Works off the inbox: claims due events, hands each to the flows ({@code direct:greenhouse-event}, see
 * routes/greenhouse-events.yaml) and records the outcome. At-least-once: an event is done only after its flow
 * returned; a retryable failure comes back with exponential backoff; the rest go to the dead letters.
 */
@Component
public class InboxWorker implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(InboxWorker.class);

    private final InboxStore inbox;
    private final DeadLetterStore deadLetters;
    private final ProducerTemplate producer;
    private final CandidatePrefetch prefetch;
    private final GreenbridgeProperties.Inbox settings;
    private final String dispatchUri;
    private final String workerId = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID();
    private final ExecutorService pool;

    public InboxWorker(InboxStore inbox, DeadLetterStore deadLetters, ProducerTemplate producer,
                       CandidatePrefetch prefetch, GreenbridgeProperties props,
                       @Value("${greenbridge.inbox.dispatch-uri:direct:greenhouse-event}") String dispatchUri) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.producer = producer;
        this.prefetch = prefetch;
        this.settings = props.inbox();
        this.dispatchUri = dispatchUri;
        this.pool = Executors.newFixedThreadPool(Math.max(1, settings.workers()), r -> {
            Thread t = new Thread(r, "inbox-worker");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * One poll: claim a batch (one event per partition, so up to batch-size candidates), read the candidates it
     * syncs in bulk when there are several, and process the events in parallel. Returns how many ran.
     */
    public int poll() throws InterruptedException {
        List<InboxEvent> batch = inbox.claim(workerId, settings.batchSize(), settings.claimLease());
        Map<Long, Object> prefetched = prefetch.attach(batch);
        List<Future<?>> running = new ArrayList<>(batch.size());
        for (InboxEvent event : batch) {
            running.add(pool.submit(() -> process(event, prefetched.get(event.id()))));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                LOG.error("Inbox worker failed unexpectedly", e.getCause());
            }
        }
        return batch.size();
    }

    /** Runs one event's flow; {@code candidate} is its candidate's prefetched state, null when not prefetched. */
    void process(InboxEvent event, Object candidate) {
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
            inbox.markDone(event.id(), workerId);
        } catch (Exception e) {
            Throwable cause = unwrap(e);
            String reason = cause.getMessage() == null ? cause.getClass().getName() : cause.getMessage();
            if (!retryable(cause) || event.attempts() >= settings.maxAttempts()) {
                String why = retryable(cause) ? "gave up after " + event.attempts() + " attempts: " + reason : reason;
                inbox.markDead(event.id(), workerId, why);
                deadLetters.record("inbox", String.valueOf(event.id()),
                        event.action() + " " + event.entityId(), new FailureWithReason(why, cause), event.payload());
            } else {
                Instant next = Instant.now().plus(backoff(event.attempts()));
                LOG.info("Event {} ({} {}) attempt {} failed, retrying at {}: {}", event.id(), event.action(),
                        event.entityId(), event.attempts(), next, reason);
                inbox.retryLater(event.id(), workerId, next, reason);
            }
        }
    }

    Duration backoff(int attempts) {
        long factor = 1L << Math.min(20, Math.max(0, attempts - 1));
        Duration d = settings.backoffInitial().multipliedBy(factor);
        return d.compareTo(settings.backoffMax()) > 0 ? settings.backoffMax() : d;
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
    public void destroy() {
        pool.shutdownNow();
    }

    /** Keeps the HTTP status and response of the original failure while carrying the final reason. */
    private static final class FailureWithReason extends RuntimeException {
        FailureWithReason(String reason, Throwable cause) {
            super(reason, cause);
        }
    }
}
