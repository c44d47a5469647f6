package io.greenbridge.candidate;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.CursorStore;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * Scheduled reconciliation (greenbridge.candidates.reconcile-cron, default every 6 h): candidates and
 * applications updated since the cursor minus the overlap (bulk actions fire no webhooks), plus candidates
 * waiting for a job's vacancy that now exists, are synced again. Idempotent: unchanged contacts cost no write.
 * The cursor ({@code reconcile}, an instant) moves to the run's start only when nothing failed.
 */
@Component
public class CandidateReconcile implements SyncFlow {
    static final String CURSOR = "reconcile";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateReconcile.class);
    private static final Duration FIRST_WINDOW = Duration.ofDays(1);

    private final HarvestClient harvest;
    private final CandidateLoader loader;
    private final CandidateBatch batch;
    private final CandidateSync sync;
    private final CursorStore cursors;
    private final JdbcTemplate jdbc;
    private final Duration overlap;

    public CandidateReconcile(HarvestClient harvest, CandidateLoader loader, CandidateBatch batch, CandidateSync sync,
                              CursorStore cursors, DataSource dataSource, GreenbridgeProperties props) {
        this.harvest = harvest;
        this.loader = loader;
        this.batch = batch;
        this.sync = sync;
        this.cursors = cursors;
        this.jdbc = new JdbcTemplate(dataSource);
        this.overlap = props.candidates().overlap() == null ? Duration.ofMinutes(5) : props.candidates().overlap();
    }

    @Override
    public String name() {
        return "reconcile";
    }

    @Override
    public void run(SyncSummary summary) {
        Instant started = Instant.now();
        Instant since = cursors.get(CURSOR).map(Instant::parse).orElse(started.minus(FIRST_WINDOW)).minus(overlap);
        Map<String, String> changed = Map.of("updated_at", "gte|" + since);
        TreeSet<Long> ids = new TreeSet<>();
        harvest.stream("candidates", changed).forEach(c -> ids.add(c.path("id").asLong()));
        harvest.stream("applications", changed).forEach(a -> ids.add(a.path("candidate_id").asLong()));
        ids.addAll(jdbc.queryForList("SELECT DISTINCT p.greenhouse_id FROM candidate_pending_jobs p WHERE EXISTS"
                + " (SELECT 1 FROM record_links l WHERE l.kind = 'job' AND l.greenhouse_id = p.job_id)", String.class)
                .stream().map(Long::valueOf).toList());
        LOG.info("Reconciliation since {}: {} candidates to check", since, ids.size());
        CandidateSync.Context context = sync.defaults("reconcile");
        int failed = 0;
        List<Long> all = new ArrayList<>(ids);
        for (int from = 0; from < all.size(); from += HarvestClient.MAX_IDS) {
            List<Long> chunk = all.subList(from, Math.min(from + HarvestClient.MAX_IDS, all.size()));
            failed += batch.syncLoaded(chunk, loader.loadAll(chunk, context.blockConfidential()), context, summary);
        }
        if (failed == 0) {
            cursors.put(CURSOR, started.toString());
        }
    }
}
