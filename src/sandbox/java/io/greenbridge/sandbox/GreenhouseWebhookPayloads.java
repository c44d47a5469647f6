package io.greenbridge.sandbox;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Renders webhook bodies from the simulator's state in the documented (v1-style) shapes of
 * greenhouse-webhooks.md §7: {@code payload.application} with nested {@code candidate} and {@code jobs[]};
 * {@code payload.candidate}; {@code payload.person}; {@code payload.job}. Attachment URLs point at the
 * simulator's {@code /files/{id}}. Bodies are compact JSON with Unicode escaped, as Greenhouse sends them.
 */
public class GreenhouseWebhookPayloads {
    private final GreenhouseStore store;
    private final String baseUrl;

    public GreenhouseWebhookPayloads(GreenhouseSimulator simulator) {
        this.store = simulator.store();
        this.baseUrl = simulator.baseUrl();
    }

    public String newCandidateApplication(long applicationId) { return application("new_candidate_application", applicationId, "name"); }
    public String newProspectApplication(long applicationId) { return application("new_prospect_application", applicationId, "public_name"); }
    public String applicationUpdated(long applicationId) { return application("application_updated", applicationId, "name"); }
    public String candidateStageChange(long applicationId) { return application("candidate_stage_change", applicationId, "name"); }
    public String rejectCandidate(long applicationId) { return application("reject_candidate", applicationId, "public_name"); }
    public String unrejectCandidate(long applicationId) { return application("unreject_candidate", applicationId, "public_name"); }
    public String unhireCandidate(long applicationId) { return application("unhire_candidate", applicationId, "public_name"); }

    /** hire_candidate: the full application without status/prospect/current_stage, plus offer and opening. */
    public String hireCandidate(long applicationId) {
        ObjectNode body = applicationBody("hire_candidate", applicationId, "public_name");
        ObjectNode app = (ObjectNode) body.get("payload").get("application");
        app.remove(List.of("status", "prospect", "current_stage", "rejection_reason", "rejection_details", "rejected_at", "prospect_detail"));
        app.putObject("opening").put("opening_id", "OPEN-" + app.path("jobs").path(0).path("id").asText()).putArray("custom_fields");
        String today = java.time.LocalDate.now().toString();
        app.putObject("offer").put("id", applicationId + 500_000).put("version", 1).put("created_at", store.stamp())
                .put("sent_at", today).put("resolved_at", store.stamp()).put("starts_at", today).putObject("custom_fields");
        return escape(body);
    }

    /** update_candidate: {@code payload.candidate}, no applications. */
    public String updateCandidate(long candidateId) {
        ObjectNode c = candidate(store.get("candidates", candidateId), null);
        c.remove(List.of("is_private", "can_email"));
        return envelope("update_candidate", "candidate", c);
    }

    /** delete_application: the flat ids of a (deleted or live) application. */
    public String deleteApplication(long applicationId) {
        JsonNode a = store.deletedApplication(applicationId).map(JsonNode.class::cast)
                .orElseGet(() -> store.get("applications", applicationId));
        ObjectNode out = GreenhouseStore.obj().put("id", applicationId).put("candidate_id", a.path("candidate_id").asLong());
        out.set("job_id", a.path("job_id"));
        out.set("created_at", a.path("created_at"));
        out.set("source_id", a.path("source_id"));
        out.set("candidate_rejection_reason_id", a.path("rejection_reason_id"));
        out.putNull("rejection_note_id");
        out.set("rejected_at", a.path("rejected_at"));
        out.set("referrer_id", a.path("referrer_id"));
        out.put("prospect", a.path("prospect").asBoolean());
        out.putNull("rejected_by_user_id");
        return envelope("delete_application", "application", out);
    }

    /** delete_candidate: {@code payload.person} with {@code deleted_application_ids}. */
    public String deleteCandidate(long candidateId) {
        ObjectNode person = person(candidateId);
        JsonNode deleted = store.deletedCandidate(candidateId).map(c -> c.path("deleted_application_ids")).orElse(null);
        ArrayNode ids = person.putArray("deleted_application_ids");
        if (deleted != null) deleted.forEach(ids::add);
        return envelope("delete_candidate", "person", person);
    }

    /** merge_candidate: {@code person.id} is the removed duplicate, {@code new_candidate_id} the survivor. */
    public String mergeCandidate(long duplicateId, long survivorId) {
        ObjectNode person = person(duplicateId);
        person.put("new_candidate_id", survivorId);
        return envelope("merge_candidate", "person", person);
    }

    public String candidateAnonymized(long candidateId, List<String> fields) {
        ObjectNode body = GreenhouseStore.obj().put("action", "candidate_anonymized");
        ObjectNode payload = body.putObject("payload").put("candidate_id", candidateId);
        fields.forEach(payload.putArray("anonymized_fields")::add);
        return escape(body);
    }

    public String jobCreated(long jobId) { return envelope("job_created", "job", job(jobId, true)); }
    public String jobUpdated(long jobId) { return envelope("job_updated", "job", job(jobId, true)); }

    /** @param flowType open_job or offer_job */
    public String jobApproved(long jobId, String flowType) {
        ObjectNode body = GreenhouseStore.obj().put("action", "job_approved");
        ObjectNode payload = body.putObject("payload");
        payload.putObject("approval_flow").put("approval_flow_type", flowType);
        payload.set("job", job(jobId, true));
        return escape(body);
    }

    public String jobDeleted(long jobId) {
        JsonNode j = store.deletedJob(jobId).map(JsonNode.class::cast).orElseGet(() -> store.get("jobs", jobId));
        return envelope("job_deleted", "job", GreenhouseStore.obj().put("id", jobId).put("name", j.path("name").asText()));
    }

    public String jobInterviewStageDeleted(long stageId) {
        JsonNode s = store.deletedStage(stageId).map(JsonNode.class::cast).orElseGet(() -> store.get("job_interview_stages", stageId));
        ObjectNode out = GreenhouseStore.obj().put("id", stageId).put("job_id", s.path("job_id").asLong());
        out.set("created_at", s.path("created_at"));
        out.set("updated_at", s.path("updated_at"));
        out.put("name", s.path("name").asText()).put("active", true);
        return envelope("job_interview_stage_deleted", "job_interview_stage", out);
    }

    // ---- shapes -------------------------------------------------------------------------------------------

    private String application(String action, long applicationId, String sourceNameKey) {
        return escape(applicationBody(action, applicationId, sourceNameKey));
    }

    private ObjectNode applicationBody(String action, long applicationId, String sourceNameKey) {
        ObjectNode a = store.get("applications", applicationId);
        long candidateId = a.get("candidate_id").asLong();
        ObjectNode out = GreenhouseStore.obj().put("id", applicationId);
        out.set("rejected_at", a.path("rejected_at"));
        out.put("prospect", a.path("prospect").asBoolean());
        out.put("status", "in_process".equals(a.path("status").asText()) ? "active" : a.path("status").asText());
        out.set("applied_at", a.path("created_at"));
        out.set("last_activity_at", a.path("last_activity_at"));
        out.put("url", "https://app.greenhouse.io/people/" + candidateId + "?application_id=" + applicationId);
        out.set("source", a.path("source_id").isNull() ? null : store.find("sources", a.get("source_id").asLong())
                .map(s -> (JsonNode) GreenhouseStore.obj().put("id", s.get("id").asLong()).put(sourceNameKey, s.get("name").asText()))
                .orElse(null));
        out.set("credited_to", userRef(a.path("referrer_id")));
        if (a.path("rejection_reason_id").isNull() || a.path("rejection_reason_id").isMissingNode()) {
            out.putNull("rejection_reason");
            out.putNull("rejection_details");
        } else {
            JsonNode r = store.get("rejection_reasons", a.get("rejection_reason_id").asLong());
            ObjectNode reason = out.putObject("rejection_reason").put("id", r.get("id").asLong()).put("name", r.get("name").asText());
            reason.putObject("type").put("id", r.path("type").path("id").asLong()).put("name", r.path("type").path("name").asText());
            out.putObject("rejection_details").putObject("custom_fields");
        }
        if (a.path("job_interview_stage_id").isNull() || a.path("prospect").asBoolean()) {
            out.putNull("current_stage");
        } else {
            // webhooks keep the v1 shape: current_stage is the job's stage, not the application-stage record
            out.putObject("current_stage").put("id", a.get("job_interview_stage_id").asLong()).put("name", a.path("stage_name").asText()).putArray("interviews");
        }
        ObjectNode prospectDetail = out.putObject("prospect_detail");
        prospectDetail.putNull("prospect_pool");
        prospectDetail.putNull("prospect_stage");
        prospectDetail.putNull("prospect_owner");
        out.set("custom_fields", a.path("custom_fields").deepCopy());
        out.set("candidate", candidate(store.get("candidates", candidateId), a));
        ArrayNode jobs = out.putArray("jobs");
        List<Long> jobIds = a.path("job_id").isNull() ? GreenhouseSimulator.list(a.path("prospective_job_ids")).stream().map(Long::valueOf).toList()
                : List.of(a.get("job_id").asLong());
        jobIds.forEach(j -> store.find("jobs", j).ifPresent(job -> jobs.add(job(j, false))));
        return wrap(action, "application", out);
    }

    /** The webhook candidate: v1 field names (is_private, recruiter objects, attachments with type and URL). */
    private ObjectNode candidate(ObjectNode c, JsonNode application) {
        long id = c.get("id").asLong();
        ObjectNode out = GreenhouseStore.obj().put("id", id);
        for (String f : List.of("first_name", "last_name", "title", "company", "created_at")) out.set(f, c.path(f));
        out.putNull("external_id");
        out.putNull("photo_url");
        out.put("url", "https://app.greenhouse.io/people/" + id);
        out.put("is_private", c.path("private").asBoolean());
        out.put("can_email", c.path("can_email").asBoolean(true));
        for (String f : List.of("phone_numbers", "email_addresses", "addresses", "website_addresses", "social_media_addresses")) {
            out.set(f, c.path(f).deepCopy());
        }
        out.putArray("educations");
        out.putArray("employments");
        out.set("recruiter", application == null ? null : userRef(application.path("recruiter_id")));
        out.set("coordinator", application == null ? null : userRef(application.path("coordinator_id")));
        ArrayNode attachments = out.putArray("attachments");
        store.where("attachments", n -> n.path("candidate_id").asLong() == id).forEach(a ->
                attachments.addObject().put("filename", a.path("filename").asText()).put("url", baseUrl + "/files/" + a.get("id").asLong())
                        .put("type", a.path("type").asText()));
        out.set("tags", c.path("tags").deepCopy());
        out.set("custom_fields", c.path("custom_fields").deepCopy());
        return out;
    }

    private ObjectNode person(long candidateId) {
        JsonNode c = store.deletedCandidate(candidateId).map(JsonNode.class::cast).orElseGet(() -> store.get("candidates", candidateId));
        ObjectNode out = GreenhouseStore.obj().put("id", candidateId);
        for (String f : List.of("first_name", "last_name", "company", "title", "created_at")) out.set(f, c.path(f));
        out.putNull("headline");
        out.put("is_private", c.path("private").asBoolean());
        out.putNull("recruiter_user_id");
        out.putNull("coordinator_user_id");
        out.put("can_email", c.path("can_email").asBoolean(true));
        return out;
    }

    /** The webhook job: v1 departments/offices arrays, hiring_team, openings, custom fields. */
    private ObjectNode job(long jobId, boolean withOpenings) {
        JsonNode j = store.get("jobs", jobId);
        ObjectNode out = GreenhouseStore.obj().put("id", jobId);
        for (String f : List.of("name", "requisition_id", "notes", "confidential")) out.set(f, j.path(f));
        out.putNull("job_post_id");
        out.set("status", j.path("status"));
        out.putNull("created_by_id");
        for (String f : List.of("created_at", "opened_at", "closed_at")) out.set(f, j.path(f));
        ArrayNode depts = out.putArray("departments");
        if (!j.path("department_id").isNull()) {
            store.find("departments", j.get("department_id").asLong()).ifPresent(d ->
                    depts.addObject().put("id", d.get("id").asLong()).put("name", d.path("name").asText()).set("external_id", d.path("external_id")));
        }
        ArrayNode offices = out.putArray("offices");
        for (JsonNode officeId : j.path("office_ids")) {
            store.find("offices", officeId.asLong()).ifPresent(o -> {
                ObjectNode office = offices.addObject().put("id", o.get("id").asLong()).put("name", o.path("name").asText());
                office.set("location", o.path("location"));
                office.set("external_id", o.path("external_id"));
            });
        }
        ObjectNode team = out.putObject("hiring_team");
        ArrayNode managers = team.putArray("hiring_managers");
        store.where("job_hiring_managers", n -> n.path("job_id").asLong() == jobId).forEach(h -> managers.add(teamMember(h)));
        for (String type : List.of("sourcer", "recruiter", "coordinator")) {
            ArrayNode members = team.putArray(type + "s");
            store.where("job_owners", n -> n.path("job_id").asLong() == jobId && n.path("type").asText().equals(type))
                    .forEach(o -> members.add(teamMember(o)));
        }
        if (withOpenings) {
            ArrayNode openings = out.putArray("openings");
            store.where("openings", n -> n.path("job_id").asLong() == jobId).forEach(o ->
                    openings.addObject().put("id", o.get("id").asLong()).put("opening_id", o.path("opening_id").asText()).putArray("custom_fields"));
        }
        out.set("custom_fields", j.path("custom_fields").deepCopy());
        return out;
    }

    private ObjectNode teamMember(JsonNode link) {
        long userId = link.path("user_id").asLong();
        ObjectNode m = GreenhouseStore.obj().put("user_id", userId);
        m.set("employee_id", store.find("users", userId).map(u -> u.path("employee_id")).orElse(null));
        return m;
    }

    private JsonNode userRef(JsonNode userId) {
        if (userId == null || userId.isNull() || userId.isMissingNode()) {
            return null;
        }
        return store.find("users", userId.asLong()).map(u -> (JsonNode) GreenhouseStore.obj().put("id", u.get("id").asLong())
                .put("email", u.path("primary_email").asText()).put("name", u.path("name").asText())
                .set("employee_id", u.path("employee_id"))).orElse(null);
    }

    private static String envelope(String action, String rootName, ObjectNode root) {
        return escape(wrap(action, rootName, root));
    }

    private static ObjectNode wrap(String action, String rootName, ObjectNode root) {
        ObjectNode body = GreenhouseStore.obj().put("action", action);
        body.putObject("payload").set(rootName, root);
        return body;
    }

    /** Compact JSON with every non-ASCII character and the HTML-sensitive ones as \\uXXXX, as Greenhouse signs it. */
    private static String escape(JsonNode body) {
        String json = body.toString();
        StringBuilder out = new StringBuilder(json.length());
        for (char ch : json.toCharArray()) {
            if (ch > 0x7e || ch == '<' || ch == '>' || ch == '&') {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
