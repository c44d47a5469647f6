package io.greenbridge.candidate;

import java.util.Optional;
import java.util.OptionalLong;

import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.PermanentFailureException;

/**
 * Greenhouse candidate webhooks (routes/contacts-inbound.yaml). The payload only says which candidate changed;
 * the current state is read from Harvest, so late, repeated and out-of-order deliveries converge.
 */
@Component
public class CandidateEvents {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CandidateSync sync;
    private final ContactLifecycle lifecycle;

    public CandidateEvents(CandidateSync sync, ContactLifecycle lifecycle) {
        this.sync = sync;
        this.lifecycle = lifecycle;
    }

    /**
     * Handles one webhook body; returns what was done (created, updated, unchanged, skipped, merged…).
     * {@code prefetched} is the candidate's state read in bulk with other due events ({@link CandidatePrefetch});
     * null when it was not, and the sync reads it itself.
     */
    public String handle(@Header("GreenhouseAction") String action, String body,
                         @ExchangeProperty(CandidatePrefetch.PROPERTY) Optional<CandidateData> prefetched)
            throws JsonProcessingException {
        JsonNode payload = JSON.readTree(body).path("payload");
        JsonNode synced = syncedCandidateId(action, payload);
        String result = synced != null ? syncOf(action, synced, prefetched) : switch (action) {
            case "delete_candidate" -> lifecycle.deleted(id(action, payload.path("person").path("id")));
            case "merge_candidate" -> lifecycle.merged(id(action, payload.path("person").path("id")),
                    id(action, payload.path("person").path("new_candidate_id")));
            case "candidate_anonymized" -> lifecycle.anonymized(id(action, payload.path("candidate_id")));
            default -> "ignored";
        };
        LOG.debug("{}: {}", action, result);
        return result;
    }

    /**
     * The candidate whose current state an event syncs, when its body names a valid one; empty for actions that
     * do not read it (delete, merge, anonymize, jobs) and for bodies {@link #handle} refuses.
     */
    public static OptionalLong candidateToSync(String action, String body) {
        try {
            JsonNode id = syncedCandidateId(action, JSON.readTree(body).path("payload"));
            return id == null ? OptionalLong.empty() : OptionalLong.of(id(action, id));
        } catch (JsonProcessingException | PermanentFailureException e) {
            return OptionalLong.empty();
        }
    }

    /** Where each syncing action keeps its candidate id; null for the other actions. */
    private static JsonNode syncedCandidateId(String action, JsonNode payload) {
        return switch (action) {
            case "new_candidate_application", "new_prospect_application", "application_updated",
                 "candidate_stage_change", "reject_candidate", "unreject_candidate", "hire_candidate",
                 "unhire_candidate" -> payload.path("application").path("candidate").path("id");
            case "update_candidate" -> payload.path("candidate").path("id");
            case "delete_application" -> payload.path("application").path("candidate_id");
            default -> null;
        };
    }

    private String syncOf(String action, JsonNode candidateId, Optional<CandidateData> prefetched) {
        CandidateSync.Outcome outcome = sync.syncCandidate(id(action, candidateId), sync.defaults(action), prefetched);
        return outcome.outcome() + (outcome.reason() == null ? "" : " (" + outcome.reason() + ")");
    }

    private static long id(String action, JsonNode id) {
        if (!id.canConvertToLong() && !(id.isTextual() && id.asText().matches("\\d+"))) {
            throw new PermanentFailureException(action + " payload has no candidate id");
        }
        return id.asLong();
    }
}
