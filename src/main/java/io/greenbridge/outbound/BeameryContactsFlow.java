package io.greenbridge.outbound;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.routes.RouteDeadLetters;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code beamery} flow (Quartz, {@code greenbridge.outbound.cron}; {@code POST /api/sync/beamery}): the pipeline
 * is the route {@code direct:beamery-contacts} in routes/contacts-outbound.yaml; this bean only starts it under
 * {@link io.greenbridge.sync.SyncRunner}'s bookkeeping, with the run's summary as exchange property
 * {@value SyncCounts#SUMMARY}.
 */
@Component
public class BeameryContactsFlow implements SyncFlow {
    public static final String ROUTE = "direct:beamery-contacts";
    private final ProducerTemplate camel;

    public BeameryContactsFlow(ProducerTemplate camel) {
        this.camel = camel;
    }

    @Override
    public String name() {
        return "beamery";
    }

    @Override
    public void run(SyncSummary summary) throws Exception {
        Exchange done = camel.send(ROUTE, ex -> {
            ex.setProperty(SyncCounts.SUMMARY, summary);
            ex.setProperty(RouteDeadLetters.FLOW, GreenhousePush.DEAD_LETTER_SOURCE);
        });
        if (done.getException() != null) {
            throw done.getException();
        }
    }
}
