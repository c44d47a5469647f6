package io.greenbridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;

/**
 * Greenhouse candidate tags by name: applied with {@code POST /v3/applied_candidate_tags}, the tag itself created
 * with {@code POST /v3/candidate_tags} when missing (Greenhouse answers the existing one for a known name). Tag ids
 * live in {@code reference_cache} kind {@code candidate_tag}, shared with the reference sync.
 */
@Component
public class CandidateTags {
    private static final String KIND = "candidate_tag";
    private final HarvestClient harvest;
    private final JdbcTemplate jdbc;

    public CandidateTags(HarvestClient harvest, DataSource dataSource) {
        this.harvest = harvest;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    public void apply(long candidateId, String name) {
        harvest.post("applied_candidate_tags", Map.of("candidate_id", candidateId, "candidate_tag_id", tagId(name)));
    }

    public void remove(long candidateId, String name) {
        harvest.stream("applied_candidate_tags", Map.of("candidate_ids", String.valueOf(candidateId)))
                .filter(applied -> applied.path("candidate_tag_id").asLong() == tagId(name))
                .forEach(applied -> harvest.delete("applied_candidate_tags/" + applied.path("id").asLong()));
    }

    long tagId(String name) {
        return cached(name).orElseGet(() -> {
            JsonNode tag = harvest.post("candidate_tags", Map.of("name", name));
            long id = tag.path("id").asLong();
            remember(id, tag.path("name").asText(name), tag.toString());
            return id;
        });
    }

    private Optional<Long> cached(String name) {
        return jdbc.queryForList("SELECT ref_id FROM reference_cache WHERE kind = ? AND LOWER(name) = ?", String.class,
                KIND, name.toLowerCase(Locale.ROOT)).stream().findFirst().map(Long::valueOf);
    }

    private void remember(long id, String name, String data) {
        try {
            jdbc.update("INSERT INTO reference_cache (kind, ref_id, name, data, updated_at) VALUES (?,?,?,?,?)",
                    KIND, String.valueOf(id), name, data, Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException e) {
            // another push learnt the same tag at the same time
        }
    }
}
