package io.greenbridge.sandbox;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The Harvest v3 resource endpoints of {@link GreenhouseSimulator}: list calls (filters on the first request
 * only, then an opaque cursor that must be the only parameter; ids descending) and the write calls.
 */
final class HarvestV3Handler {
    record Response(int status, String body, String link) {
        static Response of(int status, JsonNode body) {
            return new Response(status, body == null ? null : body.toString(), null);
        }
    }

    private static final Set<String> TIME_FILTERS = Set.of("created_at", "updated_at", "last_activity_at", "opened_at", "closed_at");
    private final GreenhouseStore store;
    private final String baseUrl;

    HarvestV3Handler(GreenhouseStore store, String baseUrl) {
        this.store = store;
        this.baseUrl = baseUrl;
    }

    Response handle(String method, String path, String rawQuery, byte[] body, long actingUserId) {
        String[] parts = path.split("/");
        String resource = parts[0];
        if (!GreenhouseStore.RESOURCES.contains(resource)) {
            return error(404, "Resource not found", null);
        }
        try {
            if (method.equals("GET") && parts.length == 1) {
                return list(resource, GreenhouseSimulator.parseQuery(rawQuery));
            }
            JsonNode json = body.length == 0 ? GreenhouseStore.obj() : GreenhouseStore.JSON.readTree(body);
            return write(method, parts, json, actingUserId);
        } catch (NotFound e) {
            return error(404, "Resource not found", null);
        } catch (IllegalArgumentException e) {
            return error(422, e.getMessage(), null);
        } catch (java.io.IOException e) {
            return error(400, "Malformed JSON", null);
        }
    }

    // ---- lists --------------------------------------------------------------------------------------------

    private Response list(String resource, Map<String, String> query) {
        Map<String, String> filters;
        long after;
        if (query.containsKey("cursor")) {
            if (query.size() != 1) {
                return error(422, "cursor must be the only query parameter", "cursor");
            }
            try {
                ObjectNode c = (ObjectNode) GreenhouseStore.JSON.readTree(Base64.getUrlDecoder().decode(query.get("cursor")));
                if (!resource.equals(c.path("r").asText())) {
                    return error(422, "cursor belongs to another resource", "cursor");
                }
                filters = new LinkedHashMap<>();
                c.get("f").fields().forEachRemaining(e -> filters.put(e.getKey(), e.getValue().asText()));
                after = c.get("after").asLong();
            } catch (Exception e) {
                return error(422, "invalid cursor", "cursor");
            }
        } else {
            filters = new LinkedHashMap<>(query);
            after = Long.MAX_VALUE;
        }
        int perPage;
        try {
            perPage = Integer.parseInt(filters.getOrDefault("per_page", "100"));
        } catch (NumberFormatException e) {
            return error(422, "per_page must be an integer between 1 and 500", "per_page");
        }
        if (perPage < 1 || perPage > 500) {
            return error(422, "per_page must be an integer between 1 and 500", "per_page");
        }
        Predicate<JsonNode> match;
        try {
            match = matcher(resource, filters);
        } catch (IllegalArgumentException e) {
            return error(422, e.getMessage(), null);
        }
        // one more than a page says whether a next link is due
        List<ObjectNode> matching = store.page(resource, after, n -> match.test(n)
                && !store.isHeld(resource, n.path("id").asLong()), perPage + 1);
        ArrayNode page = GreenhouseStore.JSON.createArrayNode();
        Set<String> dropped = store.droppedFields(resource);
        matching.stream().limit(perPage).forEach(n -> page.add(n.without(dropped)));
        String link = null;
        if (matching.size() > perPage) {
            ObjectNode cursor = GreenhouseStore.obj().put("r", resource).put("after", matching.get(perPage - 1).get("id").asLong());
            ObjectNode f = cursor.putObject("f");
            filters.forEach(f::put);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.toString().getBytes(StandardCharsets.UTF_8));
            link = baseUrl + "/v3/" + resource + "?cursor=" + token;
        }
        return new Response(200, page.toString(), link);
    }

    /** The documented v3 filters: ids/*_ids (≤ 50), pipe-operator dates, status, email, and plain field equality. */
    private static Predicate<JsonNode> matcher(String resource, Map<String, String> filters) {
        Predicate<JsonNode> all = n -> true;
        for (Map.Entry<String, String> e : filters.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            Predicate<JsonNode> p;
            if (key.equals("per_page")) {
                continue;
            } else if (key.equals("ids") || key.endsWith("_ids")) {
                Set<String> wanted = new HashSet<>(List.of(value.split(",")));
                wanted.remove("");
                if (wanted.size() > 50) {
                    throw new IllegalArgumentException(key + " accepts at most 50 ids");
                }
                String singular = key.equals("ids") ? "id" : key.substring(0, key.length() - 1);
                p = n -> {
                    if (n.has(singular)) return wanted.contains(n.get(singular).asText());
                    if (n.path(key).isArray()) { for (JsonNode v : n.get(key)) if (wanted.contains(v.asText())) return true; }
                    return false;
                };
            } else if (TIME_FILTERS.contains(key)) {
                p = timeFilter(key, value);
            } else if (key.equals("status") && resource.equals("applications")) {
                String wanted = value.equals("active") ? "in_process" : value; // queries say active, records in_process
                p = n -> n.path("status").asText().equals(wanted);
            } else if (key.equals("email") && resource.equals("candidates")) {
                p = n -> { for (JsonNode a : n.path("email_addresses")) if (a.path("value").asText().equalsIgnoreCase(value)) return true; return false; };
            } else if (key.equals("office_id") || key.equals("department_id") && resource.equals("users")) {
                String plural = key + "s";
                p = n -> { if (n.has(key)) return n.get(key).asText().equals(value); for (JsonNode v : n.path(plural)) if (v.asText().equals(value)) return true; return false; };
            } else {
                p = n -> !n.has(key) || n.get(key).asText().equals(value); // unknown filters are ignored
            }
            all = all.and(p);
        }
        return all;
    }

    private static Predicate<JsonNode> timeFilter(String key, String value) {
        String[] opValue = value.split("\\|", 2);
        if (opValue.length != 2) {
            throw new IllegalArgumentException(key + " must look like gte|2024-01-01T00:00:00Z");
        }
        Instant at;
        try {
            at = Instant.parse(opValue[1]);
        } catch (RuntimeException ex) {
            throw new IllegalArgumentException(key + " needs an ISO-8601 timestamp");
        }
        String op = opValue[0];
        if (!Set.of("gte", "lte", "gt", "lt").contains(op)) {
            throw new IllegalArgumentException(key + " operator must be gte, lte, gt or lt");
        }
        return n -> {
            if (!n.hasNonNull(key)) return false;
            int c = Instant.parse(n.get(key).asText()).compareTo(at);
            return switch (op) {
                case "gte" -> c >= 0;
                case "lte" -> c <= 0;
                case "gt" -> c > 0;
                default -> c < 0;
            };
        };
    }

    // ---- writes -------------------------------------------------------------------------------------------

    private Response write(String method, String[] parts, JsonNode body, long actingUserId) {
        String resource = parts[0];
        long id = parts.length > 1 ? GreenhouseSimulator.parseId(parts[1]) : -1;
        String action = parts.length > 2 ? parts[2] : "";
        String route = method + " " + resource + (parts.length > 1 ? "/{id}" : "") + (action.isEmpty() ? "" : "/" + action);
        store.recordBody(route, body);
        switch (route) {
            case "POST candidates": return createCandidate(body, actingUserId);
            case "PATCH candidates/{id}": return Response.of(200, editCandidate(existing("candidates", id), body));
            case "DELETE candidates/{id}":
                store.deleteCandidate(existing("candidates", id));
                return Response.of(200, GreenhouseStore.obj().put("message", "Person " + id + " has been deleted."));
            case "POST candidates/{id}/merge": {
                long duplicate = required(body, "duplicate_candidate_id").asLong();
                existing("candidates", duplicate);
                return Response.of(200, store.merge(existing("candidates", id), duplicate));
            }
            case "PATCH candidates/{id}/anonymize": {
                JsonNode fields = required(body, "fields");
                if (!fields.isArray() || fields.isEmpty()) throw new IllegalArgumentException("fields must be a non-empty array");
                return Response.of(200, store.anonymize(existing("candidates", id), GreenhouseSimulator.list(fields)));
            }
            case "POST applications": return createApplication(body);
            case "PATCH applications/{id}": return Response.of(200, store.updateApplication(existing("applications", id), a -> patchApplication(a, body)));
            case "POST applications/{id}/move": return move(existing("applications", id), body);
            case "POST applications/{id}/reject": {
                JsonNode reason = body.path("rejection_reason_id");
                return Response.of(200, store.reject(existing("applications", id), reason.isMissingNode() || reason.isNull() ? null : reason.asLong()));
            }
            case "POST applications/{id}/unreject": return Response.of(200, store.unreject(existing("applications", id)));
            case "POST notes": {
                long candidate = existing("candidates", required(body, "candidate_id").asLong());
                Long application = body.hasNonNull("application_id") ? existing("applications", body.get("application_id").asLong()) : null;
                long user = body.hasNonNull("user_id") ? body.get("user_id").asLong() : actingUserId;
                String type = required(body, "note_type").asText();
                if (!List.of("NOTE", "ACTIVITY").contains(type)) {
                    throw new IllegalArgumentException("note_type must be NOTE or ACTIVITY");
                }
                if (application != null && store.get("applications", application).path("candidate_id").asLong() != candidate) {
                    throw new IllegalArgumentException("application_id does not belong to candidate_id");
                }
                long note = store.addNote(candidate, application, user, required(body, "body").asText(), required(body, "visibility").asText(), type);
                return Response.of(201, store.get("notes", note));
            }
            case "POST candidate_tags": {
                String name = required(body, "name").asText();
                boolean exists = store.findTag(name).isPresent();
                return Response.of(exists ? 200 : 201, store.get("candidate_tags", store.candidateTag(name)));
            }
            case "POST applied_candidate_tags": {
                long applied = store.applyTag(existing("candidates", required(body, "candidate_id").asLong()),
                        existing("candidate_tags", required(body, "candidate_tag_id").asLong()));
                return Response.of(201, store.get("applied_candidate_tags", applied));
            }
            case "DELETE applied_candidate_tags/{id}":
                store.removeAppliedTag(existing("applied_candidate_tags", id));
                return new Response(204, null, null);
            case "POST attachments": return createAttachment(body);
            default: return error(404, "No route for " + route, null);
        }
    }

    private Response createCandidate(JsonNode body, long actingUserId) {
        List<ObjectNode> errors = new ArrayList<>();
        for (String f : List.of("first_name", "last_name")) {
            if (!body.hasNonNull(f) || body.get(f).asText().isBlank()) {
                // Harvest's 422 names the field apart from the reason
                errors.add(GreenhouseStore.obj().put("field", f).put("message", "is required"));
            }
        }
        if (!errors.isEmpty()) {
            ObjectNode out = GreenhouseStore.obj().put("message", "Validation error");
            errors.forEach(out.putArray("errors")::add);
            return Response.of(422, out);
        }
        for (JsonNode app : body.path("applications")) {
            if (app.hasNonNull("job_id")) existing("jobs", app.get("job_id").asLong());
        }
        GreenhouseStore.CandidateBuilder b = store.candidate(body.get("first_name").asText(), body.get("last_name").asText());
        long id = b.create();
        editCandidate(id, body);
        for (JsonNode app : body.path("applications")) {
            boolean prospect = app.path("prospect").asBoolean(false);
            store.addApplication(id, app.hasNonNull("job_id") ? app.get("job_id").asLong() : null, prospect,
                    app.hasNonNull("source_id") ? app.get("source_id").asLong() : null,
                    app.hasNonNull("referrer_id") ? app.get("referrer_id").asLong() : null);
        }
        if (body.path("prospect").asBoolean(false) && body.path("applications").isEmpty()) {
            store.addProspect(id, null);
        }
        if (store.asyncCreates()) {
            store.createdAsync(id);
            // v3's second answer shape: accepted, the record follows later
            return Response.of(202, GreenhouseStore.obj().put("message", "Candidate creation has been queued."));
        }
        return Response.of(201, store.get("candidates", id));
    }

    private ObjectNode editCandidate(long id, JsonNode body) {
        store.updateCandidate(id, c -> patchCandidate(c, body));
        if (body.path("tags").isArray()) {
            store.replaceTags(id, GreenhouseSimulator.list(body.get("tags")));
        }
        return store.get("candidates", id);
    }

    /** Profile fields; arrays replace (an empty array clears), custom_fields [{name_key|id, value}] merge. */
    private void patchCandidate(ObjectNode c, JsonNode body) {
        for (String f : List.of("first_name", "last_name", "preferred_name", "company", "title", "private", "can_email", "time_zone")) {
            if (body.has(f)) c.set(f, body.get(f));
        }
        for (String f : List.of("email_addresses", "phone_numbers", "addresses", "website_addresses", "social_media_addresses")) {
            if (body.path(f).isArray()) c.set(f, body.get(f));
        }
        mergeCustomFields(c, body.path("custom_fields"));
    }

    private void patchApplication(ObjectNode a, JsonNode body) {
        for (String f : List.of("source_id", "referrer_id", "recruiter_id", "coordinator_id", "location_address")) {
            if (body.has(f)) a.set(f, body.get(f));
        }
        mergeCustomFields(a, body.path("custom_fields"));
    }

    private void mergeCustomFields(ObjectNode record, JsonNode writes) {
        if (!writes.isArray()) return;
        ObjectNode fields = record.with("custom_fields");
        for (JsonNode w : writes) {
            String key = w.hasNonNull("name_key") ? w.get("name_key").asText()
                    : store.find("custom_fields", w.path("id").asLong()).map(f -> f.get("name_key").asText())
                    .orElseThrow(() -> new IllegalArgumentException("unknown custom field " + w.path("id").asText()));
            if ("true".equals(w.path("delete_value").asText())) {
                fields.remove(key);
                continue;
            }
            if (!w.has("value") || w.get("value").isNull()) {
                throw new IllegalArgumentException("custom field " + key + " needs a value (use delete_value to clear)");
            }
            String type = store.where("custom_fields", f -> f.path("name_key").asText().equals(key)).stream()
                    .findFirst().map(f -> f.path("value_type").asText()).orElse("short_text");
            ObjectNode f = fields.putObject(key).put("name", key).put("type", type);
            f.set("value", w.get("value"));
        }
    }

    /** v3 move: from_stage_id is the application's current application-stage id, to_stage_id a job interview stage id. */
    private Response move(long applicationId, JsonNode body) {
        ObjectNode app = store.get("applications", applicationId);
        long from = required(body, "from_stage_id").asLong();
        if (from != app.path("stage_id").asLong()) {
            boolean interviewStage = store.find("job_interview_stages", from).isPresent();
            throw new IllegalArgumentException("from_stage_id " + from + " is not the application's current stage_id"
                    + (interviewStage ? " (it is a job interview stage id; send the application-stage id)" : ""));
        }
        JsonNode to = body.path("to_stage_id");
        if (to.isMissingNode() || to.isNull()) {
            return Response.of(200, store.move(applicationId, null));
        }
        boolean onJob = store.find("job_interview_stages", to.asLong())
                .filter(s -> s.path("job_id").asLong() == app.path("job_id").asLong()).isPresent();
        if (!onJob) {
            throw new IllegalArgumentException("to_stage_id " + to.asLong() + " is not a job interview stage of the application's job");
        }
        return Response.of(200, store.move(applicationId, to.asLong()));
    }

    private Response createApplication(JsonNode body) {
        long candidate = existing("candidates", required(body, "candidate_id").asLong());
        boolean prospect = body.path("prospect").asBoolean(false);
        Long job = body.hasNonNull("job_id") ? existing("jobs", body.get("job_id").asLong()) : null;
        if (job == null && !prospect) {
            throw new IllegalArgumentException("job_id is required unless prospect is true");
        }
        long id = store.addApplication(candidate, job, prospect,
                body.hasNonNull("source_id") ? body.get("source_id").asLong() : null,
                body.hasNonNull("referrer_id") ? body.get("referrer_id").asLong() : null);
        if (body.hasNonNull("initial_stage_id")) {
            store.move(id, body.get("initial_stage_id").asLong());
        } else if (body.hasNonNull("initial_stage_name") && job != null) {
            String name = body.get("initial_stage_name").asText();
            long stage = store.stages(job).stream().filter(s -> s.get("name").asText().equalsIgnoreCase(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no stage named " + name)).get("id").asLong();
            store.move(id, stage);
        }
        store.updateApplication(id, a -> patchApplication(a, body));
        return Response.of(201, store.get("applications", id));
    }

    private Response createAttachment(JsonNode body) {
        long candidate = existing("candidates", required(body, "candidate_id").asLong());
        Long application = body.hasNonNull("application_id") ? existing("applications", body.get("application_id").asLong()) : null;
        byte[] content;
        if (body.hasNonNull("content")) {
            content = Base64.getDecoder().decode(body.get("content").asText());
        } else if (body.hasNonNull("url")) {
            content = ("fetched from " + body.get("url").asText()).getBytes(StandardCharsets.UTF_8);
        } else {
            throw new IllegalArgumentException("content or url is required");
        }
        long id = store.addAttachment(candidate, application, required(body, "type").asText(),
                required(body, "filename").asText(), content, body.path("content_type").asText("application/octet-stream"));
        return Response.of(201, store.get("attachments", id));
    }

    private long existing(String resource, long id) {
        if (store.find(resource, id).isEmpty()) {
            throw new NotFound();
        }
        return id;
    }

    private static JsonNode required(JsonNode body, String field) {
        if (!body.hasNonNull(field)) {
            throw new IllegalArgumentException("Missing field: " + field);
        }
        return body.get(field);
    }

    private static Response error(int status, String message, String field) {
        ObjectNode out = GreenhouseStore.obj().put("message", status == 422 ? "Validation error" : message);
        if (status == 422) {
            ObjectNode e = out.putArray("errors").addObject().put("message", message);
            if (field == null) e.putNull("field"); else e.put("field", field);
        }
        return Response.of(status, out);
    }

    private static final class NotFound extends RuntimeException {
        NotFound() {
            super(null, null, false, false);
        }
    }
}
