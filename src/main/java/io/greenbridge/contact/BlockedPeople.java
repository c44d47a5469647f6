package io.greenbridge.contact;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Greenhouse candidates kept out of Beamery ({@code blocked_people}): {@code private} or {@code confidential}
 * when first seen (never created), or {@code private-later}/{@code confidential-later} (the contact stays,
 * updates stop).
 */
@Component
public class BlockedPeople {
    private final JdbcTemplate jdbc;

    public BlockedPeople(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void block(String greenhouseId, String reason) {
        if (jdbc.update("UPDATE blocked_people SET reason = ? WHERE greenhouse_id = ?", reason, greenhouseId) == 0) {
            try {
                jdbc.update("INSERT INTO blocked_people (greenhouse_id, reason, blocked_at) VALUES (?,?,?)",
                        greenhouseId, reason, Timestamp.from(Instant.now()));
            } catch (DuplicateKeyException e) {
                jdbc.update("UPDATE blocked_people SET reason = ? WHERE greenhouse_id = ?", reason, greenhouseId);
            }
        }
    }

    public Optional<String> reason(String greenhouseId) {
        return jdbc.queryForList("SELECT reason FROM blocked_people WHERE greenhouse_id = ?", String.class, greenhouseId)
                .stream().findFirst();
    }

    /** The candidate is no longer private or confidential. */
    public void unblock(String greenhouseId) {
        jdbc.update("DELETE FROM blocked_people WHERE greenhouse_id = ?", greenhouseId);
    }

    public Map<String, Long> countsByReason() {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT reason, COUNT(*) FROM blocked_people GROUP BY reason", rs -> {
            out.put(rs.getString(1), rs.getLong(2));
        });
        return out;
    }
}
