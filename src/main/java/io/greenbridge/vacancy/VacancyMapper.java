package io.greenbridge.vacancy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.mapping.JsonataMappings;
import io.greenbridge.reference.ReferenceCache;
import io.greenbridge.support.Hashes;

/**
 * A Greenhouse job and what Greenbridge resolved around it → the Beamery vacancy body, through
 * {@code mappings/vacancy.jsonata}, with the content hash that decides whether Beamery needs a write.
 */
@Component
public class VacancyMapper {
    public static final String MAPPING = "vacancy";
    /** reference_cache kind holding the requisition id generated for a job without one. */
    static final String REQUISITION = "requisition";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final JsonataMappings mappings;
    private final ReferenceCache cache;

    public VacancyMapper(JsonataMappings mappings, ReferenceCache cache) {
        this.mappings = mappings;
        this.cache = cache;
    }

    /** The Beamery vacancy body and the hash of everything in it except the owner (set on create only). */
    public record Mapped(ObjectNode body, String hash) {
    }

    /** What the mapping needs beside the job, resolved once per batch of jobs. */
    public record Context(Map<String, String> beameryUserIds, Map<String, JsonNode> departments,
                          Map<String, JsonNode> offices, String ownerId, String defaultUserId) {
    }

    public Mapped map(JsonNode job, JobRelations.Related related, Context ctx) {
        long jobId = job.path("id").asLong();
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("stages", JSON.valueToTree(related.stagesOf(jobId)));
        b.put("managers", users(related.managersOf(jobId), ctx));
        b.put("sourcers", users(related.sourcersOf(jobId), ctx));
        b.put("department", job.path("department_id").isNull() || job.path("department_id").isMissingNode() ? null
                : ctx.departments().get(job.path("department_id").asText()));
        List<JsonNode> offices = new ArrayList<>();
        job.path("office_ids").forEach(o -> {
            JsonNode office = ctx.offices().get(o.asText());
            if (office != null) {
                offices.add(office);
            }
        });
        b.put("offices", JSON.valueToTree(offices));
        b.put("ownerId", ctx.ownerId());
        b.put("defaultUserId", ctx.defaultUserId());
        b.put("generatedRequisitionId", hasRequisitionId(job) ? null : generatedRequisitionId(jobId));
        JsonNode out = mappings.apply(MAPPING, job, b);
        if (!(out instanceof ObjectNode body)) {
            throw new IllegalStateException("mappings/vacancy.jsonata must produce an object");
        }
        ObjectNode hashed = body.deepCopy();
        hashed.remove("ownerId");
        return new Mapped(body, Hashes.sha256Hex(hashed.toString()));
    }

    /** {@code GB-} and 10 random Crockford base-32 characters, generated on first need and kept for the job. */
    String generatedRequisitionId(long jobId) {
        StringBuilder candidate = new StringBuilder("GB-");
        for (int i = 0; i < 10; i++) {
            candidate.append(ALPHABET[random.nextInt(ALPHABET.length)]);
        }
        return cache.nameOrPut(REQUISITION, String.valueOf(jobId), candidate.toString());
    }

    private static boolean hasRequisitionId(JsonNode job) {
        JsonNode r = job.path("requisition_id");
        return r.isValueNode() && !r.isNull() && !r.asText().isBlank();
    }

    private static JsonNode users(List<Long> ghUserIds, Context ctx) {
        List<ObjectNode> out = new ArrayList<>();
        for (Long id : ghUserIds) {
            ObjectNode u = JSON.createObjectNode().put("greenhouseUserId", String.valueOf(id));
            String beamery = ctx.beameryUserIds().get(String.valueOf(id));
            if (beamery == null) {
                u.putNull("beameryUserId");
            } else {
                u.put("beameryUserId", beamery);
            }
            out.add(u);
        }
        return JSON.valueToTree(out);
    }
}
