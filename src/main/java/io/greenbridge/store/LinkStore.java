package io.greenbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Links between Greenhouse and Beamery records, per kind ({@link LinkKinds}: job, candidate, note, attachment,
 * user, source, department, application). The content hash is what Greenbridge last wrote, so an unchanged record
 * causes no write.
 */
@Component
public class LinkStore {
    private final JdbcTemplate jdbc;

    public LinkStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public record Link(String kind, String greenhouseId, String beameryId, String contentHash) {
    }

    public Optional<Link> byGreenhouseId(String kind, String greenhouseId) {
        return jdbc.query("SELECT kind, greenhouse_id, beamery_id, content_hash FROM record_links"
                        + " WHERE kind = ? AND greenhouse_id = ?",
                (rs, i) -> new Link(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                kind, greenhouseId).stream().findFirst();
    }

    public Optional<Link> byBeameryId(String kind, String beameryId) {
        return jdbc.query("SELECT kind, greenhouse_id, beamery_id, content_hash FROM record_links"
                        + " WHERE kind = ? AND beamery_id = ? ORDER BY updated_at DESC",
                (rs, i) -> new Link(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)),
                kind, beameryId).stream().findFirst();
    }

    /** Creates or moves the link; returns false when another writer created it first with another Beamery id. */
    public boolean put(String kind, String greenhouseId, String beameryId, String contentHash) {
        Timestamp now = Timestamp.from(Instant.now());
        int n = jdbc.update("UPDATE record_links SET beamery_id = ?, content_hash = ?, updated_at = ?"
                + " WHERE kind = ? AND greenhouse_id = ?", beameryId, contentHash, now, kind, greenhouseId);
        if (n > 0) {
            return true;
        }
        try {
            jdbc.update("INSERT INTO record_links (kind, greenhouse_id, beamery_id, content_hash, created_at, updated_at)"
                    + " VALUES (?,?,?,?,?,?)", kind, greenhouseId, beameryId, contentHash, now, now);
            return true;
        } catch (DuplicateKeyException e) {
            return byGreenhouseId(kind, greenhouseId).map(l -> l.beameryId().equals(beameryId)).orElse(false);
        }
    }

    /** Records what was last written for an existing link. */
    public void updateHash(String kind, String greenhouseId, String contentHash) {
        jdbc.update("UPDATE record_links SET content_hash = ?, updated_at = ? WHERE kind = ? AND greenhouse_id = ?",
                contentHash, Timestamp.from(Instant.now()), kind, greenhouseId);
    }

    public void remove(String kind, String greenhouseId) {
        jdbc.update("DELETE FROM record_links WHERE kind = ? AND greenhouse_id = ?", kind, greenhouseId);
    }

    public long count(String kind) {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM record_links WHERE kind = ?", Long.class, kind);
        return n == null ? 0 : n;
    }
}
