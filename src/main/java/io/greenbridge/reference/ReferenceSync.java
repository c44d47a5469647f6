package io.greenbridge.reference;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.routes.RouteDeadLetters;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code reference} flow (hourly, POST /api/sync/reference, JMX): the pipeline is the route
 * {@code direct:reference-sync} in routes/reference-sync.yaml; this bean only starts it under {@link
 * io.greenbridge.sync.SyncRunner}'s bookkeeping, with the run's summary as the exchange property
 * {@value SyncCounts#SUMMARY}.
 */
@Component
public class ReferenceSync implements SyncFlow {
    public static final String ROUTE = "direct:reference-sync";
    private final ProducerTemplate camel;

    public ReferenceSync(ProducerTemplate camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void run(SyncSummary summary) throws Exception {
        Exchange done = camel.send(ROUTE, ex -> {
            ex.setProperty(SyncCounts.SUMMARY, summary);
            ex.setProperty(RouteDeadLetters.FLOW, name());
        });
        if (done.getException() != null) {
            throw done.getException();
        }
    }
}
