package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
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
 * Route steps {@code bean: assessmentPartnerApi} of the four endpoints Greenhouse calls (routes/assessment-partner.yaml).
 * Each route authenticates the company's key first and sees only that company's tests and invitations. A step that
 * refuses the call writes the answer and stops the route ({@link Exchange#setRouteStop}); the route's last step
 * writes the success answer.
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

    /** Exchange properties the steps share. */
    static final String TENANT = "assessmentTenant";
    static final String REQUEST_JSON = "assessmentRequestJson";
    static final String SEND = "assessmentSendTest";
    static final String PROBLEMS = "assessmentProblems";
    static final String INVITATION = "assessmentInvitation";

    /**
     * Step {@code authenticate-company-key}: the company the security chain found for the Basic-auth key, or a 401
     * answer and the route stops (Greenhouse documents 401 for a failed key).
     */
    public void authenticate(Exchange exchange) {
        Optional<Tenant> tenant = io.greenbridge.web.CallerCompany.of(exchange); // the security chain checked the key
        if (tenant.isEmpty()) {
            HttpReply.unauthorized(exchange);
            exchange.setRouteStop(true);
            return;
        }
        exchange.setProperty(TENANT, tenant.get());
    }

    /** Step {@code reply-tests} ({@code GET /assessment/list_tests}): {@code [{partner_test_id, partner_test_name}]}. */
    public void listTests(Exchange exchange) {
        List<Map<String, String>> tests = tenants.tests(tenant(exchange).companyId()).stream()
                .map(t -> { // Greenhouse shows the fields in this order; keep the JSON stable
                    Map<String, String> m = new LinkedHashMap<>();
                    m.put("partner_test_id", t.id());
                    m.put("partner_test_name", t.name());
                    return m;
                }).toList();
        HttpReply.json(exchange, 200, tests);
    }

    /** Steps {@code read-send-test-json}, {@code read-response-error-json}: the body as a JSON object, or 400 and stop. */
    public void readJson(Exchange exchange) {
        String text = exchange.getMessage().getBody(String.class);
        try {
            JsonNode node = text == null || text.isBlank() ? null : json.readTree(text);
            if (node != null && node.isObject()) {
                exchange.setProperty(REQUEST_JSON, node);
                return;
            }
        } catch (JsonProcessingException e) {
            // answered below
        }
        HttpReply.refuse(exchange, 400, "invalid_json", "The body must be a JSON object.");
    }

    /** Step {@code validate-send-test-fields}: every field's problem, kept for the answer (none answered yet). */
    public void validateSendTest(Exchange exchange) {
        SendTestRequest req = SendTestRequest.from(exchange.getProperty(REQUEST_JSON, JsonNode.class));
        exchange.setProperty(SEND, req);
        exchange.setProperty(PROBLEMS, new ArrayList<>(req.fieldProblems()));
    }

    /** Step {@code check-callback-url-allowlist}: the url against ASSESSMENT_CALLBACK_HOSTS (checked again before the PATCH). */
    @SuppressWarnings("unchecked")
    public void checkCallbackUrl(Exchange exchange) {
        exchange.getProperty(SEND, SendTestRequest.class).callbackProblem(callbackUrls)
                .ifPresent(exchange.getProperty(PROBLEMS, List.class)::add);
    }

    /** Step {@code refuse-invalid-request}: a 400 naming every problem at once, or nothing. */
    @SuppressWarnings("unchecked")
    public void refuseInvalid(Exchange exchange) {
        List<String> problems = exchange.getProperty(PROBLEMS, List.class);
        if (problems != null && !problems.isEmpty()) {
            HttpReply.invalid(exchange, problems);
            exchange.setRouteStop(true);
        }
    }

    /** Step {@code check-test-offered}: partner_test_id is one of the company's tests. */
    public void checkTestOffered(Exchange exchange) {
        SendTestRequest req = exchange.getProperty(SEND, SendTestRequest.class);
        if (tenants.test(tenant(exchange).companyId(), req.partnerTestId()).isEmpty()) {
            HttpReply.refuse(exchange, 400, "unknown_test", "partner_test_id '" + req.partnerTestId()
                    + "' is not one of this company's tests; list_tests gives the valid ids.");
        }
    }

    /** Step {@code answer-repeated-send}: a retried send_test is answered again, never counted against the limits. */
    public void answerRepeatedSend(Exchange exchange) {
        Optional<String> earlier = invitations.earlier(tenant(exchange), exchange.getProperty(SEND, SendTestRequest.class));
        if (earlier.isPresent()) {
            HttpReply.json(exchange, 200, Map.of("partner_interview_id", earlier.get()));
            exchange.setRouteStop(true);
        }
    }

    /** Step {@code check-send-limits}: per candidate and per company (greenbridge.assessment.rate-limits); 429 over them. */
    public void checkSendLimits(Exchange exchange) {
        Optional<SendLimits.Refusal> refused = limits.check(tenant(exchange).companyId(),
                exchange.getProperty(SEND, SendTestRequest.class).email());
        if (refused.isPresent()) {
            HttpReply.refuse(exchange, 429, "rate_limited", refused.get().message());
            exchange.getMessage().setHeader("Retry-After", String.valueOf(refused.get().retryAfterSeconds()));
        }
    }

    /**
     * Step {@code create-invitation-and-queue-email}: the invitation and its outbox e-mail row in one transaction
     * (the e-mail goes out if and only if the invitation exists), then the answer.
     */
    public void createInvitation(Exchange exchange) {
        String key = ApiKeys.basicUsername(exchange.getMessage().getHeader("Authorization", String.class)).orElse(null);
        Invitations.Sent sent = invitations.send(tenant(exchange), exchange.getProperty(SEND, SendTestRequest.class), key);
        HttpReply.json(exchange, 200, Map.of("partner_interview_id", sent.partnerInterviewId()));
    }

    /** Step {@code find-invitation} ({@code GET /assessment/test_status?partner_interview_id=}): this company's only. */
    public void findInvitation(Exchange exchange) {
        String id = exchange.getMessage().getHeader("partner_interview_id", String.class);
        if (id == null || id.isBlank()) {
            HttpReply.refuse(exchange, 400, "invalid_request", "partner_interview_id is required.");
            return;
        }
        Optional<String> bad = Fields.id("partner_interview_id", id, Fields.MAX_INTERVIEW_ID);
        if (bad.isPresent()) {
            HttpReply.invalid(exchange, List.of(bad.get()));
            exchange.setRouteStop(true);
            return;
        }
        Optional<Invitation> inv = invitations.find(tenant(exchange).companyId(), id);
        if (inv.isEmpty()) {
            HttpReply.refuse(exchange, 404, "not_found", "No test instance with partner_interview_id '" + id + "'.");
            return;
        }
        exchange.setProperty(INVITATION, inv.get());
    }

    /** Step {@code reply-test-status}: pending state, or complete with the results. */
    public void testStatus(Exchange exchange) {
        Invitation inv = exchange.getProperty(INVITATION, Invitation.class);
        HttpReply.json(exchange, 200, status(inv, invitations.result(inv.id())));
    }

    /** Step {@code validate-response-error} ({@code POST /assessment/response_error}). */
    public void validateResponseError(Exchange exchange) {
        List<String> problems = ResponseErrors.problems(exchange.getProperty(REQUEST_JSON, JsonNode.class));
        if (!problems.isEmpty()) {
            HttpReply.invalid(exchange, problems);
            exchange.setRouteStop(true);
        }
    }

    /** Step {@code record-response-error}: Greenhouse found one of our answers malformed; kept, then 200. */
    public void recordResponseError(Exchange exchange) {
        responseErrors.record(tenant(exchange), exchange.getProperty(REQUEST_JSON, JsonNode.class));
        HttpReply.json(exchange, 200, HttpReply.status(200));
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

    private static Tenant tenant(Exchange exchange) {
        return exchange.getProperty(TENANT, Tenant.class);
    }
}
