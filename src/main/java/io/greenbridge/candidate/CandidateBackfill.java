package io.greenbridge.candidate;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.CursorStore;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The historic sync ({@code POST /api/sync/candidates}, or on first start with
 * greenbridge.candidates.backfill-on-start): every candidate and prospect with its applications, notes and
 * attachments, streamed page by page from Harvest v3 (ids descending). Resumable: cursor {@code candidates}
 * holds {@code below:<id>}, the lowest id of the last fully processed page, and a restarted run skips the
 * candidates above it; a finished run leaves {@code complete:<started>} and the next run starts over.
 * Private (and, when configured, confidential) candidates are recorded as blocked and never created.
 */
@Component
public class CandidateBackfill implements SyncFlow {
    static final String CURSOR = "candidates";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateBackfill.class);

    private final HarvestClient harvest;
    private final CandidateLoader loader;
    private final CandidateBatch batch;
    private final CandidateSync sync;
    private final CursorStore cursors;

    public CandidateBackfill(HarvestClient harvest, CandidateLoader loader, CandidateBatch batch, CandidateSync sync,
                             CursorStore cursors) {
        this.harvest = harvest;
        this.loader = loader;
        this.batch = batch;
        this.sync = sync;
        this.cursors = cursors;
    }

    @Override
    public String name() {
        return "candidates";
    }

    @Override
    public void run(SyncSummary summary) {
        run(summary, sync.defaults("backfill"));
    }

    public void run(SyncSummary summary, CandidateSync.Context context) {
        Instant started = Instant.now();
        long below = cursors.get(CURSOR).filter(c -> c.startsWith("below:"))
                .map(c -> Long.parseLong(c.substring("below:".length()))).orElse(Long.MAX_VALUE);
        if (below != Long.MAX_VALUE) {
            LOG.info("Candidate backfill resumes below id {}", below);
        }
        harvest.forEachPage("candidates", Map.of(), page -> {
            List<JsonNode> todo = page.stream().filter(c -> c.path("id").asLong() < below).toList();
            if (todo.isEmpty()) {
                return;
            }
            batch.syncAll(loader.assemble(todo, context.blockConfidential()).values(), context, summary);
            long lowest = todo.stream().mapToLong(c -> c.path("id").asLong()).min().orElseThrow();
            cursors.put(CURSOR, "below:" + lowest);
        });
        cursors.put(CURSOR, "complete:" + started);
        // webhooks cover what changed during the run; reconciliation takes over from its start
        if (cursors.get(CandidateReconcile.CURSOR).isEmpty()) {
            cursors.put(CandidateReconcile.CURSOR, started.toString());
        }
    }

    /** True when no backfill has ever started (backfill-on-start then runs one). */
    public boolean neverRan() {
        Optional<String> c = cursors.get(CURSOR);
        return c.isEmpty();
    }
}
