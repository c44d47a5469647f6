package io.greenbridge.outbound;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The steps of routes candidate-tags and candidate-tag-id (routes/contacts-outbound.yaml): Greenhouse candidate tags
 * by name, applied with {@code POST /v3/applied_candidate_tags}, the tag itself created with
 * {@code POST /v3/candidate_tags} when missing. Tag ids live in {@code reference_cache} kind {@code candidate_tag},
 * shared with the reference sync.
 */
@Component("candidateTags")
public class CandidateTags {
    private static final String KIND = "candidate_tag";
    private static final String TAG_ID = "tagId";
    private static final String TAG_NAME = "tagName";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final JdbcTemplate jdbc;

    public CandidateTags(DataSource dataSource) {
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Step: the tags to apply (from the update's changes). */
    public List<String> added(Exchange exchange) {
        return CandidateUpdates.changes(exchange).tagsAdded();
    }

    /** Step: the tags to remove. */
    public List<String> removed(Exchange exchange) {
        return CandidateUpdates.changes(exchange).tagsRemoved();
    }

    /** Step: header tagId when the tag (body: its name) is known; else the body becomes the create's input {name}. */
    public void cached(Exchange exchange) {
        Message in = exchange.getMessage();
        String name = in.getBody(String.class);
        in.setHeader(TAG_NAME, name);
        in.removeHeader(TAG_ID);
        Optional<Long> id = jdbc.queryForList("SELECT ref_id FROM reference_cache WHERE kind = ? AND LOWER(name) = ?",
                String.class, KIND, name.toLowerCase(Locale.ROOT)).stream().findFirst().map(Long::valueOf);
        if (id.isPresent()) {
            in.setHeader(TAG_ID, id.get());
        } else {
            in.setBody(JSON.createObjectNode().put("name", name));
        }
    }

    /** Step: Harvest's answer to POST /v3/candidate_tags is cached; header tagId. */
    public void remember(Exchange exchange) {
        JsonNode tag = exchange.getMessage().getBody(JsonNode.class);
        long id = tag.path("id").asLong();
        try {
            jdbc.update("INSERT INTO reference_cache (kind, ref_id, name, data, updated_at) VALUES (?,?,?,?,?)", KIND,
                    String.valueOf(id), tag.path("name").asText(exchange.getMessage().getHeader(TAG_NAME, String.class)),
                    tag.toString(), Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException e) {
            // another push learnt the same tag at the same time
        }
        exchange.getMessage().setHeader(TAG_ID, id);
    }

    /** Step: the input of mappings/applied-candidate-tag.jsonata. */
    public JsonNode appliedInput(Exchange exchange) {
        Message in = exchange.getMessage();
        return JSON.createObjectNode().put("candidateId", in.getHeader(GreenhousePush.GREENHOUSE_ID, Long.class))
                .put("tagId", in.getHeader(TAG_ID, Long.class));
    }

    /** Step: the ids of the candidate's applied tags (body: Harvest's list) that are this tag. */
    public List<Long> appliedOfTag(Exchange exchange) {
        long tagId = exchange.getMessage().getHeader(TAG_ID, Long.class);
        List<?> applied = exchange.getMessage().getBody(List.class);
        return applied.stream().map(JsonNode.class::cast).filter(a -> a.path("candidate_tag_id").asLong() == tagId)
                .map(a -> a.path("id").asLong()).toList();
    }
}
