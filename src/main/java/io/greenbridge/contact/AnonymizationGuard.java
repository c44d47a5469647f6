package io.greenbridge.contact;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import io.greenbridge.support.Hashes;

/**
 * The anonymization guard: people anonymized in Greenhouse or Beamery are remembered (ids and hashed emails,
 * never the emails themselves), so no later event updates, recreates or pushes them. A person re-added in
 * Greenhouse with an anonymized email is held until consent is recorded.
 */
@Component
public class AnonymizationGuard {
    private final JdbcTemplate jdbc;

    public AnonymizationGuard(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Records an anonymization; {@code origin} is greenhouse or beamery. Ids or emails may be null/empty. */
    public void record(String greenhouseId, String beameryId, Collection<String> emails, String origin) {
        jdbc.update("INSERT INTO anonymized_people (greenhouse_id, beamery_id, email_hashes, origin, anonymized_at)"
                        + " VALUES (?,?,?,?,?)", greenhouseId, beameryId, hashes(emails), origin,
                Timestamp.from(Instant.now()));
    }

    public boolean isAnonymizedGreenhouse(String greenhouseId) {
        return greenhouseId != null && count("SELECT COUNT(*) FROM anonymized_people WHERE greenhouse_id = ?", greenhouseId) > 0;
    }

    public boolean isAnonymizedBeamery(String beameryId) {
        return beameryId != null && count("SELECT COUNT(*) FROM anonymized_people WHERE beamery_id = ?", beameryId) > 0;
    }

    /** True when any of these emails belonged to an anonymized person. */
    public boolean anyEmailAnonymized(Collection<String> emails) {
        for (String h : hashList(emails)) {
            if (count("SELECT COUNT(*) FROM anonymized_people WHERE email_hashes LIKE ?", "%" + h + "%") > 0) {
                return true;
            }
        }
        return false;
    }

    /** Holds a Greenhouse person back until consent is recorded (listed in /api/status). */
    public void hold(String greenhouseId, String reason) {
        if (count("SELECT COUNT(*) FROM held_people WHERE greenhouse_id = ?", greenhouseId) == 0) {
            jdbc.update("INSERT INTO held_people (greenhouse_id, reason, held_at) VALUES (?,?,?)",
                    greenhouseId, reason, Timestamp.from(Instant.now()));
        }
    }

    public boolean isHeld(String greenhouseId) {
        return count("SELECT COUNT(*) FROM held_people WHERE greenhouse_id = ? AND released_at IS NULL", greenhouseId) > 0;
    }

    /** Consent was recorded: the person may flow again. */
    public boolean release(String greenhouseId) {
        return jdbc.update("UPDATE held_people SET released_at = ? WHERE greenhouse_id = ? AND released_at IS NULL",
                Timestamp.from(Instant.now()), greenhouseId) == 1;
    }

    /** The person was held and consent has since been recorded: the anonymized email no longer blocks them. */
    public boolean isReleased(String greenhouseId) {
        return count("SELECT COUNT(*) FROM held_people WHERE greenhouse_id = ? AND released_at IS NOT NULL", greenhouseId) > 0;
    }

    public List<String> held() {
        return jdbc.queryForList("SELECT greenhouse_id FROM held_people WHERE released_at IS NULL ORDER BY held_at",
                String.class);
    }

    private long count(String sql, Object arg) {
        Long n = jdbc.queryForObject(sql, Long.class, arg);
        return n == null ? 0 : n;
    }

    static String hashes(Collection<String> emails) {
        return String.join(",", hashList(emails));
    }

    static List<String> hashList(Collection<String> emails) {
        if (emails == null) {
            return List.of();
        }
        return emails.stream().filter(e -> e != null && !e.isBlank())
                .map(e -> Hashes.sha256Hex(e.trim().toLowerCase(Locale.ROOT))).distinct().collect(Collectors.toList());
    }
}
