package io.greenbridge.candidate;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.store.CursorStore;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The historic sync ({@code POST /api/sync/candidates}, or on first start with greenbridge.candidates.backfill-on-start):
 * route {@code candidate-backfill} in routes/contacts-inbound.yaml. This bean starts it and keeps its resume point:
 * cursor {@code candidates} holds {@code below:<id>}, the lowest id of the last fully synced chunk (Harvest lists
 * ids descending), and a restarted run skips the candidates above it; a finished run leaves
 * {@code complete:<started>} and the next run starts over.
 */
@Component("candidateBackfill")
public class CandidateBackfill implements SyncFlow {
    static final String CURSOR = "candidates";
    static final String ROUTE = "direct:candidate-backfill";
    /** Candidates synced between two cursor saves. */
    static final int CHUNK = 100;
    private static final String STARTED = "backfillStarted";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateBackfill.class);

    private final ProducerTemplate camel;
    private final CandidateSync sync;
    private final CursorStore cursors;

    public CandidateBackfill(ProducerTemplate camel, CandidateSync sync, CursorStore cursors) {
        this.camel = camel;
        this.sync = sync;
        this.cursors = cursors;
    }

    @Override
    public String name() {
        return "candidates";
    }

    @Override
    public void run(SyncSummary summary) throws Exception {
        CandidateRuns.run(camel, ROUTE, summary, sync.defaults("backfill"));
    }

    /**
     * Split {@code each-chunk-of-candidates}: the listed candidates below the resume point, in chunks of {@value #CHUNK}
     * (read lazily: the listing streams page by page).
     */
    public Iterator<List<JsonNode>> chunks(Exchange exchange) {
        long below = cursors.get(CURSOR).filter(c -> c.startsWith("below:"))
                .map(c -> Long.parseLong(c.substring("below:".length()))).orElse(Long.MAX_VALUE);
        if (below != Long.MAX_VALUE) {
            LOG.info("Candidate backfill resumes below id {}", below);
        }
        @SuppressWarnings("unchecked")
        Iterator<JsonNode> listed = exchange.getMessage().getBody(Iterator.class);
        return new Iterator<>() {
            private List<JsonNode> next;

            @Override
            public boolean hasNext() {
                if (next == null) {
                    next = new ArrayList<>(CHUNK);
                    while (next.size() < CHUNK && listed.hasNext()) {
                        JsonNode c = listed.next();
                        if (c.path("id").asLong() < below) {
                            next.add(c);
                        }
                    }
                }
                return !next.isEmpty();
            }

            @Override
            public List<JsonNode> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                List<JsonNode> out = next;
                next = null;
                return out;
            }
        };
    }

    /** Step {@code start-backfill}: when the run started (the reconciliation takes over from there). */
    public void start(Exchange exchange) {
        exchange.setProperty(STARTED, Instant.now());
    }

    /** Step {@code lowest-id-of-chunk}: where a restarted run resumes once this chunk is done. */
    public long lowest(List<JsonNode> chunk) {
        return chunk.stream().mapToLong(c -> c.path("id").asLong()).min().orElseThrow();
    }

    /** Step {@code remember-backfill-position}: every candidate of the chunk was synced (or dead-lettered). */
    public void passed(long lowestId) {
        cursors.put(CURSOR, "below:" + lowestId);
    }

    /** Step {@code finish-backfill}: webhooks cover what changed during the run; reconciliation takes over from its start. */
    public void finished(Exchange exchange) {
        Instant started = exchange.getProperty(STARTED, Instant.now(), Instant.class);
        cursors.put(CURSOR, "complete:" + started);
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
