package io.greenbridge.sandbox;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The simulated Greenhouse organisation: Harvest v3 records per resource (v3 shapes: children carry their
 * parents' ids, custom fields keyed by name_key as {name,type,value}), with typed helpers for tests. Every
 * mutation bumps {@code updated_at}. All methods are synchronized on the store.
 */
public class GreenhouseStore {
    public static final List<String> RESOURCES = List.of("jobs", "job_interview_stages", "job_hiring_managers",
            "job_owners", "openings", "departments", "offices", "users", "sources", "rejection_reasons",
            "custom_fields", "candidates", "applications", "notes", "attachments", "candidate_tags",
            "applied_candidate_tags", "prospect_details", "application_stages", "rejection_details");
    /** Fields the anonymize call accepts (Harvest's documented list). */
    public static final Set<String> ANONYMIZABLE = Set.of("full_name", "current_company", "current_title", "tags",
            "phone_numbers", "emails", "email_addresses", "social_media_links", "websites", "addresses", "location",
            "custom_candidate_fields", "custom_application_fields", "custom_rejection_question_fields", "source",
            "recruiter", "coordinator", "credited_to", "prospect_owner", "attachments", "application_questions",
            "referral_questions", "notes", "rejection_notes", "rejection_reason", "activity_items", "innotes",
            "inmails", "scorecards_and_interviews", "offers", "all_offer_versions", "follow_up_reminders", "headline",
            "education", "employment", "candidate_stage_data", "touchpoints", "prospect_pool_and_stage",
            "prospect_jobs", "prospect_offices", "prospect_offices_and_departments", "match_score_reasoning",
            "identity_verification", "third_party_integrations");
    static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> DEFAULT_STAGES = List.of("Application Review", "Preliminary Phone Screen",
            "Assessment", "Face to Face", "Offer");

    private final Map<String, TreeMap<Long, ObjectNode>> tables = new LinkedHashMap<>();
    private final Map<Long, byte[]> files = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> deletedCandidates = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> deletedApplications = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> deletedJobs = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> deletedStages = new LinkedHashMap<>();
    private final List<Merge> merges = new ArrayList<>();
    private final List<Anonymization> anonymizations = new ArrayList<>();
    private final AtomicLong ids = new AtomicLong(1000);
    /** Application-stage ids come from their own range: Harvest's stage_id never equals a job interview stage id. */
    private final AtomicLong applicationStageIds = new AtomicLong(7_000_000);
    private final Map<String, List<ObjectNode>> receivedBodies = new LinkedHashMap<>();
    private final Map<String, Set<String>> droppedFields = new LinkedHashMap<>();
    private volatile boolean asyncCreates;
    private Instant lastStamp = Instant.EPOCH;
    private volatile String filesBaseUrl = "http://127.0.0.1";

    /** A merge: {@code duplicateId} was folded into the surviving {@code primaryId}. */
    public record Merge(long primaryId, long duplicateId, ObjectNode duplicate) {
    }

    public record Anonymization(long candidateId, List<String> fields) {
    }

    public GreenhouseStore() {
        RESOURCES.forEach(r -> tables.put(r, new TreeMap<>()));
    }

    void filesBaseUrl(String baseUrl) {
        this.filesBaseUrl = baseUrl;
    }

    // ---- generic access -----------------------------------------------------------------------------------

    public synchronized Optional<ObjectNode> find(String resource, long id) {
        ObjectNode n = table(resource).get(id);
        return Optional.ofNullable(n == null ? null : n.deepCopy());
    }

    public ObjectNode get(String resource, long id) {
        return find(resource, id).orElseThrow(() -> new IllegalArgumentException("no " + resource + " " + id));
    }

    /** Copies of every record of a resource, ids descending (Harvest's order). */
    public synchronized List<ObjectNode> all(String resource) {
        List<ObjectNode> out = new ArrayList<>();
        table(resource).descendingMap().values().forEach(n -> out.add(n.deepCopy()));
        return out;
    }

    public synchronized List<ObjectNode> where(String resource, Predicate<JsonNode> test) {
        return all(resource).stream().filter(test).toList();
    }

    /**
     * Copies of at most {@code limit} matching records with ids below {@code below}, ids descending. Only what is
     * answered is copied (a list page of a large organisation; {@code test} must only read the record).
     */
    public synchronized List<ObjectNode> page(String resource, long below, Predicate<JsonNode> test, int limit) {
        List<ObjectNode> out = new ArrayList<>(Math.min(limit, 1024));
        for (ObjectNode n : table(resource).headMap(below, false).descendingMap().values()) {
            if (out.size() >= limit) {
                break;
            }
            if (test.test(n)) {
                out.add(n.deepCopy());
            }
        }
        return out;
    }

    public synchronized int count(String resource) {
        return table(resource).size();
    }

    /** Changes a record in place and bumps its updated_at (as any Greenhouse edit does). */
    public synchronized ObjectNode update(String resource, long id, Consumer<ObjectNode> change) {
        ObjectNode n = table(resource).get(id);
        if (n == null) {
            throw new IllegalArgumentException("no " + resource + " " + id);
        }
        change.accept(n);
        n.put("updated_at", stamp());
        return n.deepCopy();
    }

    public synchronized ObjectNode insert(String resource, ObjectNode record) {
        long id = record.hasNonNull("id") ? record.get("id").asLong()
                : resource.equals("application_stages") ? applicationStageIds.incrementAndGet() : ids.incrementAndGet();
        String now = stamp();
        ObjectNode n = JSON.createObjectNode().put("id", id);
        n.setAll(record);
        n.put("id", id);
        if (!n.hasNonNull("created_at")) {
            n.put("created_at", now);
        }
        n.put("updated_at", now);
        table(resource).put(id, n);
        return n.deepCopy();
    }

    public synchronized byte[] file(long attachmentId) {
        return files.get(attachmentId);
    }

    public synchronized Optional<ObjectNode> deletedCandidate(long id) {
        return Optional.ofNullable(deletedCandidates.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized Optional<ObjectNode> deletedApplication(long id) {
        return Optional.ofNullable(deletedApplications.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized Optional<ObjectNode> deletedJob(long id) {
        return Optional.ofNullable(deletedJobs.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized Optional<ObjectNode> deletedStage(long id) {
        return Optional.ofNullable(deletedStages.get(id)).map(ObjectNode::deepCopy);
    }

    public synchronized List<Merge> merges() {
        return List.copyOf(merges);
    }

    public synchronized List<Anonymization> anonymizations() {
        return List.copyOf(anonymizations);
    }

    /** Write bodies the Harvest handler received, by route ("POST notes", "POST applications/{id}/move", …). */
    public synchronized List<ObjectNode> bodies(String route) {
        return receivedBodies.getOrDefault(route, List.of()).stream().map(ObjectNode::deepCopy).toList();
    }

    synchronized void recordBody(String route, JsonNode body) {
        if (body instanceof ObjectNode o) {
            receivedBodies.computeIfAbsent(route, k -> new ArrayList<>()).add(o.deepCopy());
        }
    }

    /** When on, POST /v3/candidates answers {message} without the record (v3's asynchronous create). */
    public void answerCreatesAsync(boolean on) {
        this.asyncCreates = on;
    }

    boolean asyncCreates() {
        return asyncCreates;
    }

    private final Set<Long> heldCreates = new java.util.HashSet<>();
    private volatile boolean holdAsyncCreates;

    /** With async answers on: candidates created through the API stay out of list answers until released. */
    public void holdAsyncCreates(boolean hold) {
        this.holdAsyncCreates = hold;
    }

    /** Greenhouse finishes the queued creates: the held candidates appear in list answers. */
    public synchronized void releaseHeldCreates() {
        heldCreates.clear();
    }

    synchronized void createdAsync(long candidateId) {
        if (holdAsyncCreates) {
            heldCreates.add(candidateId);
        }
    }

    synchronized boolean isHeld(String resource, long id) {
        return resource.equals("candidates") && heldCreates.contains(id);
    }

    /** List answers of {@code resource} leave {@code field} out (a tenant whose shape differs from ours). */
    public synchronized void dropField(String resource, String field) {
        droppedFields.computeIfAbsent(resource, k -> new java.util.HashSet<>()).add(field);
    }

    public synchronized void restoreFields() {
        droppedFields.clear();
    }

    synchronized Set<String> droppedFields(String resource) {
        return Set.copyOf(droppedFields.getOrDefault(resource, Set.of()));
    }

    /** A strictly increasing ISO timestamp, so incremental syncs never see two edits at one instant. */
    synchronized String stamp() {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        lastStamp = now.isAfter(lastStamp) ? now : lastStamp.plusMillis(1);
        return lastStamp.toString();
    }

    private TreeMap<Long, ObjectNode> table(String resource) {
        TreeMap<Long, ObjectNode> t = tables.get(resource);
        if (t == null) {
            throw new IllegalArgumentException("unknown resource " + resource);
        }
        return t;
    }

    // ---- organisation -------------------------------------------------------------------------------------

    public long addDepartment(String name) {
        return insert("departments", obj().put("name", name).putNull("parent_id").put("external_id", "dept-" + slug(name)))
                .get("id").asLong();
    }

    public long addOffice(String name, String location) {
        return insert("offices", obj().put("name", name).put("location", location).putNull("parent_id")
                .put("external_id", "office-" + slug(name)).putNull("primary_in_house_contact_user_id")).get("id").asLong();
    }

    public long addUser(String firstName, String lastName, String email) {
        ObjectNode u = obj().put("first_name", firstName).put("last_name", lastName)
                .put("name", firstName + " " + lastName).put("primary_email", email)
                .put("deactivated", false).put("site_admin", false).putNull("employee_id").putNull("job_title")
                .putNull("agency_id");
        u.putArray("emails").add(email);
        u.putArray("linked_candidate_ids");
        u.putArray("office_ids");
        u.putArray("department_ids");
        u.putObject("custom_fields");
        return insert("users", u).get("id").asLong();
    }

    /** @param type the sourcing strategy name, e.g. "Prospecting", "Referrals", "Third-party boards" */
    public long addSource(String name, String type) {
        ObjectNode s = obj().put("name", name);
        s.putObject("type").put("id", Math.abs(type.hashCode() % 1000)).put("name", type);
        return insert("sources", s).get("id").asLong();
    }

    /** @param typeKey WE_REJECTED_THEM, THEY_REJECTED_US, NONE_SPECIFIED or SECURITY_CONCERN */
    public long addRejectionReason(String name, String typeKey) {
        ObjectNode r = obj().put("name", name);
        String typeName = switch (typeKey) {
            case "WE_REJECTED_THEM" -> "We rejected them";
            case "THEY_REJECTED_US" -> "They rejected us";
            default -> "None specified";
        };
        r.putObject("type").put("id", Math.abs(typeKey.hashCode() % 100)).put("key", typeKey).put("name", typeName);
        return insert("rejection_reasons", r).get("id").asLong();
    }

    public long addCustomField(String fieldType, String nameKey, String name, String valueType) {
        return insert("custom_fields", obj().put("name", name).put("name_key", nameKey).put("field_type", fieldType)
                .put("value_type", valueType).put("sort_order", count("custom_fields")).put("private", false)
                .put("required", false).put("active", true)).get("id").asLong();
    }

    // ---- jobs ---------------------------------------------------------------------------------------------

    public JobBuilder job(String name) {
        return new JobBuilder(name);
    }

    /** A job under construction; {@link #create()} stores it with its stages, hiring team and opening. */
    public final class JobBuilder {
        private final ObjectNode job = obj();
        private final List<String> stages = new ArrayList<>(DEFAULT_STAGES);
        private final List<Long> hiringManagers = new ArrayList<>();
        private final Map<Long, String> owners = new LinkedHashMap<>();

        JobBuilder(String name) {
            job.put("name", name).putNull("requisition_id").putNull("notes").put("confidential", false)
                    .put("status", "open").put("opened_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString())
                    .putNull("closed_at").put("is_template", false).putNull("copied_from_id").putNull("department_id");
            job.putArray("office_ids");
            job.putObject("custom_fields");
        }

        public JobBuilder requisitionId(String id) { job.put("requisition_id", id); return this; }
        public JobBuilder notes(String html) { job.put("notes", html); return this; }
        public JobBuilder confidential(boolean c) { job.put("confidential", c); return this; }
        /** open, draft or closed */
        public JobBuilder status(String s) {
            job.put("status", s);
            if ("closed".equals(s)) {
                job.put("closed_at", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
            }
            return this;
        }
        public JobBuilder department(long id) { job.put("department_id", id); return this; }
        public JobBuilder offices(long... ids) { ArrayNode a = job.putArray("office_ids"); for (long i : ids) a.add(i); return this; }
        public JobBuilder stages(String... names) { stages.clear(); stages.addAll(List.of(names)); return this; }
        public JobBuilder hiringManagers(long... userIds) { for (long u : userIds) hiringManagers.add(u); return this; }
        public JobBuilder recruiter(long userId) { owners.put(userId, "recruiter"); return this; }
        public JobBuilder coordinator(long userId) { owners.put(userId, "coordinator"); return this; }
        public JobBuilder sourcer(long userId) { owners.put(userId, "sourcer"); return this; }
        public JobBuilder customField(String nameKey, String name, String type, JsonNode value) {
            ObjectNode f = ((ObjectNode) job.get("custom_fields")).putObject(nameKey).put("name", name).put("type", type);
            f.set("value", value);
            return this;
        }
        /** The salary range custom field (currency_range; min/max as strings, as Greenhouse sends them). */
        public JobBuilder salary(long min, long max, String unit) {
            ObjectNode v = obj().put("unit", unit).put("min_value", min + ".0").put("max_value", max + ".0");
            return customField("salary_range", "Salary Range", "currency_range", v);
        }

        public long create() {
            synchronized (GreenhouseStore.this) {
                long id = insert("jobs", job).get("id").asLong();
                for (int i = 0; i < stages.size(); i++) {
                    insert("job_interview_stages", obj().put("job_id", id).put("sort_order", i).put("name", stages.get(i)).put("active", true));
                }
                for (long u : hiringManagers) {
                    insert("job_hiring_managers", obj().put("job_id", id).put("user_id", u).put("responsible", false));
                }
                boolean[] first = {true};
                owners.forEach((u, type) -> {
                    insert("job_owners", obj().put("job_id", id).put("user_id", u).put("type", type).put("responsible", first[0]));
                    first[0] = false;
                });
                insert("openings", obj().put("job_id", id).put("opening_id", "OPEN-" + id).put("open", !"closed".equals(job.get("status").asText()))
                        .put("opened_at", job.get("opened_at").asText()).putNull("closed_at").putNull("application_id").putNull("close_reason_id"));
                return id;
            }
        }
    }

    public synchronized ObjectNode updateJob(long jobId, Consumer<ObjectNode> change) {
        return update("jobs", jobId, change);
    }

    /** Deletes a job (Greenhouse only deletes closed jobs) with its stages, team and openings. */
    public synchronized void deleteJob(long jobId) {
        ObjectNode job = table("jobs").remove(jobId);
        if (job == null) {
            throw new IllegalArgumentException("no job " + jobId);
        }
        deletedJobs.put(jobId, job);
        for (String child : List.of("job_interview_stages", "job_hiring_managers", "job_owners", "openings")) {
            table(child).values().removeIf(n -> n.path("job_id").asLong() == jobId);
        }
    }

    public synchronized List<ObjectNode> stages(long jobId) {
        return where("job_interview_stages", n -> n.path("job_id").asLong() == jobId).stream()
                .sorted(Comparator.comparingInt(n -> n.path("sort_order").asInt())).toList();
    }

    /** Removes one interview stage from a job (job_interview_stage_deleted). */
    public synchronized void deleteStage(long stageId) {
        ObjectNode stage = table("job_interview_stages").remove(stageId);
        if (stage == null) {
            throw new IllegalArgumentException("no stage " + stageId);
        }
        deletedStages.put(stageId, stage);
    }

    // ---- candidates ---------------------------------------------------------------------------------------

    public CandidateBuilder candidate(String firstName, String lastName) {
        return new CandidateBuilder(firstName, lastName);
    }

    /** A candidate (or prospect) under construction. */
    public final class CandidateBuilder {
        private final ObjectNode c = obj();
        private final List<String> tags = new ArrayList<>();

        CandidateBuilder(String first, String last) {
            c.put("first_name", first).put("last_name", last).putNull("preferred_name").putNull("company")
                    .putNull("title").put("private", false).put("can_email", true).putNull("time_zone");
            for (String a : List.of("phone_numbers", "addresses", "email_addresses", "website_addresses",
                    "social_media_addresses", "linked_user_ids", "tags")) {
                c.putArray(a);
            }
            c.putObject("custom_fields");
        }

        public CandidateBuilder email(String value, String type) { ((ArrayNode) c.get("email_addresses")).add(obj().put("value", value).put("type", type)); return this; }
        public CandidateBuilder email(String value) { return email(value, "personal"); }
        public CandidateBuilder phone(String value, String type) { ((ArrayNode) c.get("phone_numbers")).add(obj().put("value", value).put("type", type)); return this; }
        public CandidateBuilder address(String value, String type) { ((ArrayNode) c.get("addresses")).add(obj().put("value", value).put("type", type)); return this; }
        public CandidateBuilder website(String value, String type) { ((ArrayNode) c.get("website_addresses")).add(obj().put("value", value).put("type", type)); return this; }
        public CandidateBuilder socialMedia(String value) { ((ArrayNode) c.get("social_media_addresses")).add(obj().put("value", value)); return this; }
        public CandidateBuilder company(String v) { c.put("company", v); return this; }
        public CandidateBuilder title(String v) { c.put("title", v); return this; }
        public CandidateBuilder privateCandidate(boolean p) { c.put("private", p); return this; }
        public CandidateBuilder canEmail(boolean e) { c.put("can_email", e); return this; }
        public CandidateBuilder tags(String... names) { tags.addAll(List.of(names)); return this; }
        public CandidateBuilder customField(String nameKey, String name, String type, JsonNode value) {
            ObjectNode f = ((ObjectNode) c.get("custom_fields")).putObject(nameKey).put("name", name).put("type", type);
            f.set("value", value);
            return this;
        }

        public long create() {
            synchronized (GreenhouseStore.this) {
                c.put("last_activity_at", stamp());
                long id = insert("candidates", c).get("id").asLong();
                tags.forEach(t -> tag(id, t));
                return id;
            }
        }
    }

    public synchronized ObjectNode updateCandidate(long candidateId, Consumer<ObjectNode> change) {
        return update("candidates", candidateId, c -> {
            change.accept(c);
            c.put("last_activity_at", stamp());
        });
    }

    /** Deletes a candidate with everything hanging off it; the snapshot stays for webhook payloads. */
    public synchronized ObjectNode deleteCandidate(long candidateId) {
        ObjectNode c = table("candidates").remove(candidateId);
        if (c == null) {
            throw new IllegalArgumentException("no candidate " + candidateId);
        }
        ArrayNode deletedApps = c.putArray("deleted_application_ids");
        for (ObjectNode app : where("applications", n -> n.path("candidate_id").asLong() == candidateId)) {
            deletedApps.add(app.get("id").asLong());
            removeApplicationChildren(app.get("id").asLong());
            table("applications").remove(app.get("id").asLong());
        }
        for (String child : List.of("notes", "attachments", "applied_candidate_tags")) {
            table(child).values().removeIf(n -> n.path("candidate_id").asLong() == candidateId);
        }
        deletedCandidates.put(candidateId, c);
        return c.deepCopy();
    }

    /** {@code primaryId} survives and takes the duplicate's applications, notes, attachments and tags. */
    public synchronized ObjectNode merge(long primaryId, long duplicateId) {
        if (primaryId == duplicateId) {
            throw new IllegalArgumentException("a candidate cannot be merged into itself");
        }
        get("candidates", primaryId);
        ObjectNode dup = get("candidates", duplicateId);
        for (String child : List.of("applications", "notes", "attachments")) {
            table(child).values().stream().filter(n -> n.path("candidate_id").asLong() == duplicateId)
                    .forEach(n -> n.put("candidate_id", primaryId).put("updated_at", stamp()));
        }
        for (JsonNode t : dup.path("tags")) {
            tag(primaryId, t.asText());
        }
        update("candidates", primaryId, p -> {
            for (String list : List.of("email_addresses", "phone_numbers", "addresses", "website_addresses", "social_media_addresses")) {
                ArrayNode target = (ArrayNode) p.get(list);
                for (JsonNode v : dup.path(list)) {
                    boolean present = false;
                    for (JsonNode e : target) present |= e.path("value").asText().equalsIgnoreCase(v.path("value").asText());
                    if (!present) target.add(v.deepCopy());
                }
            }
        });
        table("applied_candidate_tags").values().removeIf(n -> n.path("candidate_id").asLong() == duplicateId);
        ObjectNode removed = table("candidates").remove(duplicateId);
        removed.putArray("deleted_application_ids");
        deletedCandidates.put(duplicateId, removed);
        merges.add(new Merge(primaryId, duplicateId, removed.deepCopy()));
        return get("candidates", primaryId);
    }

    /** Anonymizes the listed fields the way Greenhouse documents (full_name → "Anonymized" / id). */
    public synchronized ObjectNode anonymize(long candidateId, Collection<String> fields) {
        for (String f : fields) {
            if (!ANONYMIZABLE.contains(f)) {
                throw new IllegalArgumentException("unknown anonymize field " + f);
            }
        }
        ObjectNode result = updateCandidate(candidateId, c -> {
            for (String f : fields) {
                switch (f) {
                    case "full_name" -> c.put("first_name", "Anonymized").put("last_name", String.valueOf(candidateId)).putNull("preferred_name");
                    case "current_company" -> c.putNull("company");
                    case "current_title" -> c.putNull("title");
                    case "tags" -> c.putArray("tags");
                    case "phone_numbers" -> c.putArray("phone_numbers");
                    case "email_addresses" -> c.putArray("email_addresses");
                    case "social_media_links" -> c.putArray("social_media_addresses");
                    case "websites" -> c.putArray("website_addresses");
                    case "addresses" -> c.putArray("addresses");
                    case "custom_candidate_fields" -> c.putObject("custom_fields");
                    default -> { }
                }
            }
        });
        if (fields.contains("tags")) {
            table("applied_candidate_tags").values().removeIf(n -> n.path("candidate_id").asLong() == candidateId);
        }
        if (fields.contains("attachments")) {
            table("attachments").values().removeIf(n -> n.path("candidate_id").asLong() == candidateId);
        }
        if (fields.contains("notes")) {
            table("notes").values().removeIf(n -> n.path("candidate_id").asLong() == candidateId);
        }
        for (ObjectNode app : where("applications", n -> n.path("candidate_id").asLong() == candidateId)) {
            update("applications", app.get("id").asLong(), a -> {
                if (fields.contains("source")) a.putNull("source_id");
                if (fields.contains("credited_to")) a.putNull("referrer_id");
                if (fields.contains("recruiter")) a.putNull("recruiter_id");
                if (fields.contains("coordinator")) a.putNull("coordinator_id");
                if (fields.contains("custom_application_fields")) a.putObject("custom_fields");
                if (fields.contains("location")) a.putNull("location_address");
            });
        }
        anonymizations.add(new Anonymization(candidateId, List.copyOf(fields)));
        return result;
    }

    // ---- tags ---------------------------------------------------------------------------------------------

    /** The tag's id, creating the tag when no tag of that name (case-insensitive) exists. */
    public synchronized long candidateTag(String name) {
        return findTag(name).orElseGet(() -> insert("candidate_tags", obj().put("name", name)).get("id").asLong());
    }

    synchronized Optional<Long> findTag(String name) {
        return table("candidate_tags").values().stream().filter(t -> t.path("name").asText().equalsIgnoreCase(name))
                .map(t -> t.get("id").asLong()).findFirst();
    }

    /** Applies a tag by name (creating it when needed); returns the applied_candidate_tags id. */
    public synchronized long tag(long candidateId, String name) {
        return applyTag(candidateId, candidateTag(name));
    }

    public synchronized long applyTag(long candidateId, long tagId) {
        ObjectNode tag = get("candidate_tags", tagId);
        Optional<ObjectNode> existing = where("applied_candidate_tags",
                n -> n.path("candidate_id").asLong() == candidateId && n.path("candidate_tag_id").asLong() == tagId).stream().findFirst();
        if (existing.isPresent()) {
            return existing.get().get("id").asLong();
        }
        long id = insert("applied_candidate_tags", obj().put("candidate_id", candidateId).put("candidate_tag_id", tagId)).get("id").asLong();
        updateCandidate(candidateId, c -> ((ArrayNode) c.get("tags")).add(tag.get("name").asText()));
        return id;
    }

    public synchronized void removeAppliedTag(long appliedTagId) {
        ObjectNode applied = table("applied_candidate_tags").remove(appliedTagId);
        if (applied == null) {
            throw new IllegalArgumentException("no applied tag " + appliedTagId);
        }
        String name = get("candidate_tags", applied.get("candidate_tag_id").asLong()).get("name").asText();
        updateCandidate(applied.get("candidate_id").asLong(), c -> {
            ArrayNode kept = JSON.createArrayNode();
            c.get("tags").forEach(t -> { if (!t.asText().equals(name)) kept.add(t); });
            c.set("tags", kept);
        });
    }

    /** Sets a candidate's tags to exactly these names (an empty list clears them). */
    public synchronized void replaceTags(long candidateId, List<String> names) {
        for (ObjectNode applied : where("applied_candidate_tags", n -> n.path("candidate_id").asLong() == candidateId)) {
            removeAppliedTag(applied.get("id").asLong());
        }
        names.forEach(name -> tag(candidateId, name));
    }

    // ---- applications -------------------------------------------------------------------------------------

    /** A candidate application on a job, in the job's first stage. */
    public long apply(long candidateId, long jobId) {
        return addApplication(candidateId, jobId, false, null, null);
    }

    /** A prospect application, on a job or (jobId null) jobless. */
    public long addProspect(long candidateId, Long jobId) {
        return addApplication(candidateId, jobId, true, null, null);
    }

    public synchronized long addApplication(long candidateId, Long jobId, boolean prospect, Long sourceId, Long referrerId) {
        get("candidates", candidateId);
        ObjectNode a = obj().put("candidate_id", candidateId).putNull("job_post_id").putNull("recruiter_id")
                .putNull("coordinator_id").put("status", "in_process").put("needs_decision", false)
                .put("prospect", prospect).putNull("rejected_at").putNull("rejection_reason_id")
                .put("last_activity_at", stamp()).putNull("location_address").putNull("agency_note_id");
        a.putArray("answers");
        a.putArray("prospective_job_ids");
        a.putObject("custom_fields");
        if (sourceId == null) a.putNull("source_id"); else a.put("source_id", sourceId);
        if (referrerId == null) a.putNull("referrer_id"); else a.put("referrer_id", referrerId);
        ObjectNode firstStage = null;
        if (jobId != null) {
            get("jobs", jobId);
            if (prospect) {
                a.putNull("job_id");
                ((ArrayNode) a.get("prospective_job_ids")).add(jobId);
            } else {
                a.put("job_id", jobId);
                firstStage = stages(jobId).stream().findFirst().orElse(null);
                where("job_owners", n -> n.path("job_id").asLong() == jobId).forEach(o -> {
                    if (o.path("responsible").asBoolean() || a.path(o.get("type").asText() + "_id").isNull()) {
                        if (List.of("recruiter", "coordinator").contains(o.get("type").asText())) a.put(o.get("type").asText() + "_id", o.get("user_id").asLong());
                    }
                });
            }
        } else {
            a.putNull("job_id");
        }
        a.putNull("stage_id").putNull("job_interview_stage_id").putNull("stage_name");
        long id = insert("applications", a).get("id").asLong();
        if (firstStage != null) {
            long applicationStage = enterStage(id, firstStage);
            ObjectNode stage = firstStage;
            table("applications").get(id).put("stage_id", applicationStage)
                    .put("job_interview_stage_id", stage.get("id").asLong()).put("stage_name", stage.get("name").asText());
        }
        if (prospect) {
            insert("prospect_details", obj().put("application_id", id).putNull("pool_id").putNull("pool_stage_id")
                    .putNull("prospect_owner_id").putNull("department_id").putNull("office_id"));
        }
        return id;
    }

    public synchronized ObjectNode updateApplication(long applicationId, Consumer<ObjectNode> change) {
        return update("applications", applicationId, a -> {
            change.accept(a);
            a.put("last_activity_at", stamp());
        });
    }

    /** Moves an application to a stage of its job (stageId null: the next stage). */
    public synchronized ObjectNode move(long applicationId, Long stageId) {
        ObjectNode app = get("applications", applicationId);
        if (app.path("job_id").isNull()) {
            throw new IllegalArgumentException("application " + applicationId + " has no job");
        }
        List<ObjectNode> stages = stages(app.get("job_id").asLong());
        ObjectNode target;
        if (stageId == null) {
            int current = -1;
            for (int i = 0; i < stages.size(); i++) if (stages.get(i).get("id").asLong() == app.path("job_interview_stage_id").asLong()) current = i;
            if (current + 1 >= stages.size()) throw new IllegalArgumentException("application is in the last stage");
            target = stages.get(current + 1);
        } else {
            target = stages.stream().filter(s -> s.get("id").asLong() == stageId).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("stage " + stageId + " is not on the application's job"));
        }
        table("application_stages").values().stream()
                .filter(s -> s.path("application_id").asLong() == applicationId && s.path("current").asBoolean())
                .forEach(s -> s.put("current", false).put("exited_at", stamp()).put("updated_at", stamp()));
        long applicationStage = enterStage(applicationId, target);
        return updateApplication(applicationId, a -> a.put("stage_id", applicationStage)
                .put("job_interview_stage_id", target.get("id").asLong()).put("stage_name", target.get("name").asText()));
    }

    public synchronized ObjectNode reject(long applicationId, Long rejectionReasonId) {
        String now = stamp();
        ObjectNode details = obj().put("application_id", applicationId).putNull("rejected_by_id").putNull("rejection_note_id")
                .put("rejection_reason_id", rejectionReasonId).put("rejected_at", now);
        details.putObject("question_custom_fields"); // putObject answers the child: keep the record itself
        insert("rejection_details", details);
        return updateApplication(applicationId, a -> {
            a.put("status", "rejected").put("rejected_at", now);
            if (rejectionReasonId == null) a.putNull("rejection_reason_id"); else a.put("rejection_reason_id", rejectionReasonId);
        });
    }

    public synchronized ObjectNode unreject(long applicationId) {
        table("rejection_details").values().removeIf(n -> n.path("application_id").asLong() == applicationId);
        return updateApplication(applicationId, a -> a.put("status", "in_process").putNull("rejected_at").putNull("rejection_reason_id"));
    }

    public synchronized ObjectNode hire(long applicationId) {
        return updateApplication(applicationId, a -> a.put("status", "hired"));
    }

    public synchronized ObjectNode unhire(long applicationId) {
        return updateApplication(applicationId, a -> a.put("status", "in_process"));
    }

    public synchronized ObjectNode deleteApplication(long applicationId) {
        ObjectNode app = table("applications").remove(applicationId);
        if (app == null) {
            throw new IllegalArgumentException("no application " + applicationId);
        }
        removeApplicationChildren(applicationId);
        deletedApplications.put(applicationId, app);
        return app.deepCopy();
    }

    private void removeApplicationChildren(long applicationId) {
        for (String child : List.of("application_stages", "prospect_details", "rejection_details")) {
            table(child).values().removeIf(n -> n.path("application_id").asLong() == applicationId);
        }
    }

    /** A new current application-stage record (v3 application_stages shape); its id is the application's stage_id. */
    private long enterStage(long applicationId, ObjectNode stage) {
        return insert("application_stages", obj().put("application_id", applicationId)
                .put("job_interview_stage_id", stage.get("id").asLong()).put("entered_at", stamp()).putNull("exited_at")
                .put("days_in_stage", 0).put("current", true)).get("id").asLong();
    }

    // ---- notes and attachments ----------------------------------------------------------------------------

    /** @param visibility admin_only, private or public (stored as Harvest v3's *_visible values) */
    public synchronized long addNote(long candidateId, Long applicationId, long userId, String body, String visibility) {
        return addNote(candidateId, applicationId, userId, body, visibility, "NOTE");
    }

    /** @param type NOTE or ACTIVITY (v3 note_type) */
    public synchronized long addNote(long candidateId, Long applicationId, long userId, String body, String visibility, String type) {
        get("candidates", candidateId);
        ObjectNode n = obj().put("candidate_id", candidateId).put("user_id", userId).put("body", body)
                .put("visibility", visibleValue(visibility)).put("type", type);
        if (applicationId == null) n.putNull("application_id"); else n.put("application_id", applicationId);
        long id = insert("notes", n).get("id").asLong();
        updateCandidate(candidateId, c -> { });
        return id;
    }

    static String visibleValue(String visibility) {
        return switch (visibility) {
            case "admin_only", "admin_only_visible" -> "admin_only_visible";
            case "private", "privately_visible" -> "privately_visible";
            case "public", "publicly_visible" -> "publicly_visible";
            default -> throw new IllegalArgumentException("visibility must be admin_only, private or public");
        };
    }

    /** @param type resume, cover_letter, take_home_test, offer_letter, other, … */
    public synchronized long addAttachment(long candidateId, Long applicationId, String type, String filename,
                                           byte[] content, String contentType) {
        get("candidates", candidateId);
        long id = ids.incrementAndGet();
        ObjectNode a = obj().put("id", id).put("candidate_id", candidateId).put("type", type).put("filename", filename)
                .put("url", filesBaseUrl + "/files/" + id).put("content_type", contentType);
        if (applicationId == null) a.putNull("application_id"); else a.put("application_id", applicationId);
        files.put(id, content.clone());
        insert("attachments", a);
        updateCandidate(candidateId, c -> { });
        return id;
    }

    // ---- seeding ------------------------------------------------------------------------------------------

    /**
     * A deterministic demo organisation: departments, offices, users, sources, rejection reasons, {@code jobs}
     * jobs and {@code candidates} candidates (a tenth of them prospects, some private, most with a resume).
     */
    public synchronized void seedDemo(int jobs, int candidates, long seed) {
        Random rnd = new Random(seed);
        long[] depts = {addDepartment("Engineering"), addDepartment("Sales"), addDepartment("Design")};
        long[] offices = {addOffice("London", "London, United Kingdom"), addOffice("New York", "New York, NY"),
                addOffice("Berlin", "Berlin, Germany")};
        String[] first = {"Ada", "Grace", "Alan", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances", "Edsger"};
        String[] last = {"Lovelace", "Hopper", "Turing", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie", "Allen", "Dijkstra"};
        List<Long> users = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            users.add(addUser(first[i], last[i], first[i].toLowerCase(Locale.ROOT) + "." + last[i].toLowerCase(Locale.ROOT) + "@acme.example"));
        }
        long[] sources = {addSource("LinkedIn", "Prospecting"), addSource("Referral", "Referrals"),
                addSource("Jobs page on your website", "Company marketing")};
        addRejectionReason("Lacking skill(s)/qualification(s)", "WE_REJECTED_THEM");
        addRejectionReason("Took another offer", "THEY_REJECTED_US");
        String[] titles = {"Software Engineer", "Account Executive", "Product Designer", "Data Scientist", "SRE", "Sales Manager"};
        List<Long> jobIds = new ArrayList<>();
        for (int j = 0; j < jobs; j++) {
            JobBuilder b = job(titles[j % titles.length] + (j >= titles.length ? " " + (j / titles.length + 1) : ""))
                    .department(depts[j % depts.length]).offices(offices[rnd.nextInt(offices.length)])
                    .hiringManagers(users.get(rnd.nextInt(users.size()))).recruiter(users.get(rnd.nextInt(users.size())))
                    .salary(40_000 + 5_000L * rnd.nextInt(10), 80_000 + 5_000L * rnd.nextInt(10), "GBP");
            if (j % 3 != 2) b.requisitionId("REQ-" + (100 + j));
            jobIds.add(b.create());
        }
        for (int c = 0; c < candidates; c++) {
            String f = first[rnd.nextInt(first.length)];
            String l = last[rnd.nextInt(last.length)];
            CandidateBuilder b = candidate(f, l).email(f.toLowerCase(Locale.ROOT) + "." + l.toLowerCase(Locale.ROOT) + "." + c + "@example.com")
                    .phone("+44 20 7946 " + String.format("%04d", c % 10_000), "mobile")
                    .company("Company " + (c % 17)).title(titles[rnd.nextInt(titles.length)])
                    .privateCandidate(c % 20 == 19);
            if (c % 4 == 0) b.tags("Demo");
            long id = b.create();
            Long job = jobIds.isEmpty() ? null : jobIds.get(rnd.nextInt(jobIds.size()));
            long app = c % 10 == 9 || job == null ? addProspect(id, job)
                    : addApplication(id, job, false, sources[rnd.nextInt(sources.length)], null);
            if (c % 3 == 0) {
                addAttachment(id, app, "resume", f + "_" + l + "_resume.pdf", demoPdf(f + " " + l), "application/pdf");
            }
        }
    }

    /**
     * {@code n} candidates with one email ({@code <prefix><i>@example.com}) and one application each on
     * {@code jobId}, for the large backfill benchmark: the fewest fields a candidate has, seeded under one lock.
     * Returns the candidate ids in creation order.
     */
    public synchronized long[] seedApplicants(long jobId, int n, String emailPrefix) {
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = candidate("Backfill", "Applicant " + i).email(emailPrefix + i + "@example.com").create();
            apply(out[i], jobId);
        }
        return out;
    }

    /** {@code n} plain open jobs with stages, for the large-volume vacancy benchmark. */
    public synchronized List<Long> seedJobs(int n) {
        long dept = addDepartment("Bench " + ids.get());
        long office = addOffice("Bench office " + ids.get(), "Remote");
        List<Long> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(job("Bench job " + i).requisitionId("BENCH-" + i).department(dept).offices(office)
                    .stages("Application Review", "Offer").create());
        }
        return out;
    }

    static byte[] demoPdf(String text) {
        return ("%PDF-1.4\n% Greenhouse simulator resume of " + text + "\n%%EOF\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static ObjectNode obj() {
        return JSON.createObjectNode();
    }

    private static String slug(String s) {
        return s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    }

}
