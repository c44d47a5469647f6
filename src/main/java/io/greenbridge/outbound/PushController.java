package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.ProducerTemplate;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.web.ApiError;

/**
 * "Add to Greenhouse": {@code POST /api/greenhouse/push} with {@code {"contactIds": ["…"]}} answers 200 when every
 * contact is done, one result per contact, in the order asked. The work runs through the {@code greenhouse-push}
 * route (routes/greenhouse-push.yaml). Admin bearer auth is enforced for /api/** by SecurityConfig.
 */
@RestController
public class PushController {
    private static final java.util.regex.Pattern BEAMERY_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private final ProducerTemplate camel;

    public PushController(ProducerTemplate camel) {
        this.camel = camel;
    }

    @PostMapping("/api/greenhouse/push")
    public ResponseEntity<Object> push(@RequestBody(required = false) JsonNode body) {
        JsonNode ids = body == null ? null : body.get("contactIds");
        if (ids == null || !ids.isArray() || ids.isEmpty()) {
            return badRequest("Send {\"contactIds\": [\"<Beamery contact id>\", …]} with at least one id.");
        }
        List<String> contactIds = new ArrayList<>();
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.asText().isBlank()) {
                return badRequest("Every contactIds entry must be a non-empty string (a Beamery contact id).");
            }
            // the id becomes a Beamery path segment: only Beamery's id shape gets that far
            if (!BEAMERY_ID.matcher(id.asText().trim()).matches()) {
                return badRequest("contactIds entries must be Beamery contact ids: 1-64 letters, digits, '-' or '_'.");
            }
            contactIds.add(id.asText().trim());
        }
        List<?> results = camel.requestBody("direct:greenhouse-push", contactIds, List.class);
        return ResponseEntity.ok(Map.of("results", results));
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    public ResponseEntity<Object> unreadable() {
        return badRequest("The body is not JSON. Send {\"contactIds\": [\"<Beamery contact id>\", …]}.");
    }

    private static ResponseEntity<Object> badRequest(String message) {
        return ResponseEntity.badRequest().body(ApiError.body("invalid_push", message));
    }
}
