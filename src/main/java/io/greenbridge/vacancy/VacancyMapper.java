package io.greenbridge.vacancy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.security.SecureRandom;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.reference.ReferenceCache;

/**
 * Route step {@code bean: vacancyMapper}: what Greenbridge resolved around a Greenhouse job, as the $variables of
 * {@code mappings/vacancy.jsonata} (the route's next step, {@code mapping:vacancy}, makes the Beamery body).
 */
@Component("vacancyMapper")
public class VacancyMapper {
    /** reference_cache kind holding the requisition id generated for a job without one. */
    static final String REQUISITION = "requisition";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();
    private final SecureRandom random = new SecureRandom();
    private final ReferenceCache cache;

    public VacancyMapper(ReferenceCache cache) {
        this.cache = cache;
    }

    /** What the mapping needs beside the job, resolved once per chunk of jobs. */
    public record Context(Map<String, String> beameryUserIds, Map<String, JsonNode> departments,
                          Map<String, JsonNode> offices, String ownerId, String defaultUserId) {
    }

    /**
     * Step {@code bind-vacancy-mapping}: body = the job; the chunk's related rows and context (exchange properties
     * {@value VacancyRun#RELATED}, {@value VacancyRun#CONTEXT}) become the mapping's $variables.
     */
    public void bind(Exchange exchange) {
        JsonNode job = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(MappingComponent.BINDINGS, bindings(job,
                exchange.getProperty(VacancyRun.RELATED, JobRelations.Related.class),
                exchange.getProperty(VacancyRun.CONTEXT, Context.class)));
    }

    Map<String, Object> bindings(JsonNode job, JobRelations.Related related, Context ctx) {
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
        return b;
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
