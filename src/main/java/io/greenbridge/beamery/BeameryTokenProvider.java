package io.greenbridge.beamery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.BoundedBody;
import io.greenbridge.support.RemoteCallException;

/**
 * Beamery's access token, by {@code greenbridge.beamery.auth}: client-credentials ({@code POST /oauth/token} with
 * camelCase {@code clientId}/{@code clientSecret}, the default) or api-user ({@code GET /auth} with Basic
 * {@code username:password}; the reply's {@code access_token} or {@code token} is used).
 * The token is cached and renewed 60 s before {@code expires_in}; concurrent callers wait for one request.
 */
@Component
public class BeameryTokenProvider {
    private static final Logger log = LoggerFactory.getLogger(BeameryTokenProvider.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration RENEW_BEFORE_EXPIRY = Duration.ofSeconds(60);
    private static final String REQUEST = "POST /oauth/token";
    private static final String API_USER_REQUEST = "GET /auth";
    private static final long MAX_TOKEN_REPLY_BYTES = 1L << 20;

    private final GreenbridgeProperties.Beamery config;
    private final HttpClient http;
    private final Clock clock;
    private String token;
    private Instant renewAt = Instant.MIN;

    @Autowired
    public BeameryTokenProvider(GreenbridgeProperties properties) {
        this(properties.beamery(), Clock.systemUTC());
    }

    public BeameryTokenProvider(GreenbridgeProperties.Beamery config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder().connectTimeout(config.requestTimeout()).build();
    }

    /** The current access token, fetched when none is cached or the cached one is about to expire. */
    public synchronized String token() {
        if (token == null || !clock.instant().isBefore(renewAt)) {
            fetch();
        }
        return token;
    }

    /** Beamery refused {@code staleToken} (401): forget it, unless another caller already renewed it. */
    public synchronized void invalidate(String staleToken) {
        if (staleToken != null && staleToken.equals(token)) {
            token = null;
        }
    }

    private void fetch() {
        boolean apiUser = config.auth() == GreenbridgeProperties.Beamery.Auth.API_USER;
        String what = apiUser ? API_USER_REQUEST : REQUEST;
        HttpRequest request = apiUser ? apiUserRequest() : clientCredentialsRequest();
        HttpResponse<byte[]> response;
        try {
            log.debug("Beamery {}", what);
            response = BoundedBody.send(http, request, MAX_TOKEN_REPLY_BYTES, config.requestTimeout());
        } catch (BoundedBody.TooLargeException e) {
            throw new RemoteCallException("beamery", what, 0, e.getMessage(), false);
        } catch (IOException e) {
            throw new RemoteCallException("beamery", what, 0, e.toString(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("beamery", what, 0, "interrupted", true);
        }
        int status = response.statusCode();
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (status != 200) {
            boolean retryable = status == 429 || status >= 500;
            throw new RemoteCallException("beamery", what, status, text, retryable);
        }
        JsonNode json = readJson(text, what);
        // the API-user reply's field is not publicly documented: one public client reads `token`
        String accessToken = json.path("access_token").asText("");
        if (accessToken.isEmpty()) {
            accessToken = json.path("token").asText("");
        }
        if (accessToken.isEmpty()) {
            throw new RemoteCallException("beamery", what, status, "token response without access_token or token", false);
        }
        long expiresIn = json.path("expires_in").asLong(3600);
        token = accessToken;
        // short-lived tokens are renewed halfway instead of on every call
        renewAt = clock.instant().plusSeconds(Math.max(expiresIn - RENEW_BEFORE_EXPIRY.toSeconds(), expiresIn / 2));
    }

    private HttpRequest clientCredentialsRequest() {
        ObjectNode body = JSON.createObjectNode()
                .put("clientId", config.clientId())
                .put("clientSecret", config.clientSecret());
        return HttpRequest.newBuilder(URI.create(BeameryClient.trimSlash(config.apiUrl()) + "/oauth/token"))
                .timeout(config.requestTimeout())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build();
    }

    /** Beamery's API-user credentials (public swagger): {@code GET /auth} with Basic username:password. */
    private HttpRequest apiUserRequest() {
        String basic = Base64.getEncoder().encodeToString(
                (nullToEmpty(config.username()) + ":" + nullToEmpty(config.password())).getBytes(StandardCharsets.UTF_8));
        return HttpRequest.newBuilder(URI.create(BeameryClient.trimSlash(config.apiUrl()) + "/auth"))
                .timeout(config.requestTimeout())
                .header("Authorization", "Basic " + basic)
                .header("Accept", "application/json")
                .GET()
                .build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    private static JsonNode readJson(String body, String what) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new RemoteCallException("beamery", what, 200, "token response is not JSON", false);
        }
    }
}
