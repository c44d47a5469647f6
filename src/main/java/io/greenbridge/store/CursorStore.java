package io.greenbridge.store;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** High-water marks of the polls and backfills; a flow advances its cursor only after the work is written. */
@Component
public class CursorStore {
    private final JdbcTemplate jdbc;

    public CursorStore(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public Optional<String> get(String flow) {
        return jdbc.queryForList("SELECT cursor_value FROM sync_cursors WHERE flow = ?", String.class, flow)
                .stream().findFirst();
    }

    public void put(String flow, String value) {
        Timestamp now = Timestamp.from(Instant.now());
        if (jdbc.update("UPDATE sync_cursors SET cursor_value = ?, updated_at = ? WHERE flow = ?", value, now, flow) == 0) {
            try {
                jdbc.update("INSERT INTO sync_cursors (flow, cursor_value, updated_at) VALUES (?,?,?)", flow, value, now);
            } catch (org.springframework.dao.DuplicateKeyException e) {
                jdbc.update("UPDATE sync_cursors SET cursor_value = ?, updated_at = ? WHERE flow = ?", value, now, flow);
            }
        }
    }

    public void clear(String flow) {
        jdbc.update("DELETE FROM sync_cursors WHERE flow = ?", flow);
    }

    public Map<String, String> all() {
        Map<String, String> out = new TreeMap<>();
        jdbc.query("SELECT flow, cursor_value FROM sync_cursors", rs -> {
            out.put(rs.getString(1), rs.getString(2));
        });
        return out;
    }
}
