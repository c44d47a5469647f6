package io.greenbridge.candidate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.CursorStore;
import io.greenbridge.sync.SyncCounts;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * Scheduled reconciliation (greenbridge.candidates.reconcile-cron, default every 6 h; POST /api/sync/reconcile): route
 * {@code candidate-reconcile} in routes/contacts-inbound.yaml. Candidates and applications updated since the cursor
 * minus the overlap (bulk actions fire no webhooks), plus candidates waiting for a job's vacancy that now exists, are
 * synced again; unchanged contacts cost no write. The cursor ({@code reconcile}, an instant) moves to the run's
 * start only when nothing failed. This bean starts the route and holds its bookkeeping steps.
 */
@Component("candidateReconcile")
public class CandidateReconcile implements SyncFlow {
    static final String CURSOR = "reconcile";
    static final String ROUTE = "direct:candidate-reconcile";
    private static final String STARTED = "reconcileStarted";
    private static final String IDS = "candidatesToCheck";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateReconcile.class);
    private static final Duration FIRST_WINDOW = Duration.ofDays(1);

    private final ProducerTemplate camel;
    private final CandidateSync sync;
    private final CandidateLoader loader;
    private final CursorStore cursors;
    private final JdbcTemplate jdbc;
    private final Duration overlap;

    public CandidateReconcile(ProducerTemplate camel, CandidateSync sync, CandidateLoader loader, CursorStore cursors,
                              DataSource dataSource, GreenbridgeProperties props) {
        this.camel = camel;
        this.sync = sync;
        this.loader = loader;
        this.cursors = cursors;
        this.jdbc = new JdbcTemplate(dataSource);
        this.overlap = props.candidates().overlap() == null ? Duration.ofMinutes(5) : props.candidates().overlap();
    }

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public void run(SyncSummary summary) throws Exception {
        CandidateRuns.run(camel, ROUTE, summary, sync.defaults("reconcile"));
    }

    /** Step {@code reconcile-window}: header {@code updatedSince} ({@code gte|<instant>}), the Harvest filter. */
    public String window(Exchange exchange) {
        Instant started = Instant.now();
        exchange.setProperty(STARTED, started);
        exchange.setProperty(IDS, new TreeSet<Long>());
        Instant since = cursors.get(CURSOR).map(Instant::parse).orElse(started.minus(FIRST_WINDOW)).minus(overlap);
        return "gte|" + since;
    }

    /** Steps {@code collect-*}: the candidate ids of a streamed listing ({@code field}: where the id is). */
    @SuppressWarnings("unchecked")
    public void collect(Exchange exchange, String field) {
        TreeSet<Long> ids = exchange.getProperty(IDS, TreeSet.class);
        exchange.getMessage().getBody(Iterator.class).forEachRemaining(r -> ids.add(((JsonNode) r).path(field).asLong()));
    }

    /** Step {@code add-candidates-waiting-for-vacancies}, then the ids in chunks of one Harvest list call. */
    @SuppressWarnings("unchecked")
    public List<List<Long>> chunks(Exchange exchange) {
        TreeSet<Long> ids = exchange.getProperty(IDS, TreeSet.class);
        ids.addAll(jdbc.queryForList("SELECT DISTINCT p.greenhouse_id FROM candidate_pending_jobs p WHERE EXISTS"
                + " (SELECT 1 FROM record_links l WHERE l.kind = 'job' AND l.greenhouse_id = p.job_id)", String.class)
                .stream().map(Long::valueOf).toList());
        LOG.info("Reconciliation: {} candidates to check", ids.size());
        List<Long> all = new ArrayList<>(ids);
        List<List<Long>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += HarvestClient.MAX_IDS) {
            chunks.add(List.copyOf(all.subList(from, Math.min(from + HarvestClient.MAX_IDS, all.size()))));
        }
        return chunks;
    }

    /** Step {@code read-candidates}: one chunk read from Harvest; candidates Greenhouse no longer has count as skipped. */
    public List<CandidateData> read(Exchange exchange, List<Long> chunk) {
        Map<Long, CandidateData> loaded = loader.loadAll(chunk, Boolean.TRUE.equals(exchange.getProperty(CandidateSync.BLOCK_CONFIDENTIAL)));
        SyncSummary summary = exchange.getProperty(SyncCounts.SUMMARY, SyncSummary.class);
        chunk.stream().filter(id -> !loaded.containsKey(id)).forEach(id -> summary.count("skipped"));
        return List.copyOf(loaded.values());
    }

    /** Step {@code advance-reconcile-cursor}: only a run where nothing failed moves the cursor. */
    public void advance(Exchange exchange) {
        if (exchange.getProperty(SyncCounts.SUMMARY, SyncSummary.class).failed.get() == 0) {
            cursors.put(CURSOR, exchange.getProperty(STARTED, Instant.class).toString());
        }
    }
}
