package io.greenbridge.assessment;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A Greenhouse send_test body, read leniently (Greenhouse may add fields) and checked for what we need. */
public record SendTestRequest(
        String partnerTestId,
        String firstName,
        String lastName,
        String preferredName,
        String email,
        String phoneNumber,
        String resumeUrl,
        String greenhouseProfileUrl,
        String sentBy,
        String callbackUrl,
        JsonNode candidate) {

    /** Required fields, named as Greenhouse names them. preferred_name is optional: its nullability is unconfirmed. */
    static final List<String> REQUIRED = List.of("partner_test_id", "candidate.first_name", "candidate.last_name",
            "candidate.email", "candidate.greenhouse_profile_url", "url");

    static SendTestRequest from(JsonNode body) {
        JsonNode c = body.path("candidate");
        return new SendTestRequest(text(body, "partner_test_id"), text(c, "first_name"), text(c, "last_name"),
                text(c, "preferred_name"), text(c, "email"), text(c, "phone_number"), text(c, "resume_url"),
                text(c, "greenhouse_profile_url"), text(body, "sent_by"), text(body, "url"), c);
    }

    /** Every problem at once, each naming its field; empty when the request can be served. */
    List<String> problems() {
        List<String> out = new ArrayList<>();
        String[] values = {partnerTestId, firstName, lastName, email, greenhouseProfileUrl, callbackUrl};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].isBlank()) {
                out.add(REQUIRED.get(i) + " is required");
            }
        }
        if (email != null && !email.isBlank() && !email.matches("[^@\\s]+@[^@\\s]+")) {
            out.add("candidate.email is not an email address");
        }
        if (callbackUrl != null && !callbackUrl.isBlank() && !httpUrl(callbackUrl)) {
            out.add("url must be an http(s) URL (Greenhouse's PATCH callback)");
        }
        return out;
    }

    private static boolean httpUrl(String value) {
        try {
            URI u = URI.create(value);
            return u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
