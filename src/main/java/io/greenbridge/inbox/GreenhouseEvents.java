package io.greenbridge.inbox;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What Greenbridge knows about Greenhouse's webhook actions: which ones its flows handle, and how to find
 * the entity, the ordering partition and a redelivery timestamp in each documented payload shape.
 */
public final class GreenhouseEvents {
    /** Actions handed to the flows; every other action is stored as ignored. */
    public static final Set<String> HANDLED = Set.of(
            "new_candidate_application", "new_prospect_application", "application_updated", "candidate_stage_change",
            "reject_candidate", "unreject_candidate", "hire_candidate", "unhire_candidate", "update_candidate",
            "delete_application", "delete_candidate", "merge_candidate", "candidate_anonymized",
            "job_created", "job_updated", "job_approved", "job_deleted", "job_interview_stage_deleted");

    private GreenhouseEvents() {
    }

    /** Where an event's entity lives: kind, id, and the partition whose events must run in order. */
    public record Subject(String kind, String entityId, String partitionKey, String timestamp) {
    }

    public static Subject subject(String action, JsonNode payload) {
        JsonNode app = payload.path("application");
        if (app.isObject()) {
            String candidate = text(app.path("candidate").path("id"));
            if (candidate == null) {
                candidate = text(app.path("candidate_id")); // delete_application is flat
            }
            String ts = firstText(app, "last_activity_at", "rejected_at", "created_at");
            return new Subject("application", text(app.path("id")),
                    candidate != null ? "candidate:" + candidate : "application:" + text(app.path("id")), ts);
        }
        if (payload.path("candidate").isObject()) {
            String id = text(payload.path("candidate").path("id"));
            return new Subject("candidate", id, "candidate:" + id, firstText(payload.path("candidate"), "updated_at"));
        }
        if (payload.path("person").isObject()) {
            JsonNode person = payload.path("person");
            String id = text(person.path("id"));
            String survivor = text(person.path("new_candidate_id"));
            // a merge touches the survivor: later events of the survivor must wait for it
            return new Subject("candidate", id, "candidate:" + (survivor != null ? survivor : id), null);
        }
        if (payload.has("candidate_id")) {
            String id = text(payload.path("candidate_id"));
            return new Subject("candidate", id, "candidate:" + id, null);
        }
        if (payload.path("job").isObject()) {
            String id = text(payload.path("job").path("id"));
            return new Subject("job", id, "job:" + id, firstText(payload.path("job"), "updated_at"));
        }
        if (payload.path("job_interview_stage").isObject()) {
            JsonNode stage = payload.path("job_interview_stage");
            String job = text(stage.path("job_id"));
            return new Subject("job_interview_stage", text(stage.path("id")),
                    job != null ? "job:" + job : "stage:" + text(stage.path("id")), firstText(stage, "updated_at"));
        }
        return new Subject("unknown", null, "action:" + action, null);
    }

    /** Id fields of the documented payloads (relative to {@code payload}); present ones must be positive integers. */
    private static final java.util.List<String> ID_PATHS = java.util.List.of(
            "application.id", "application.candidate.id", "application.candidate_id", "application.job_id",
            "candidate.id", "person.id", "person.new_candidate_id", "candidate_id", "job.id",
            "job_interview_stage.id", "job_interview_stage.job_id");

    /**
     * The first id field that is present but not a positive integer Greenhouse could have issued (1 to 2^63-1,
     * as a JSON integer or a string of digits), so that -1, 0, 1e3 or "1; drop" never reach a Harvest URL.
     */
    public static java.util.Optional<String> invalidId(JsonNode payload) {
        for (String path : ID_PATHS) {
            JsonNode node = payload;
            for (String part : path.split("\\.")) {
                node = node.path(part);
            }
            if (!node.isMissingNode() && !node.isNull() && !isPositiveId(node)) {
                return java.util.Optional.of(path);
            }
        }
        JsonNode jobs = payload.path("application").path("jobs");
        for (int i = 0; i < jobs.size(); i++) {
            JsonNode id = jobs.path(i).path("id");
            if (!id.isMissingNode() && !id.isNull() && !isPositiveId(id)) {
                return java.util.Optional.of("application.jobs[" + i + "].id");
            }
        }
        return java.util.Optional.empty();
    }

    static boolean isPositiveId(JsonNode node) {
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() && node.longValue() > 0;
        }
        if (node.isTextual() && node.textValue().matches("[0-9]{1,19}")) {
            try {
                return Long.parseLong(node.textValue()) > 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return false;
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String v = text(node.path(f));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    static String text(JsonNode n) {
        return n == null || n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? null : n.asText();
    }
}
