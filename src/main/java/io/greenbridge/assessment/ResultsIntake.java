package io.greenbridge.assessment;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.Sha256Signature;

/**
 * {@code POST /api/assessment/results}: the assessment platform's results for a token, signed
 * {@code X-Signature: sha256 <hex>} (HMAC-SHA256 of the raw body with ASSESSMENT_RESULTS_SECRET). Stored once;
 * storing queues the Greenhouse PATCH callback.
 */
@Component("assessmentResultsIntake")
public class ResultsIntake {
    private static final Logger log = LoggerFactory.getLogger(ResultsIntake.class);

    private final Invitations invitations;
    private final ObjectMapper json;
    private final String secret;
    private final Duration grace;

    public ResultsIntake(Invitations invitations, ObjectMapper json, GreenbridgeProperties props) {
        this.invitations = invitations;
        this.json = json;
        this.secret = props.assessment().resultsSecret();
        Duration g = props.assessment().resultsGrace();
        this.grace = g == null ? Duration.ofHours(24) : g;
    }

    public void receive(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        if (!signedBySecret(body, exchange.getMessage().getHeader("X-Signature", String.class))) {
            HttpReply.error(exchange, 401, "invalid_signature",
                    "Sign the raw body with HMAC-SHA256 and ASSESSMENT_RESULTS_SECRET: X-Signature: sha256 <hex>.");
            return;
        }
        JsonNode doc;
        try {
            doc = json.readTree(body);
        } catch (Exception e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            HttpReply.error(exchange, 400, "invalid_json", "The body must be a JSON object.");
            return;
        }
        String token = doc.path("token").asText("");
        Optional<Invitation> inv = token.isEmpty() ? Optional.empty() : invitations.findByToken(token);
        if (inv.isEmpty()) {
            HttpReply.error(exchange, 404, "unknown_token", "No invitation has this token.");
            return;
        }
        if (Invitation.REVOKED.equals(inv.get().status())) {
            HttpReply.error(exchange, 409, "invitation_revoked", "The employer withdrew this invitation; results are not accepted.");
            return;
        }
        if (inv.get().expired(Tenants.now().minus(grace))) {
            HttpReply.error(exchange, 410, "invitation_expired", "The invitation expired at " + AssessmentPartnerApi.iso(
                    inv.get().expiresAt()) + " (results are accepted up to greenbridge.assessment.results-grace after it).");
            return;
        }
        AssessmentResult result;
        try {
            result = parse(doc);
        } catch (IllegalArgumentException e) {
            HttpReply.error(exchange, 400, "invalid_results", e.getMessage());
            return;
        }
        boolean stored = invitations.complete(inv.get().id(), result);
        if (stored) {
            log.info("Results stored for invitation {}; Greenhouse callback queued", inv.get().id());
        }
        HttpReply.json(exchange, 200, Map.of("partner_interview_id", inv.get().id(), "stored", stored));
    }

    boolean signedBySecret(byte[] body, String header) {
        return Sha256Signature.verify(body, header, secret);
    }

    private static AssessmentResult parse(JsonNode doc) {
        JsonNode score = doc.path("score");
        if (!score.isNumber()) {
            throw new IllegalArgumentException("score must be a number.");
        }
        String profileUrl = doc.path("profileUrl").asText("");
        if (!profileUrl.startsWith("http://") && !profileUrl.startsWith("https://")) {
            throw new IllegalArgumentException("profileUrl must be an http(s) URL.");
        }
        if (profileUrl.length() > 2000 || Fields.hasControl(profileUrl)) {
            throw new IllegalArgumentException("profileUrl must be at most 2000 characters, without control characters.");
        }
        JsonNode traits = doc.path("traits");
        if (!traits.isObject()) {
            throw new IllegalArgumentException("traits must be an object of trait name to number.");
        }
        Map<String, Number> scores = new LinkedHashMap<>();
        if (traits.size() > 50) {
            throw new IllegalArgumentException("traits must have at most 50 entries.");
        }
        traits.fields().forEachRemaining(e -> {
            if (e.getKey().length() > 100 || Fields.hasControl(e.getKey())) {
                throw new IllegalArgumentException("traits: a trait name must be 1 to 100 characters, one line.");
            }
            if (!e.getValue().isNumber()) {
                throw new IllegalArgumentException("trait '" + e.getKey() + "' must be a number.");
            }
            scores.put(e.getKey(), e.getValue().numberValue());
        });
        OffsetDateTime completed = time(doc, "completedAt");
        return new AssessmentResult(score.asDouble(), profileUrl, scores, time(doc, "startedAt"),
                completed == null ? Tenants.now() : completed);
    }

    private static OffsetDateTime time(JsonNode doc, String field) {
        JsonNode v = doc.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v.asText());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(field + " must be an ISO-8601 time with offset, e.g. 2024-05-01T10:15:00Z.");
        }
    }
}
