package io.greenbridge.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.support.RemoteCallException;

/** The dead-letter store: failed work with its reason, visible at {@code GET /api/dead-letters} and replayable. */
@Component
public class DeadLetterStore {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterStore.class);
    private final JdbcTemplate jdbc;

    public DeadLetterStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Records a failure; a {@link RemoteCallException} contributes its HTTP status and response body. */
    public void record(String source, String ref, String summary, Throwable failure, String payload) {
        Integer status = null;
        String response = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RemoteCallException r) {
                status = r.status() == 0 ? null : r.status();
                response = r.responseBody();
                break;
            }
        }
        String reason = failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        record(source, ref, summary, reason, status, response, payload);
    }

    public void record(String source, String ref, String summary, String reason, Integer httpStatus, String response,
                       String payload) {
        jdbc.update("INSERT INTO dead_letters (source, ref, summary, reason, http_status, response, payload, status,"
                        + " created_at) VALUES (?,?,?,?,?,?,?, 'open', ?)",
                source, ref, abbreviate(summary, 400), reason, httpStatus, response, payload, Timestamp.from(Instant.now()));
        LOG.warn("Dead letter from {} ({}): {}", source, ref, reason);
    }

    public List<DeadLetter> list(String status, int limit) {
        String where = status == null ? "" : " WHERE status = ?";
        Object[] args = status == null ? new Object[0] : new Object[] {status};
        return jdbc.query("SELECT * FROM dead_letters" + where + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY",
                this::row, args);
    }

    public Optional<DeadLetter> find(long id) {
        return jdbc.query("SELECT * FROM dead_letters WHERE id = ?", this::row, id).stream().findFirst();
    }

    public boolean markReplayed(long id) {
        return jdbc.update("UPDATE dead_letters SET status = 'replayed', replayed_at = ? WHERE id = ? AND status = 'open'",
                Timestamp.from(Instant.now()), id) == 1;
    }

    /** Closes an open dead letter without replaying it (retention then ages it out); false when it is not open. */
    public boolean markDismissed(long id) {
        return jdbc.update("UPDATE dead_letters SET status = 'dismissed', dismissed_at = ? WHERE id = ? AND status = 'open'",
                Timestamp.from(Instant.now()), id) == 1;
    }

    public long countOpen() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE status = 'open'", Long.class);
        return n == null ? 0 : n;
    }

    private DeadLetter row(ResultSet rs, int i) throws SQLException {
        Timestamp replayed = rs.getTimestamp("replayed_at");
        int code = rs.getInt("http_status");
        Integer status = rs.wasNull() ? null : code;
        return new DeadLetter(rs.getLong("id"), rs.getString("source"), rs.getString("ref"), rs.getString("summary"),
                rs.getString("reason"), status, rs.getString("response"), rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), replayed == null ? null : replayed.toInstant());
    }

    private static String abbreviate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
