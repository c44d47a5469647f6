package io.greenbridge.candidate;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.PermanentFailureException;

/**
 * Route steps {@code *-candidate-id} of routes/contacts-inbound.yaml: the candidate id a Greenhouse webhook names.
 * The payload only says which candidate changed; the pipeline reads its current state from Harvest, so late,
 * repeated and out-of-order deliveries converge.
 */
@Component("candidateEventIds")
public class CandidateEventIds {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The id at {@code path} (dot-separated, under {@code payload}); an event without one is dead-lettered. */
    public String id(String body, String path) throws JsonProcessingException {
        JsonNode node = JSON.readTree(body).path("payload");
        for (String part : path.split("\\.")) {
            node = node.path(part);
        }
        if (!node.canConvertToLong() && !(node.isTextual() && node.asText().matches("\\d+"))) {
            throw new PermanentFailureException("event payload has no " + path);
        }
        return String.valueOf(node.asLong());
    }
}
