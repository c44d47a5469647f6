package io.greenbridge.ops;

import org.springframework.stereotype.Component;

import io.greenbridge.inbox.InboxStore;
import io.greenbridge.store.DeadLetterStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/** Gauges for /actuator/prometheus: inbox depth by status, inbox lag and open dead letters. */
@Component
public class GreenbridgeMetrics {
    public GreenbridgeMetrics(MeterRegistry registry, InboxStore inbox, DeadLetterStore deadLetters) {
        for (String status : new String[] {"pending", "processing", "dead"}) {
            Gauge.builder("greenbridge.inbox.events", inbox, i -> i.countsByStatus().getOrDefault(status, 0L))
                    .tag("status", status).description("Webhook events in the inbox").register(registry);
        }
        Gauge.builder("greenbridge.inbox.lag.seconds", inbox, i -> i.oldestPendingAge().map(d -> d.toSeconds()).orElse(0L))
                .description("Age of the oldest unfinished webhook event").register(registry);
        Gauge.builder("greenbridge.dead.letters.open", deadLetters, DeadLetterStore::countOpen)
                .description("Dead letters awaiting replay").register(registry);
    }
}
