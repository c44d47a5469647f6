package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.RemoteCallException;

/**
 * Greenhouse's own words for a failed call, as a person reads them: "Validation error: last_name is required".
 * Harvest's 422 keeps the field apart from the reason ({@code errors: [{field, message}]}); both are kept.
 */
final class GreenhouseMessages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private GreenhouseMessages() {
    }

    static String of(Throwable failure) {
        if (!(failure instanceof RemoteCallException remote)) {
            return failure.getMessage() == null ? failure.getClass().getSimpleName() : failure.getMessage();
        }
        String said = said(remote.responseBody());
        String system = "beamery".equals(remote.system()) ? "Beamery" : "Greenhouse";
        if (remote.retryable()) {
            return system + " did not accept the call after retries (" + status(remote) + ")"
                    + (said.isEmpty() ? "" : ": " + said);
        }
        return system + " refused the call (" + status(remote) + ")" + (said.isEmpty() ? "" : ": " + said);
    }

    private static String status(RemoteCallException e) {
        return e.status() == 0 ? "no response" : "HTTP " + e.status();
    }

    private static String said(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        try {
            JsonNode json = JSON.readTree(body);
            List<String> parts = new ArrayList<>();
            if (json.path("message").isTextual()) {
                parts.add(json.get("message").asText());
            }
            for (JsonNode error : json.path("errors")) {
                String m = error.path("message").asText(error.isTextual() ? error.asText() : "");
                String field = error.path("field").isTextual() ? error.get("field").asText().trim() : "";
                if (!field.isEmpty() && !m.contains(field)) {
                    m = m.isEmpty() ? field + " is invalid" : field + " " + m;
                }
                if (!m.isEmpty()) {
                    parts.add(m);
                }
            }
            return parts.isEmpty() ? abbreviate(body) : String.join(": ", parts);
        } catch (java.io.IOException e) {
            return abbreviate(body);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "…" : s;
    }
}
