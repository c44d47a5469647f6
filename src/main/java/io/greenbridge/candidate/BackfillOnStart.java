package io.greenbridge.candidate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.sync.SyncRunner;

/** greenbridge.candidates.backfill-on-start: the first start (no backfill cursor yet) runs the historic sync. */
@Component
public class BackfillOnStart {
    private static final Logger LOG = LoggerFactory.getLogger(BackfillOnStart.class);

    private final GreenbridgeProperties props;
    private final CandidateBackfill backfill;
    private final SyncRunner runner;

    public BackfillOnStart(GreenbridgeProperties props, CandidateBackfill backfill, SyncRunner runner) {
        this.props = props;
        this.backfill = backfill;
        this.runner = runner;
    }

    @EventListener(ApplicationReadyEvent.class)
    public void start() {
        if (props.candidates().backfillOnStart() && backfill.neverRan()) {
            LOG.info("First start: running the candidate backfill");
            runner.start(backfill.name());
        }
    }
}
