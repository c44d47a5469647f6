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
import io.greenbridge.support.DataKeys;
import io.greenbridge.support.Hashes;

/**
 * The anonymization guard: people anonymized in Greenhouse or Beamery are remembered (ids and e-mails as
 * HMAC-SHA256 under GREENBRIDGE_DATA_KEY, never the e-mails themselves), so no later event updates, recreates or pushes them. A person re-added in
 * Greenhouse with an anonymized email is held until consent is recorded.
 */
@Component
public class AnonymizationGuard {
    /** Marks a keyed hash in email_hashes; a part without it is a plain SHA-256 written before keyed hashes. */
    static final String KEYED = "k1:";
    private final JdbcTemplate jdbc;
    private final DataKeys keys;

    public AnonymizationGuard(DataSource dataSource, DataKeys keys) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.keys = keys;
    }

    /** Records an anonymization; {@code origin} is greenhouse or beamery. Ids or emails may be null/empty. */
    public void record(String greenhouseId, String beameryId, Collection<String> emails, String origin) {
        jdbc.update("INSERT INTO anonymized_people (greenhouse_id, beamery_id, email_hashes, origin, anonymized_at)"
                        + " VALUES (?,?,?,?,?)", greenhouseId, beameryId, String.join(",", keyedHashes(emails)), origin,
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
        boolean found = false;
        for (String email : normalised(emails)) {
            String keyed = KEYED + keys.keyedHash(email);
            if (count("SELECT COUNT(*) FROM anonymized_people WHERE email_hashes LIKE ?", "%" + keyed + "%") > 0) {
                return true;
            }
            found |= upgradeLegacy(email, keyed);
        }
        return found;
    }

    /**
     * Tombstones written before keyed hashes hold plain SHA-256 parts: still checked, and a part that matches is
     * rewritten keyed (the e-mail is known at that moment), so legacy parts disappear as people come back.
     */
    private boolean upgradeLegacy(String email, String keyed) {
        String plain = Hashes.sha256Hex(email);
        List<String> rows = jdbc.queryForList("SELECT email_hashes FROM anonymized_people WHERE email_hashes LIKE ?",
                String.class, "%" + plain + "%");
        for (String hashes : rows) {
            jdbc.update("UPDATE anonymized_people SET email_hashes = ? WHERE email_hashes = ?",
                    hashes.replace(plain, keyed), hashes);
        }
        return !rows.isEmpty();
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

    List<String> keyedHashes(Collection<String> emails) {
        return normalised(emails).stream().map(e -> KEYED + keys.keyedHash(e)).collect(Collectors.toList());
    }

    static List<String> normalised(Collection<String> emails) {
        if (emails == null) {
            return List.of();
        }
        return emails.stream().filter(e -> e != null && !e.isBlank())
                .map(e -> e.trim().toLowerCase(Locale.ROOT)).distinct().collect(Collectors.toList());
    }
}
