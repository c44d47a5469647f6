package io.greenbridge.store;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code greenbridge.retention.*}: how long finished rows are kept. Inbox rows and dedupe keys must outlive
 * Greenhouse's retry window (7 attempts over about 15 h), or a late retry would be taken for a new event.
 * Open dead letters are never deleted.
 */
@ConfigurationProperties("greenbridge.retention")
public record RetentionSettings(
        @DefaultValue("0 17 * * * ?") String cron,
        @DefaultValue("7d") Duration doneInbox,
        @DefaultValue("7d") Duration dedupeKeys,
        @DefaultValue("30d") Duration closedDeadLetters,
        @DefaultValue("30d") Duration syncRuns,
        @DefaultValue("30d") Duration doneOutbox,
        @DefaultValue("1000") int batchSize) {
    static final Duration RETRY_WINDOW = Duration.ofHours(16);

    public RetentionSettings {
        if (doneInbox.compareTo(RETRY_WINDOW) < 0) {
            throw new IllegalArgumentException("greenbridge.retention.done-inbox must be at least 16h (Greenhouse retries for about 15 h)");
        }
        if (dedupeKeys.compareTo(RETRY_WINDOW) < 0) {
            throw new IllegalArgumentException("greenbridge.retention.dedupe-keys must be at least 16h (Greenhouse retries for about 15 h)");
        }
        if (batchSize < 1 || batchSize > 100_000) {
            throw new IllegalArgumentException("greenbridge.retention.batch-size must be between 1 and 100000");
        }
    }
}
