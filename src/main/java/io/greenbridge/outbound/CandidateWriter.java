package io.greenbridge.outbound;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkStore;

/**
 * The Greenhouse writes of contacts out (Harvest v3, acting as GREENHOUSE_USER_ID): find by email, create a
 * candidate or prospect, apply a change set, add and move applications; then the links and the write-back of the
 * Greenhouse id and URL onto the Beamery contact.
 */
@Component
public class CandidateWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HarvestClient harvest;
    private final BeameryClient beamery;
    private final LinkStore links;
    private final CandidateTags tags;
    private final GreenbridgeProperties.Outbound config;

    public CandidateWriter(HarvestClient harvest, BeameryClient beamery, LinkStore links, CandidateTags tags,
                           GreenbridgeProperties properties) {
        this.harvest = harvest;
        this.beamery = beamery;
        this.links = links;
        this.tags = tags;
        this.config = properties.outbound();
    }

    /** The Greenhouse candidate holding one of these emails, looked up one email at a time. */
    public Optional<JsonNode> findByEmail(JsonNode contact) {
        Set<String> emails = new LinkedHashSet<>();
        BeameryValues.strings(contact.path("primaryEmail")).forEach(e -> emails.add(e.toLowerCase(Locale.ROOT)));
        BeameryValues.strings(contact.path("emails")).forEach(e -> emails.add(e.toLowerCase(Locale.ROOT)));
        for (String email : emails) {
            Optional<JsonNode> found = harvest.stream("candidates", Map.of("email", email)).findFirst();
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /**
     * {@code POST /v3/candidates}: the profile, tags and consent fields; a prospect gets its jobless application.
     * v3 may answer {@code {message}} without the record (asynchronous create): then the candidate is looked up by
     * email; empty when Greenhouse has not made it yet. A missing id is never taken as 0.
     */
    public Optional<Long> create(ObjectNode candidate, boolean prospect, JsonNode contact) {
        ObjectNode body = JSON.createObjectNode();
        for (String field : CandidateChanges.PROFILE_FIELDS) {
            if (candidate.hasNonNull(field)) {
                body.set(field, candidate.get(field));
            }
        }
        body.set("tags", candidate.path("tags"));
        body.set("custom_fields", candidate.path("custom_fields"));
        if (prospect) {
            ObjectNode application = body.putArray("applications").addObject().put("prospect", true);
            application.set("referrer_id", candidate.path("referrer_id").isNumber() ? candidate.get("referrer_id") : JSON.nullNode());
        }
        JsonNode answer = harvest.post("candidates", body);
        Optional<Long> id = candidateId(answer);
        return id.isPresent() ? id : findByEmail(contact).flatMap(CandidateWriter::candidateId);
    }

    /** A Harvest record's id, when it has a real one. */
    static Optional<Long> candidateId(JsonNode record) {
        JsonNode id = record == null ? null : record.path("id");
        return id != null && id.canConvertToLong() && id.asLong() > 0 ? Optional.of(id.asLong()) : Optional.empty();
    }

    /** Applies the change set; true when anything was written. */
    public boolean apply(long candidateId, String contactId, CandidateChanges changes) {
        if (!changes.profile().isEmpty()) {
            harvest.patch("candidates/" + candidateId, changes.profile());
        }
        changes.tagsAdded().forEach(tag -> tags.apply(candidateId, tag));
        changes.tagsRemoved().forEach(tag -> tags.remove(candidateId, tag));
        changes.stageMoves().forEach((vacancyId, application) -> move(contactId, vacancyId, application));
        return !changes.isEmpty();
    }

    /** Adds an application for every linked vacancy that has none yet; the number added. */
    public int addApplications(long candidateId, String contactId, JsonNode applications) {
        int added = 0;
        for (JsonNode application : applications) {
            String ref = contactId + "/" + application.path("vacancy_id").asText();
            if (links.byBeameryId("application", ref).isPresent()) {
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("candidate_id", candidateId);
            body.put("job_id", application.path("job_id").asLong());
            if (application.path("initial_stage_id").isNumber()) {
                body.put("initial_stage_id", application.get("initial_stage_id").asLong());
            } else if (application.path("initial_stage_name").isTextual()) {
                body.put("initial_stage_name", application.get("initial_stage_name").asText());
            }
            if (application.path("referrer_id").isNumber()) {
                body.put("referrer_id", application.get("referrer_id").asLong());
            }
            JsonNode created = harvest.post("applications", body);
            links.put("application", created.path("id").asText(), ref, null);
            added++;
        }
        return added;
    }

    /** Links the candidate to the contact and writes the Greenhouse id and URL onto the contact. */
    public void link(long candidateId, String contactId) {
        links.put("candidate", String.valueOf(candidateId), contactId, null);
        ObjectNode greenhouse = JSON.createObjectNode();
        greenhouse.putObject("integrations").putObject("greenhouse").put("id", String.valueOf(candidateId))
                .put("url", config.candidateUrl().replace("{id}", String.valueOf(candidateId)));
        beamery.patchContact(contactId, greenhouse);
    }

    /**
     * {@code POST /v3/applications/{id}/move}: {@code from_stage_id} is the application's current application-stage
     * id ({@code stage_id}), {@code to_stage_id} the target job interview stage id (the vacancy's gh-stage-&lt;id&gt;).
     */
    private void move(String contactId, String vacancyId, JsonNode application) {
        if (!application.path("initial_stage_id").isNumber()) {
            return; // a Beamery-only stage has no Greenhouse stage to move to
        }
        long target = application.get("initial_stage_id").asLong();
        links.byBeameryId("application", contactId + "/" + vacancyId).ifPresent(link -> {
            Optional<JsonNode> now = harvest.findById("applications", link.greenhouseId());
            if (now.isEmpty() || now.get().path("job_interview_stage_id").asLong() == target) {
                return; // gone, or already there
            }
            Optional<Long> from = currentApplicationStage(now.get());
            if (from.isEmpty()) {
                return; // rejected, hired or a prospect: no stage to move from
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("from_stage_id", from.get());
            body.put("to_stage_id", target);
            harvest.post("applications/" + link.greenhouseId() + "/move", body);
        });
    }

    /** The application's stage_id, else the id of its current record in /v3/application_stages. */
    private Optional<Long> currentApplicationStage(JsonNode application) {
        if (application.path("stage_id").canConvertToLong() && application.path("stage_id").asLong() > 0) {
            return Optional.of(application.get("stage_id").asLong());
        }
        return harvest.stream("application_stages", Map.of("application_ids", application.path("id").asText(), "current", "true"))
                .findFirst().flatMap(CandidateWriter::candidateId);
    }

    static List<String> emails(JsonNode contact) {
        List<String> all = BeameryValues.strings(contact.path("emails"));
        all.addAll(BeameryValues.strings(contact.path("primaryEmail")));
        return all;
    }
}
