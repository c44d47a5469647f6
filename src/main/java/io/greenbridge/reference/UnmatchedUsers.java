package io.greenbridge.reference;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Greenhouse users with no Beamery user of the same email ({@code unmatched_users}). Reported on
 * {@code /api/status}, JMX and a WARN naming the Greenhouse user id (never the email) when first seen.
 */
@Component
public class UnmatchedUsers {
    private static final Logger LOG = LoggerFactory.getLogger(UnmatchedUsers.class);
    private final JdbcTemplate jdbc;

    public UnmatchedUsers(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Notes an unmatched user; logs only the first time, so hourly runs do not repeat the warning. */
    public void record(String greenhouseUserId, String name) {
        try {
            jdbc.update("INSERT INTO unmatched_users (greenhouse_user_id, name, seen_at) VALUES (?,?,?)",
                    greenhouseUserId, name, Timestamp.from(Instant.now()));
            LOG.warn("Greenhouse user {} has no Beamery user with a matching email; mappings that need this user use the"
                    + " configured default (greenbridge.reference.default-user-email)", greenhouseUserId);
        } catch (DuplicateKeyException e) {
            jdbc.update("UPDATE unmatched_users SET seen_at = ? WHERE greenhouse_user_id = ?",
                    Timestamp.from(Instant.now()), greenhouseUserId);
        }
    }

    public boolean contains(String greenhouseUserId) {
        return !jdbc.queryForList("SELECT 1 FROM unmatched_users WHERE greenhouse_user_id = ?", Integer.class,
                greenhouseUserId).isEmpty();
    }

    public void resolved(String greenhouseUserId) {
        jdbc.update("DELETE FROM unmatched_users WHERE greenhouse_user_id = ?", greenhouseUserId);
    }

    /** After a full user run: only the users still unmatched stay reported. */
    public void retainOnly(Set<String> stillUnmatched) {
        ids().stream().filter(id -> !stillUnmatched.contains(id)).forEach(this::resolved);
    }

    /** Route step after matching every Greenhouse user: active users keep their report, all others leave it. */
    public void retainActive(List<com.fasterxml.jackson.databind.JsonNode> ghUsers) {
        retainOnly(ghUsers.stream().filter(u -> !u.path("deactivated").asBoolean(false))
                .map(u -> u.path("id").asText()).collect(java.util.stream.Collectors.toSet()));
    }

    public List<String> ids() {
        return jdbc.queryForList("SELECT greenhouse_user_id FROM unmatched_users ORDER BY greenhouse_user_id", String.class);
    }
}
