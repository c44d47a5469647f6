package io.greenbridge.assessment;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Greenhouse's reports of malformed answers: checked, stored with a capped body (pruned after
 * {@code greenbridge.assessment.response-error-retention}), counted ({@code greenbridge.assessment.response_errors},
 * tagged with a known Partner API call or {@code other}) and logged at WARN without the candidate or the body.
 */
@Component
public class ResponseErrors {
    private static final Logger log = LoggerFactory.getLogger(ResponseErrors.class);
    /** The Partner API calls Greenhouse can report on; anything else is tagged {@code other} (bounded series). */
    static final Set<String> KNOWN_CALLS = Set.of("list_tests", "send_test", "test_status");
    /** The stored copy of a report (body and errors) is cut here. */
    static final int MAX_STORED_BYTES = 4096;

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;
    private final Duration retention;

    public ResponseErrors(JdbcTemplate jdbc, MeterRegistry meters, GreenbridgeProperties props) {
        this.jdbc = jdbc;
        this.meters = meters;
        Duration r = props.assessment().responseErrorRetention();
        this.retention = r == null ? Duration.ofDays(30) : r;
    }

    /** Problems of a report, each naming its field; empty when it can be stored. */
    static List<String> problems(JsonNode body) {
        List<String> out = new ArrayList<>();
        JsonNode call = body.path("api_call");
        if (!call.isTextual() || call.asText().isBlank()) {
            out.add("api_call is required");
        } else {
            Fields.text("api_call", call.asText(), 40).ifPresent(out::add);
        }
        JsonNode errors = body.path("errors");
        if (!errors.isArray()) {
            out.add("errors must be an array of strings");
        } else if (errors.size() > 100) {
            out.add("errors must list at most 100 entries");
        } else {
            for (JsonNode e : errors) {
                if (!e.isTextual() || e.asText().length() > 2000) {
                    out.add("errors must be an array of strings of at most 2000 characters");
                    break;
                }
            }
        }
        optional(body, "partner_test_id", Fields.MAX_ID, out);
        optional(body, "partner_test_name", Fields.MAX_TEST_NAME, out);
        optional(body, "partner_interview_id", Fields.MAX_INTERVIEW_ID, out);
        optional(body, "candidate_email", Fields.MAX_EMAIL, out);
        return out;
    }

    private static void optional(JsonNode body, String field, int max, List<String> out) {
        JsonNode v = body.path(field);
        if (v.isMissingNode() || v.isNull()) {
            return;
        }
        if (!v.isValueNode()) {
            out.add(field + " must be a string");
            return;
        }
        Fields.text(field, v.asText(), max).ifPresent(out::add);
    }

    void record(Tenant tenant, JsonNode body) {
        String apiCall = body.path("api_call").asText();
        String tag = KNOWN_CALLS.contains(apiCall) ? apiCall : "other";
        String interviewId = body.path("partner_interview_id").isValueNode() ? body.path("partner_interview_id").asText() : null;
        jdbc.update("INSERT INTO response_errors (company_id, api_call, errors, partner_interview_id, body, received_at) "
                        + "VALUES (?, ?, ?, ?, ?, ?)", tenant.companyId(), apiCall, cap(body.path("errors").toString()),
                interviewId, cap(body.toString()), Tenants.now());
        Counter.builder("greenbridge.assessment.response_errors")
                .description("Greenhouse reports of malformed assessment-partner answers")
                .tag("api_call", tag)
                .register(meters).increment();
        // the errors text and the body may quote the candidate: they stay in the store, out of the log
        log.warn("Greenhouse reports a malformed {} answer (company {}, partner_interview_id {}, {} error(s))",
                tag, tenant.companyId(), interviewId == null ? "-" : interviewId.replaceAll("[^A-Za-z0-9._:@-]", "?"),
                body.path("errors").size());
    }

    /** At most {@link #MAX_STORED_BYTES} bytes of UTF-8, cut on a character boundary. */
    static String cap(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length <= MAX_STORED_BYTES) {
            return s;
        }
        String cut = new String(bytes, 0, MAX_STORED_BYTES, StandardCharsets.UTF_8);
        return cut.endsWith("\uFFFD") ? cut.substring(0, cut.length() - 1) : cut;
    }

    /** Deletes reports older than the retention (route assessment-response-error-prune, daily); returns how many. */
    public int prune() {
        int n = jdbc.update("DELETE FROM response_errors WHERE received_at < ?", Tenants.now().minus(retention));
        if (n > 0) {
            log.info("Deleted {} response_error report(s) older than {}", n, retention);
        }
        return n;
    }

    public int count() {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM response_errors", Integer.class);
        return n == null ? 0 : n;
    }

    public OffsetDateTime lastReceivedAt() {
        return jdbc.queryForObject("SELECT MAX(received_at) FROM response_errors", OffsetDateTime.class);
    }
}
