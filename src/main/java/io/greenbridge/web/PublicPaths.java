package io.greenbridge.web;

import java.util.List;

import org.springframework.http.HttpMethod;

/**
 * The only requests served without a credential: they check their own HMAC (webhook, results), carry a token of
 * their own (the candidate link) or are probes. Everything else needs the admin token or a company key.
 */
public final class PublicPaths {
    /** One public endpoint: method (null: any) and an Ant-style path. */
    public record Entry(HttpMethod method, String pattern, String why) {
    }

    public static final List<Entry> ENTRIES = List.of(
            new Entry(HttpMethod.POST, "/webhooks/greenhouse", "Greenhouse webhooks, HMAC-signed"),
            new Entry(HttpMethod.POST, "/api/assessment/results", "assessment platform results, HMAC-signed"),
            new Entry(HttpMethod.GET, "/a/**", "the candidate's link (its token is the credential)"),
            new Entry(HttpMethod.POST, "/a/**", "the candidate's link (its token is the credential)"),
            new Entry(HttpMethod.GET, "/actuator/health/liveness", "probe"),
            new Entry(HttpMethod.GET, "/actuator/health/readiness", "probe"),
            new Entry(HttpMethod.GET, "/actuator/health", "status only; details need the admin token"));

    /** Paths whose callers use the company API key (HTTP Basic, key as username) instead of the admin token. */
    public static final List<String> COMPANY_KEY = List.of("/assessment/**", "/api/employer/**");

    private PublicPaths() {
    }
}
