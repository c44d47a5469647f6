package io.greenbridge.assessment;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

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

    /**
     * Every field's problem at once, each starting with its field's name (route step validate-send-test-fields);
     * the callback URL's allowlist is {@link #callbackProblem}, the next step.
     */
    List<String> fieldProblems() {
        List<String> out = new ArrayList<>();
        String[] values = {partnerTestId, firstName, lastName, email, greenhouseProfileUrl, callbackUrl};
        for (int i = 0; i < values.length; i++) {
            if (values[i] == null || values[i].isBlank()) {
                out.add(REQUIRED.get(i) + " is required");
            }
        }
        if (present(partnerTestId)) {
            Fields.id("partner_test_id", partnerTestId, Fields.MAX_ID).ifPresent(out::add);
        }
        if (present(firstName)) {
            Fields.personName("candidate.first_name", firstName).ifPresent(out::add);
        }
        if (present(lastName)) {
            Fields.personName("candidate.last_name", lastName).ifPresent(out::add);
        }
        if (present(preferredName)) {
            Fields.personName("candidate.preferred_name", preferredName).ifPresent(out::add);
        }
        if (present(email)) {
            Fields.email("candidate.email", email).ifPresent(out::add);
        }
        if (present(sentBy)) {
            Fields.text("sent_by", sentBy, Fields.MAX_EMAIL).ifPresent(out::add);
        }
        if (present(phoneNumber)) {
            Fields.text("candidate.phone_number", phoneNumber, 50).ifPresent(out::add);
        }
        if (present(resumeUrl) && !httpUrl(resumeUrl, Fields.MAX_URL)) {
            out.add("candidate.resume_url must be an http(s) URL of at most " + Fields.MAX_URL + " characters");
        }
        if (present(greenhouseProfileUrl) && !httpUrl(greenhouseProfileUrl, Fields.MAX_URL)) {
            out.add("candidate.greenhouse_profile_url must be an http(s) URL of at most " + Fields.MAX_URL + " characters");
        }
        if (candidate != null && candidate.toString().length() > MAX_CANDIDATE_JSON) {
            out.add("candidate is larger than " + MAX_CANDIDATE_JSON + " characters");
        }
        return out;
    }

    /** The callback URL against ASSESSMENT_CALLBACK_HOSTS (route step check-callback-url-allowlist). */
    Optional<String> callbackProblem(CallbackUrls callbacks) {
        if (!present(callbackUrl)) {
            return Optional.empty();
        }
        return callbacks.problem(callbackUrl).map(p -> p.startsWith("url must be an https URL")
                ? "url must be an http(s) URL: https, or http only to a loopback host on the allowlist" : p);
    }

    /** The stored copy of the candidate object is bounded (Greenhouse may add fields, not megabytes). */
    static final int MAX_CANDIDATE_JSON = 16_384;

    private static boolean present(String v) {
        return v != null && !v.isBlank();
    }

    private static boolean httpUrl(String value, int max) {
        if (value.length() > max || Fields.hasControl(value)) {
            return false;
        }
        try {
            URI u = new URI(value);
            return u.getHost() != null && ("https".equalsIgnoreCase(u.getScheme()) || "http".equalsIgnoreCase(u.getScheme()));
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isValueNode() && !v.isNull() ? v.asText() : null;
    }
}
