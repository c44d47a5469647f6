package io.greenbridge.reference;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Greenhouse reference records cached for the flows ({@code reference_cache}): kinds {@code office},
 * {@code department}, {@code rejection_reason}, {@code candidate_tag}, {@code source}, {@code user} (data = the
 * Harvest v3 record), and {@code requisition} (job id → the requisition id Greenbridge generated for it).
 */
@Component
public class ReferenceCache {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public ReferenceCache(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /** Replaces every cached record of {@code kind} in one transaction, so records deleted in Greenhouse go too. */
    public void replace(String kind, List<JsonNode> records) {
        Timestamp now = Timestamp.from(Instant.now());
        tx.executeWithoutResult(s -> {
            jdbc.update("DELETE FROM reference_cache WHERE kind = ?", kind);
            jdbc.batchUpdate("INSERT INTO reference_cache (kind, ref_id, name, data, updated_at) VALUES (?,?,?,?,?)",
                    records.stream().map(r -> new Object[] {kind, r.path("id").asText(), name(r), r.toString(), now}).toList());
        });
    }

    /** Adds or refreshes one record (a department or office met before the hourly reference run). */
    public void put(String kind, JsonNode record) {
        Timestamp now = Timestamp.from(Instant.now());
        String id = record.path("id").asText();
        if (jdbc.update("UPDATE reference_cache SET name = ?, data = ?, updated_at = ? WHERE kind = ? AND ref_id = ?",
                name(record), record.toString(), now, kind, id) == 0) {
            try {
                jdbc.update("INSERT INTO reference_cache (kind, ref_id, name, data, updated_at) VALUES (?,?,?,?,?)",
                        kind, id, name(record), record.toString(), now);
            } catch (DuplicateKeyException e) {
                // another node cached it at the same moment; same record
            }
        }
    }

    public Optional<JsonNode> get(String kind, String id) {
        return get(kind, List.of(id)).values().stream().findFirst();
    }

    /** The cached records of these ids, by id (ids not cached are absent). */
    public Map<String, JsonNode> get(String kind, Collection<String> ids) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        List<String> list = new ArrayList<>(ids);
        for (int from = 0; from < list.size(); from += 500) {
            List<String> part = list.subList(from, Math.min(from + 500, list.size()));
            String marks = String.join(",", part.stream().map(x -> "?").toList());
            List<Object> args = new ArrayList<>();
            args.add(kind);
            args.addAll(part);
            jdbc.query("SELECT ref_id, data FROM reference_cache WHERE kind = ? AND ref_id IN (" + marks + ")",
                    rs -> { out.put(rs.getString(1), parse(rs.getString(2))); }, args.toArray());
        }
        return out;
    }

    public List<JsonNode> all(String kind) {
        return jdbc.query("SELECT data FROM reference_cache WHERE kind = ? ORDER BY ref_id", (rs, i) -> parse(rs.getString(1)), kind);
    }

    /** The stored name of {@code id}, or {@code candidate} stored now when there is none (first writer wins). */
    public String nameOrPut(String kind, String id, String candidate) {
        List<String> existing = jdbc.queryForList("SELECT name FROM reference_cache WHERE kind = ? AND ref_id = ?", String.class, kind, id);
        if (!existing.isEmpty()) {
            return existing.get(0);
        }
        try {
            jdbc.update("INSERT INTO reference_cache (kind, ref_id, name, data, updated_at) VALUES (?,?,?,NULL,?)",
                    kind, id, candidate, Timestamp.from(Instant.now()));
            return candidate;
        } catch (DuplicateKeyException e) {
            return jdbc.queryForObject("SELECT name FROM reference_cache WHERE kind = ? AND ref_id = ?", String.class, kind, id);
        }
    }

    /** Records per kind, for the status page. */
    public Map<String, Long> counts() {
        Map<String, Long> out = new TreeMap<>();
        jdbc.query("SELECT kind, COUNT(*) FROM reference_cache GROUP BY kind", rs -> { out.put(rs.getString(1), rs.getLong(2)); });
        return out;
    }

    private static String name(JsonNode record) {
        JsonNode n = record.path("name");
        return n.isValueNode() && !n.isNull() ? n.asText() : null;
    }

    private static JsonNode parse(String data) {
        try {
            return data == null ? JSON.nullNode() : JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("reference_cache holds unreadable JSON", e);
        }
    }
}
