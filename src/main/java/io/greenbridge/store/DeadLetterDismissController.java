package io.greenbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.greenbridge.web.ApiError;

/** {@code POST /api/dead-letters/{id}/dismiss}: closes an open dead letter without replaying it (then retention applies). */
@RestController
public class DeadLetterDismissController {
    private final JdbcTemplate jdbc;

    public DeadLetterDismissController(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    @PostMapping("/api/dead-letters/{id}/dismiss")
    public ResponseEntity<Object> dismiss(@PathVariable("id") String id) {
        if (!id.matches("[1-9][0-9]{0,17}")) {
            return ResponseEntity.badRequest().body(ApiError.body("invalid_id", "id must be a positive decimal integer."));
        }
        long letter = Long.parseLong(id);
        if (jdbc.update("UPDATE dead_letters SET status = 'dismissed', dismissed_at = ? WHERE id = ? AND status = 'open'",
                Timestamp.from(Instant.now()), letter) == 1) {
            return ResponseEntity.ok(Map.of("id", letter, "status", "dismissed"));
        }
        Integer exists = jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE id = ?", Integer.class, letter);
        return exists != null && exists > 0
                ? ResponseEntity.status(409).body(ApiError.body("not_open", "Dead letter " + letter + " is not open."))
                : ResponseEntity.status(404).body(ApiError.body("not_found", "No dead letter " + letter + "."));
    }
}
