package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The four endpoints Greenhouse calls (route file {@code routes/assessment-partner.yaml}). Each authenticates the
 * company's key and sees only that company's tests and invitations.
 */
@Component("assessmentPartnerApi")
public class AssessmentPartnerApi {
    private final ApiKeys keys;
    private final Tenants tenants;
    private final Invitations invitations;
    private final ResponseErrors responseErrors;
    private final ObjectMapper json;
    private final CallbackUrls callbackUrls;
    private final SendLimits limits;

    public AssessmentPartnerApi(ApiKeys keys, Tenants tenants, Invitations invitations, ResponseErrors responseErrors,
            ObjectMapper json, CallbackUrls callbackUrls, SendLimits limits) {
        this.keys = keys;
        this.tenants = tenants;
        this.invitations = invitations;
        this.responseErrors = responseErrors;
        this.json = json;
        this.callbackUrls = callbackUrls;
        this.limits = limits;
    }

    /** {@code GET /assessment/list_tests}: {@code [{partner_test_id, partner_test_name}]}. */
    public void listTests(Exchange exchange) {
        Optional<Tenant> tenant = authenticated(exchange);
        if (tenant.isEmpty()) {
            return;
        }
        List<Map<String, String>> tests = tenants.tests(tenant.get().companyId()).stream()
                .map(t -> { // Greenhouse shows the fields in this order; keep the JSON stable
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("partner_test_id", t.id());
                    m.put("partner_test_name", t.name());
                    return m;
                }).toList();
        HttpReply.json(exchange, 200, tests);
    }

    /** {@code POST /assessment/send_test}: creates the invitation (its email goes out from the outbox). */
    public void sendTest(Exchange exchange) {
        Optional<Tenant> tenant = authenticated(exchange);
        if (tenant.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = jsonBody(exchange);
        if (body.isEmpty()) {
            return;
        }
        SendTestRequest req = SendTestRequest.from(body.get());
        List<String> problems = req.problems(callbackUrls);
        if (!problems.isEmpty()) {
            HttpReply.invalid(exchange, problems);
            return;
        }
        if (tenants.test(tenant.get().companyId(), req.partnerTestId()).isEmpty()) {
            HttpReply.error(exchange, 400, "unknown_test", "partner_test_id '" + req.partnerTestId()
                    + "' is not one of this company's tests; list_tests gives the valid ids.");
            return;
        }
        Optional<String> earlier = invitations.earlier(tenant.get(), req);
        if (earlier.isPresent()) { // a retried send_test is answered again, never counted against the limits
            HttpReply.json(exchange, 200, Map.of("partner_interview_id", earlier.get()));
            return;
        }
        Optional<SendLimits.Refusal> refused = limits.check(tenant.get().companyId(), req.email());
        if (refused.isPresent()) {
            HttpReply.error(exchange, 429, "rate_limited", refused.get().message());
            exchange.getMessage().setHeader("Retry-After", String.valueOf(refused.get().retryAfterSeconds()));
            return;
        }
        String key = ApiKeys.basicUsername(exchange.getMessage().getHeader("Authorization", String.class)).orElse(null);
        Invitations.Sent sent = invitations.send(tenant.get(), req, key);
        HttpReply.json(exchange, 200, Map.of("partner_interview_id", sent.partnerInterviewId()));
    }

    /** {@code GET /assessment/test_status?partner_interview_id=}: pending state, or complete with the results. */
    public void testStatus(Exchange exchange) {
        Optional<Tenant> tenant = authenticated(exchange);
        if (tenant.isEmpty()) {
            return;
        }
        String id = exchange.getMessage().getHeader("partner_interview_id", String.class);
        if (id == null || id.isBlank()) {
            HttpReply.error(exchange, 400, "invalid_request", "partner_interview_id is required.");
            return;
        }
        Optional<String> bad = Fields.id("partner_interview_id", id, Fields.MAX_INTERVIEW_ID);
        if (bad.isPresent()) {
            HttpReply.invalid(exchange, List.of(bad.get()));
            return;
        }
        Optional<Invitation> inv = invitations.find(tenant.get().companyId(), id);
        if (inv.isEmpty()) {
            HttpReply.error(exchange, 404, "not_found", "No test instance with partner_interview_id '" + id + "'.");
            return;
        }
        HttpReply.json(exchange, 200, status(inv.get(), invitations.result(id)));
    }

    /** {@code POST /assessment/response_error}: Greenhouse found one of our answers malformed. */
    public void responseError(Exchange exchange) {
        Optional<Tenant> tenant = authenticated(exchange);
        if (tenant.isEmpty()) {
            return;
        }
        Optional<JsonNode> body = jsonBody(exchange);
        if (body.isEmpty()) {
            return;
        }
        List<String> problems = ResponseErrors.problems(body.get());
        if (!problems.isEmpty()) {
            HttpReply.invalid(exchange, problems);
            return;
        }
        responseErrors.record(tenant.get(), body.get());
        HttpReply.json(exchange, 200, HttpReply.status(200));
    }

    /** The caller's company from its key, or a 401 answer (Greenhouse documents 401 for a failed key). */
    private Optional<Tenant> authenticated(Exchange exchange) {
        Optional<Tenant> tenant = tenant(exchange);
        if (tenant.isEmpty()) {
            HttpReply.unauthorized(exchange);
        }
        return tenant;
    }

    /**
     * The test_status answer as Greenhouse validates it: {@code complete} only with results, and then always with
     * partner_profile_url; metadata flat, every value a number or a string.
     */
    static Map<String, Object> status(Invitation inv, Optional<AssessmentResult> result) {
        Map<String, Object> out = new LinkedHashMap<>();
        if (result.isEmpty()) {
            out.put("partner_status", inv.visibleStatus(Tenants.now()));
            return out;
        }
        AssessmentResult r = result.get();
        Map<String, Object> metadata = new LinkedHashMap<>(r.traits());
        metadata.put("Score", r.score());
        if (r.startedAt() != null || inv.startedAt() != null) {
            metadata.put("Started At", iso(r.startedAt() != null ? r.startedAt() : inv.startedAt()));
        }
        if (r.completedAt() != null) {
            metadata.put("Completed At", iso(r.completedAt()));
        }
        out.put("partner_status", Invitation.COMPLETE);
        out.put("partner_profile_url", r.profileUrl());
        out.put("partner_score", r.score());
        out.put("metadata", metadata);
        return out;
    }

    static String iso(OffsetDateTime t) {
        return DateTimeFormatter.ISO_INSTANT.format(t);
    }

    private Optional<Tenant> tenant(Exchange exchange) {
        return io.greenbridge.web.CallerCompany.of(exchange); // the security chain checked the key
    }

    /** The body as a JSON object, or a 400 already written. */
    private Optional<JsonNode> jsonBody(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        try {
            JsonNode node = text == null || text.isBlank() ? null : json.readTree(text);
            if (node != null && node.isObject()) {
                return Optional.of(node);
            }
        } catch (JsonProcessingException e) {
            // answered below
        }
        HttpReply.error(exchange, 400, "invalid_json", "The body must be a JSON object.");
        return Optional.empty();
    }
}
