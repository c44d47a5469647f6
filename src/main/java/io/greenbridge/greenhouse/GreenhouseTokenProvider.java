package io.greenbridge.greenhouse;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.Backoff;
import io.greenbridge.support.BoundedBody;
import io.greenbridge.support.RemoteCallException;

/**
 * Harvest v3 OAuth client-credentials token ({@code POST {authUrl}/token}, Basic client_id:client_secret,
 * {@code grant_type=client_credentials&sub=<userId>}). The token is cached and renewed shortly before it
 * expires; concurrent callers share one token request.
 */
@Component
public class GreenhouseTokenProvider {
    private static final Logger log = LoggerFactory.getLogger(GreenhouseTokenProvider.class);
    private static final Duration MAX_RENEW_MARGIN = Duration.ofSeconds(60);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long MAX_TOKEN_REPLY_BYTES = 1L << 20;

    private final GreenbridgeProperties.Greenhouse config;
    private final HttpClient http;
    private final Clock clock;
    private final ReentrantLock renewing = new ReentrantLock();
    private volatile Token current;

    @Autowired
    public GreenhouseTokenProvider(GreenbridgeProperties properties) {
        this(properties.greenhouse(), Clock.systemUTC());
    }

    public GreenhouseTokenProvider(GreenbridgeProperties.Greenhouse config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.requestTimeout())
                .build();
    }

    /** A valid access token, from the cache or freshly requested. */
    public String token() {
        Token t = current;
        if (t != null && t.fresh(clock.instant())) {
            return t.value();
        }
        renewing.lock();
        try {
            t = current; // another caller may have renewed it while this one waited
            if (t == null || !t.fresh(clock.instant())) {
                t = request();
                current = t;
            }
            return t.value();
        } finally {
            renewing.unlock();
        }
    }

    /** Drops the cached token after a 401, unless a newer one has already replaced it. */
    public void invalidate(String rejected) {
        renewing.lock();
        try {
            if (current != null && current.value().equals(rejected)) {
                current = null;
            }
        } finally {
            renewing.unlock();
        }
    }

    /** Drops whatever token is cached. */
    public void invalidate() {
        current = null;
    }

    private Token request() {
        String form = "grant_type=client_credentials"
                + (blank(config.userId()) ? "" : "&sub=" + URLEncoder.encode(config.userId(), StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString(
                (config.clientId() + ":" + config.clientSecret()).getBytes(StandardCharsets.UTF_8));
        URI uri = URI.create(trimSlash(config.authUrl()) + "/token");
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(config.requestTimeout())
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        for (int attempt = 0; ; attempt++) {
            log.debug("POST {}", uri.getPath());
            try {
                HttpResponse<byte[]> response = BoundedBody.send(http, request, MAX_TOKEN_REPLY_BYTES, config.requestTimeout());
                String text = new String(response.body(), StandardCharsets.UTF_8);
                int status = response.statusCode();
                if (status == 200 || status == 201) {
                    return parse(text);
                }
                boolean retryable = status == 429 || status >= 500;
                if (!retryable || attempt >= config.maxRetries()) {
                    throw new RemoteCallException("greenhouse", "POST /token", status, text, retryable);
                }
            } catch (BoundedBody.TooLargeException e) {
                throw new RemoteCallException("greenhouse", "POST /token", 0, e.getMessage(), false);
            } catch (IOException e) {
                if (attempt >= config.maxRetries()) {
                    throw new RemoteCallException("greenhouse", "POST /token", 0, e.toString(), true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new RemoteCallException("greenhouse", "POST /token", 0, "interrupted", true);
            }
            Backoff.pause(HarvestClient.backoff(config.retryBackoff(), attempt));
        }
    }

    private Token parse(String body) {
        try {
            JsonNode json = JSON.readTree(body);
            String value = json.path("access_token").asText("");
            if (value.isEmpty()) {
                throw new RemoteCallException("greenhouse", "POST /token", 200, "response has no access_token", false);
            }
            Instant now = clock.instant();
            Instant expiresAt;
            if (json.hasNonNull("expires_at")) {
                expiresAt = Instant.parse(json.get("expires_at").asText());
            } else if (json.hasNonNull("expires_in")) {
                expiresAt = now.plusSeconds(json.get("expires_in").asLong());
            } else {
                expiresAt = now.plus(Duration.ofHours(1)); // documented partner-token lifetime
            }
            // renew ~60 s early, but never so early that a short-lived token is renewed on every call
            Duration lifetime = Duration.between(now, expiresAt);
            Duration margin = lifetime.dividedBy(4).compareTo(MAX_RENEW_MARGIN) < 0 ? lifetime.dividedBy(4) : MAX_RENEW_MARGIN;
            return new Token(value, expiresAt.minus(margin));
        } catch (IOException | RuntimeException e) {
            if (e instanceof RemoteCallException r) {
                throw r;
            }
            throw new RemoteCallException("greenhouse", "POST /token", 200, "unreadable token response", false);
        }
    }

    static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private record Token(String value, Instant renewAt) {
        boolean fresh(Instant now) {
            return now.isBefore(renewAt);
        }
    }
}
