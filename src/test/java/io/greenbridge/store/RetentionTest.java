package io.greenbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

/**
 * Retention on H2 with old and recent rows: old finished rows go in batches, recent ones and open dead letters stay,
 * and a dismissed dead letter is closed (then aged out with its dead inbox event).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"greenbridge.retention.batch-size=7", "greenbridge.inbox.poll-interval=1h"})
@ActiveProfiles("test")
class RetentionTest {
    @Autowired
    Retention retention;
    @Autowired
    JdbcTemplate jdbc;
    @LocalServerPort
    int port;

    static final Instant NOW = Instant.now();
    static final Timestamp OLD = Timestamp.from(NOW.minus(Duration.ofDays(40)));
    static final Timestamp WEEK_AND_A_DAY = Timestamp.from(NOW.minus(Duration.ofDays(8)));
    static final Timestamp RECENT = Timestamp.from(NOW.minus(Duration.ofHours(20)));

    long inbox(String key, String status, Timestamp at) {
        jdbc.update("INSERT INTO webhook_inbox (event_id, dedupe_key, action, entity_id, partition_key, payload, status,"
                + " attempts, next_attempt_at, received_at, processed_at) VALUES (?,?,?,?,?,?,?,1,?,?,?)", key, key,
                "update_candidate", "1", "candidate:1", "{}", status, at, at, status.equals("ignored") ? null : at);
        return jdbc.queryForObject("SELECT id FROM webhook_inbox WHERE dedupe_key = ?", Long.class, key);
    }

    long deadLetter(String ref, String status, Timestamp at) {
        jdbc.update("INSERT INTO dead_letters (source, ref, summary, reason, status, created_at, replayed_at)"
                + " VALUES ('inbox', ?, 's', 'r', ?, ?, ?)", ref, status, at, status.equals("replayed") ? at : null);
        return jdbc.queryForObject("SELECT MAX(id) FROM dead_letters", Long.class);
    }

    long count(String sql, Object... args) {
        return jdbc.queryForObject(sql, Long.class, args);
    }

    @Test
    void oldFinishedRowsGoInBatchesAndEverythingStillNeededStays() throws Exception {
        String p = "ret-" + System.nanoTime() + "-";
        for (int i = 0; i < 30; i++) {
            inbox(p + "done-old-" + i, "done", WEEK_AND_A_DAY);
            jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?,?,?)",
                    "greenhouse-webhooks", p + "key-old-" + i, WEEK_AND_A_DAY);
        }
        inbox(p + "ignored-old", "ignored", WEEK_AND_A_DAY);
        long doneRecent = inbox(p + "done-recent", "done", RECENT);
        long pendingOld = inbox(p + "pending-old", "pending", OLD);
        jdbc.update("INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt) VALUES (?,?,?)",
                "greenhouse-webhooks", p + "key-recent", RECENT);

        long deadWithOpenLetter = inbox(p + "dead-open", "dead", OLD);
        long openLetter = deadLetter(String.valueOf(deadWithOpenLetter), "open", OLD);
        long deadWithDismissed = inbox(p + "dead-dismissed", "dead", OLD);
        long dismissed = deadLetter(String.valueOf(deadWithDismissed), "open", OLD);
        long replayedOld = deadLetter("x", "replayed", OLD);
        long replayedRecent = deadLetter("y", "replayed", RECENT);

        jdbc.update("INSERT INTO sync_runs (run_id, flow, status, started_at, finished_at) VALUES (?,?,?,?,?)",
                p + "run-old", "vacancies", "succeeded", OLD, OLD);
        jdbc.update("INSERT INTO sync_runs (run_id, flow, status, started_at, finished_at) VALUES (?,?,?,?,?)",
                p + "run-recent", "vacancies", "succeeded", RECENT, RECENT);
        jdbc.update("INSERT INTO sync_runs (run_id, flow, status, started_at) VALUES (?,?,?,?)",
                p + "run-running", "vacancies", "running", OLD);
        jdbc.update("INSERT INTO outbox (kind, ref, status, attempts, next_attempt_at, created_at, done_at)"
                + " VALUES ('invitation-email', ?, 'done', 1, ?, ?, ?)", p + "ob-old", OLD, OLD, OLD);
        jdbc.update("INSERT INTO outbox (kind, ref, status, attempts, next_attempt_at, created_at)"
                + " VALUES ('invitation-email', ?, 'pending', 1, ?, ?)", p + "ob-pending", OLD, OLD);

        // dismissing closes a letter: the same 409/404 contract as replay
        HttpClient http = HttpClient.newHttpClient();
        assertThat(dismiss(http, String.valueOf(dismissed)).statusCode()).isEqualTo(200);
        assertThat(dismiss(http, String.valueOf(dismissed)).statusCode()).isEqualTo(409);
        assertThat(dismiss(http, "0x10").statusCode()).isEqualTo(400);
        assertThat(dismiss(http, "999999999").statusCode()).isEqualTo(404);
        jdbc.update("UPDATE dead_letters SET dismissed_at = ? WHERE id = ?", OLD, dismissed);

        Map<String, Long> deleted = retention.purge();
        assertThat(deleted.get("webhook_inbox")).isGreaterThanOrEqualTo(31); // 5 batches of 7, the last short
        assertThat(deleted.get("CAMEL_MESSAGEPROCESSED")).isGreaterThanOrEqualTo(30);

        assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE dedupe_key LIKE ?", p + "done-old-%")).isZero();
        assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE dedupe_key = ?", p + "ignored-old")).isZero();
        assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE id IN (?,?,?)", doneRecent, pendingOld,
                deadWithOpenLetter)).isEqualTo(3);
        assertThat(count("SELECT COUNT(*) FROM webhook_inbox WHERE id = ?", deadWithDismissed)).isZero();
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE ?", p + "key-old-%")).isZero();
        assertThat(count("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId = ?", p + "key-recent")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM dead_letters WHERE id IN (?,?)", openLetter, replayedRecent)).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM dead_letters WHERE id IN (?,?)", replayedOld, dismissed)).isZero();
        assertThat(count("SELECT COUNT(*) FROM sync_runs WHERE run_id LIKE ?", p + "run-%")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM sync_runs WHERE run_id = ?", p + "run-old")).isZero();
        assertThat(count("SELECT COUNT(*) FROM outbox WHERE ref LIKE ?", p + "ob-%")).isEqualTo(1);

        // a second pass has nothing left to do
        assertThat(retention.purge().values()).allMatch(n -> n == 0);
    }

    @Test
    void retentionShorterThanGreenhousesRetryWindowIsRefused() {
        assertThatThrownBy(() -> new RetentionSettings("0 0 * * * ?", Duration.ofHours(2), Duration.ofDays(7),
                Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(30), 1000))
                .hasMessageContaining("greenbridge.retention.done-inbox");
        assertThatThrownBy(() -> new RetentionSettings("0 0 * * * ?", Duration.ofDays(7), Duration.ofHours(15),
                Duration.ofDays(30), Duration.ofDays(30), Duration.ofDays(30), 1000))
                .hasMessageContaining("greenbridge.retention.dedupe-keys");
    }

    HttpResponse<String> dismiss(HttpClient http, String id) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/dead-letters/" + id + "/dismiss"))
                .header("Authorization", "Bearer test-admin-token").POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
