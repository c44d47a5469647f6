package io.greenbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Deletes finished rows past their retention ({@link RetentionSettings}): done and ignored inbox events, dedupe keys,
 * closed dead letters (and the dead inbox rows they closed), finished sync runs and done outbox rows. Each statement
 * deletes at most one batch in its own short transaction, so intake and claims never wait behind a long delete.
 * Run by the clustered Quartz trigger of {@link RetentionRoute}: one node per tick.
 */
@Component
@EnableConfigurationProperties(RetentionSettings.class)
public class Retention {
    private static final Logger LOG = LoggerFactory.getLogger(Retention.class);
    private final JdbcTemplate jdbc;
    private final RetentionSettings settings;

    public Retention(DataSource dataSource, RetentionSettings settings) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.settings = settings;
    }

    /** One pass over every table; returns the rows deleted per table. */
    public Map<String, Long> purge() {
        return purge(Instant.now());
    }

    Map<String, Long> purge(Instant now) {
        Timestamp inbox = Timestamp.from(now.minus(settings.doneInbox()));
        Timestamp keys = Timestamp.from(now.minus(settings.dedupeKeys()));
        Timestamp letters = Timestamp.from(now.minus(settings.closedDeadLetters()));
        Timestamp runs = Timestamp.from(now.minus(settings.syncRuns()));
        Timestamp outbox = Timestamp.from(now.minus(settings.doneOutbox()));
        int n = settings.batchSize();
        Map<String, Long> deleted = new LinkedHashMap<>();
        deleted.put("webhook_inbox", batches("DELETE FROM webhook_inbox WHERE id IN (SELECT id FROM webhook_inbox"
                + " WHERE status IN ('done', 'ignored') AND COALESCE(processed_at, received_at) < ?"
                + " ORDER BY id FETCH FIRST " + n + " ROWS ONLY)", inbox));
        // a dead event whose dead letter was dismissed (or is gone) is closed too; an open one stays
        deleted.put("webhook_inbox_dead", batches("DELETE FROM webhook_inbox WHERE id IN (SELECT i.id FROM webhook_inbox i"
                + " WHERE i.status = 'dead' AND i.processed_at < ? AND NOT EXISTS (SELECT 1 FROM dead_letters d"
                + " WHERE d.source = 'inbox' AND d.ref = CAST(i.id AS VARCHAR(20)) AND d.status = 'open')"
                + " ORDER BY i.id FETCH FIRST " + n + " ROWS ONLY)", letters));
        deleted.put("CAMEL_MESSAGEPROCESSED", batches("DELETE FROM CAMEL_MESSAGEPROCESSED WHERE (processorName, messageId) IN"
                + " (SELECT processorName, messageId FROM CAMEL_MESSAGEPROCESSED WHERE createdAt < ?"
                + " FETCH FIRST " + n + " ROWS ONLY)", keys));
        deleted.put("dead_letters", batches("DELETE FROM dead_letters WHERE id IN (SELECT id FROM dead_letters"
                + " WHERE status <> 'open' AND COALESCE(replayed_at, dismissed_at, created_at) < ?"
                + " ORDER BY id FETCH FIRST " + n + " ROWS ONLY)", letters));
        deleted.put("sync_runs", batches("DELETE FROM sync_runs WHERE run_id IN (SELECT run_id FROM sync_runs"
                + " WHERE status <> 'running' AND COALESCE(finished_at, started_at) < ? FETCH FIRST " + n + " ROWS ONLY)", runs));
        deleted.put("outbox", batches("DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE status = 'done'"
                + " AND done_at < ? ORDER BY id FETCH FIRST " + n + " ROWS ONLY)", outbox));
        long total = deleted.values().stream().mapToLong(Long::longValue).sum();
        if (total > 0) {
            LOG.info("Retention deleted {} rows: {}", total, deleted);
        }
        return deleted;
    }

    /** Repeats one bounded DELETE (autocommit: its own transaction) until a batch comes back short. */
    private long batches(String sql, Timestamp cutoff) {
        long total = 0;
        int n;
        do {
            n = jdbc.update(sql, cutoff);
            total += n;
        } while (n >= settings.batchSize());
        return total;
    }
}
