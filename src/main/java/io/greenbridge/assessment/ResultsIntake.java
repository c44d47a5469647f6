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
 * storing queues the Greenhouse PATCH callback. Route steps {@code bean: assessmentResultsIntake} of
 * routes/assessment-partner.yaml; a step that refuses writes the answer and stops the route.
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

    /** Exchange properties the steps share. */
    static final String DOCUMENT = "assessmentResults";
    static final String INVITATION = "assessmentInvitation";
    static final String RESULT = "assessmentResult";

    /**
     * Step {@code verify-signature}: the HMAC over the raw bytes received (the route streams them, never a
     * re-encoding), else 401 and the route stops. The body becomes those bytes for the next step.
     */
    public void verifySignature(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        if (body == null) {
            body = new byte[0];
        }
        exchange.getMessage().setBody(body);
        if (!signedBySecret(body, exchange.getMessage().getHeader("X-Signature", String.class))) {
            HttpReply.refuse(exchange, 401, "invalid_signature",
                    "Sign the raw body with HMAC-SHA256 and ASSESSMENT_RESULTS_SECRET: X-Signature: sha256 <hex>.");
        }
    }

    /** Step {@code read-results-json}: a JSON object, else 400. */
    public void readJson(Exchange exchange) {
        JsonNode doc;
        try {
            doc = json.readTree(exchange.getMessage().getBody(byte[].class));
        } catch (Exception e) {
            doc = null;
        }
        if (doc == null || !doc.isObject()) {
            HttpReply.refuse(exchange, 400, "invalid_json", "The body must be a JSON object.");
            return;
        }
        exchange.setProperty(DOCUMENT, doc);
    }

    /** Step {@code find-invitation-by-token}: known (404), not revoked (409), not expired past the grace (410). */
    public void findInvitation(Exchange exchange) {
        String token = exchange.getProperty(DOCUMENT, JsonNode.class).path("token").asText("");
        Optional<Invitation> inv = token.isEmpty() ? Optional.empty() : invitations.findByToken(token);
        if (inv.isEmpty()) {
            HttpReply.refuse(exchange, 404, "unknown_token", "No invitation has this token.");
            return;
        }
        if (Invitation.REVOKED.equals(inv.get().status())) {
            HttpReply.refuse(exchange, 409, "invitation_revoked", "The employer withdrew this invitation; results are not accepted.");
            return;
        }
        if (inv.get().expired(Tenants.now().minus(grace))) {
            HttpReply.refuse(exchange, 410, "invitation_expired", "The invitation expired at " + AssessmentPartnerApi.iso(
                    inv.get().expiresAt()) + " (results are accepted up to greenbridge.assessment.results-grace after it).");
            return;
        }
        exchange.setProperty(INVITATION, inv.get());
    }

    /** Step {@code validate-results}: score, profileUrl, traits and times, else 400. */
    public void validate(Exchange exchange) {
        try {
            exchange.setProperty(RESULT, parse(exchange.getProperty(DOCUMENT, JsonNode.class)));
        } catch (IllegalArgumentException e) {
            HttpReply.refuse(exchange, 400, "invalid_results", e.getMessage());
        }
    }

    /**
     * Step {@code store-results-and-queue-callback}: stored once, with the Greenhouse PATCH callback's outbox row in
     * the same transaction; then the answer.
     */
    public void store(Exchange exchange) {
        Invitation inv = exchange.getProperty(INVITATION, Invitation.class);
        boolean stored = invitations.complete(inv.id(), exchange.getProperty(RESULT, AssessmentResult.class));
        if (stored) {
            log.info("Results stored for invitation {}; Greenhouse callback queued", inv.id());
        }
        HttpReply.json(exchange, 200, Map.of("partner_interview_id", inv.id(), "stored", stored));
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
