package io.greenbridge.outbound;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.LinkStore;

/**
 * The Greenhouse writes of an update that are still Java (Harvest v3, acting as GREENHOUSE_USER_ID): tag changes
 * ({@link CandidateTags}) and stage moves. Creates, profile PATCHes, applications, notes, merges and
 * anonymizations are steps of routes/contacts-outbound.yaml.
 */
@Component
public class CandidateWriter {
    private final HarvestClient harvest;
    private final LinkStore links;
    private final CandidateTags tags;

    public CandidateWriter(HarvestClient harvest, LinkStore links, CandidateTags tags) {
        this.harvest = harvest;
        this.links = links;
        this.tags = tags;
    }

    /** Tags added in Beamery are applied to the candidate, tags removed there are removed from it. */
    public void tags(long candidateId, CandidateChanges changes) {
        changes.tagsAdded().forEach(tag -> tags.apply(candidateId, tag));
        changes.tagsRemoved().forEach(tag -> tags.remove(candidateId, tag));
    }

    public void moves(String contactId, CandidateChanges changes) {
        changes.stageMoves().forEach((vacancyId, application) -> move(contactId, vacancyId, application));
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
                .findFirst().flatMap(CandidateCreates::candidateId);
    }
}
