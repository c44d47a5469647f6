package io.greenbridge.sync;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** The {@code sync_runs} table. */
@Component
public class SyncRunStore {
    private final JdbcTemplate jdbc;

    public SyncRunStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    void started(String runId, String flow) {
        jdbc.update("INSERT INTO sync_runs (run_id, flow, status, started_at) VALUES (?,?, 'running', ?)",
                runId, flow, Timestamp.from(Instant.now()));
    }

    void progress(String runId, SyncSummary s) {
        jdbc.update("UPDATE sync_runs SET created = ?, updated = ?, unchanged = ?, skipped = ?, failed = ? WHERE run_id = ?",
                s.created.get(), s.updated.get(), s.unchanged.get(), s.skipped.get(), s.failed.get(), runId);
    }

    void finished(String runId, SyncSummary s, String status, String message) {
        jdbc.update("UPDATE sync_runs SET status = ?, finished_at = ?, created = ?, updated = ?, unchanged = ?,"
                        + " skipped = ?, failed = ?, message = ? WHERE run_id = ?",
                status, Timestamp.from(Instant.now()), s.created.get(), s.updated.get(), s.unchanged.get(),
                s.skipped.get(), s.failed.get(), message, runId);
    }

    public Optional<SyncRun> find(String runId) {
        return jdbc.query("SELECT * FROM sync_runs WHERE run_id = ?", this::row, runId).stream().findFirst();
    }

    public Optional<SyncRun> last(String flow) {
        return jdbc.query("SELECT * FROM sync_runs WHERE flow = ? ORDER BY started_at DESC FETCH FIRST 1 ROWS ONLY",
                this::row, flow).stream().findFirst();
    }

    public Optional<SyncRun> lastSucceeded(String flow) {
        return jdbc.query("SELECT * FROM sync_runs WHERE flow = ? AND status = 'succeeded'"
                + " ORDER BY started_at DESC FETCH FIRST 1 ROWS ONLY", this::row, flow).stream().findFirst();
    }

    public List<SyncRun> recent(int limit) {
        return jdbc.query("SELECT * FROM sync_runs ORDER BY started_at DESC FETCH FIRST " + limit + " ROWS ONLY", this::row);
    }

    private SyncRun row(ResultSet rs, int i) throws SQLException {
        Timestamp finished = rs.getTimestamp("finished_at");
        return new SyncRun(rs.getString("run_id"), rs.getString("flow"), rs.getString("status"),
                rs.getTimestamp("started_at").toInstant(), finished == null ? null : finished.toInstant(),
                rs.getInt("created"), rs.getInt("updated"), rs.getInt("unchanged"), rs.getInt("skipped"),
                rs.getInt("failed"), rs.getString("message"));
    }
}
