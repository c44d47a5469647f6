package io.greenbridge.assessment;

import java.time.OffsetDateTime;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Greenhouse's reports of malformed answers: stored, counted ({@code greenbridge.assessment.response_errors}) and
 * logged at WARN, without the candidate's email.
 */
@Component
public class ResponseErrors {
    private static final Logger log = LoggerFactory.getLogger(ResponseErrors.class);

    private final JdbcTemplate jdbc;
    private final MeterRegistry meters;

    public ResponseErrors(JdbcTemplate jdbc, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.meters = meters;
    }

    void record(Tenant tenant, JsonNode body) {
        String apiCall = limit(body.path("api_call").asText(null), 40);
        String errors = body.path("errors").toString();
        String interviewId = limit(body.path("partner_interview_id").asText(null), 64);
        jdbc.update("INSERT INTO response_errors (company_id, api_call, errors, partner_interview_id, body, received_at) "
                + "VALUES (?, ?, ?, ?, ?, ?)", tenant.companyId(), apiCall, errors, interviewId, body.toString(), Tenants.now());
        Counter.builder("greenbridge.assessment.response_errors")
                .description("Greenhouse reports of malformed assessment-partner answers")
                .tag("api_call", apiCall == null ? "unknown" : apiCall)
                .register(meters).increment();
        log.warn("Greenhouse reports a malformed {} answer (company {}, partner_interview_id {}): {}",
                apiCall, tenant.companyId(), interviewId, errors);
    }

    private static String limit(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    public int count() {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM response_errors", Integer.class);
        return n == null ? 0 : n;
    }

    public OffsetDateTime lastReceivedAt() {
        return jdbc.queryForObject("SELECT MAX(received_at) FROM response_errors", OffsetDateTime.class);
    }
}
