package io.greenbridge.routes;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncSummary;

/**
 * The dead-letter step of {@code routes/error-handling.yaml}: records the failed record with its reason (and a
 * remote call's status and answer) in the dead-letter store, and counts it as failed in the run's summary.
 * Source: the exchange property {@value #FLOW} (the flow's name, so a replayer can find it), else the route id;
 * ref: the header {@value #REF} that the flow sets per record (ids only, never an email).
 */
@Component("routeDeadLetters")
public class RouteDeadLetters {
    /** Exchange property: the flow's name (the dead letter's source). */
    public static final String FLOW = "flow";
    /** Header: what the record is, e.g. {@code source 4501}. */
    public static final String REF = "recordRef";
    private final DeadLetterStore store;

    public RouteDeadLetters(DeadLetterStore store) {
        this.store = store;
    }

    public void record(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        String endpoint = exchange.getProperty(Exchange.FAILURE_ENDPOINT, String.class);
        String source = exchange.getProperty(FLOW, route, String.class);
        String ref = exchange.getMessage().getHeader(REF, exchange.getExchangeId(), String.class);
        String summary = "route " + route + (endpoint == null ? "" : " at " + endpoint);
        Object body = exchange.getMessage().getBody();
        store.record(source, ref, summary, failure == null ? new IllegalStateException("unknown failure") : failure,
                body == null ? null : body.toString());
        exchange.getMessage().setHeader(SyncCounts.OUTCOME, "failed");
        SyncSummary run = exchange.getProperty(SyncCounts.SUMMARY, SyncSummary.class);
        if (run != null) {
            run.count("failed");
        }
    }
}
