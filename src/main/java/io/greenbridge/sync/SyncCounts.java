package io.greenbridge.sync;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * Route step {@code bean: syncCounts}: counts the record's {@code outcome} header into the run's summary (the
 * exchange property {@value #SUMMARY}, set by the flow that started the route). No summary: nothing to count.
 */
@Component("syncCounts")
public class SyncCounts {
    /** Exchange property holding the run's {@link SyncSummary}. */
    public static final String SUMMARY = "syncSummary";
    /** Header naming a record's outcome: created, updated, unchanged, skipped or failed. */
    public static final String OUTCOME = "outcome";

    public void count(@ExchangeProperty(SUMMARY) SyncSummary summary, @Header(OUTCOME) String outcome) {
        if (summary != null) {
            summary.count(outcome == null ? "skipped" : outcome);
        }
    }
}
