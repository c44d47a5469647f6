package io.greenbridge.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A stateful Greenhouse on loopback: the OAuth token endpoint, Harvest v3 list and write endpoints (cursor
 * pagination, filters, validation, a fixed-window rate limit with the X-RateLimit headers), attachment files
 * at {@code /files/{id}}, and the assessment PATCH callback. Tests seed it through {@link #store()} and inject
 * faults with {@link #failNext}, {@link #rateLimitNext}, {@link #failCallbacks} and {@link #expireTokens()}.
 */
public class GreenhouseSimulator implements AutoCloseable {
    /** One request as the simulator saw it. */
    public record Request(String method, String path, String query, int status, Instant at) {
    }

    /** One assessment "Mark Test as Completed" PATCH. */
    public record Callback(String testId, String authorization, String body, int status, Instant at) {
    }

    private record Fault(String pathPrefix, int status, String body, AtomicInteger left) {
    }

    private record IssuedToken(String sub, Instant expiresAt) {
    }

    private final String clientId;
    private final String clientSecret;
    private final GreenhouseStore store = new GreenhouseStore();
    private final HarvestV3Handler v3;
    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4);
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final AtomicInteger tokenRequests = new AtomicInteger();
    private final List<Request> log = new CopyOnWriteArrayList<>();
    private final List<Fault> faults = new CopyOnWriteArrayList<>();
    private final List<Callback> callbacks = new CopyOnWriteArrayList<>();
    private final AtomicInteger callbackFailures = new AtomicInteger();
    private volatile int callbackFailureStatus = 500;
    private volatile Duration tokenLifetime = Duration.ofHours(1);
    private volatile boolean siteAdmin = true;
    private final Map<String, String> forcedLinks = new ConcurrentHashMap<>();

    // fixed-window rate limit shared by every /v3 call
    private int limit = 50;
    private Duration window = Duration.ofSeconds(10);
    private long windowStart;
    private int used;
    private long blockedUntil;
    private int forced429;
    private int forcedRetryAfter;

    public GreenhouseSimulator() {
        this("gh-client", "gh-secret");
    }

    public GreenhouseSimulator(String clientId, String clientSecret) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        store.filesBaseUrl(baseUrl());
        v3 = new HarvestV3Handler(store, baseUrl());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public GreenhouseStore store() {
        return store;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- test controls ------------------------------------------------------------------------------------

    public void tokenLifetime(Duration lifetime) {
        this.tokenLifetime = lifetime;
    }

    /** Every issued token stops working now (the next Harvest call gets 401). */
    public void expireTokens() {
        tokens.replaceAll((k, t) -> new IssuedToken(t.sub(), Instant.EPOCH));
    }

    /**
     * false: the token's {@code sub} acts as a user who is not a Site Admin, so every list answers an empty
     * array without an error (as Harvest v3 does); writes still work.
     */
    public void siteAdmin(boolean admin) {
        this.siteAdmin = admin;
    }

    /** Lists whose path starts with {@code pathPrefix} answer {@code Link: <url>; rel="next"} (null: stop). */
    public void forceNextLink(String pathPrefix, String url) {
        if (url == null) {
            forcedLinks.remove(pathPrefix);
        } else {
            forcedLinks.put(pathPrefix, url);
        }
    }

    public int tokenRequests() {
        return tokenRequests.get();
    }

    /** The next {@code times} requests whose path starts with {@code pathPrefix} answer {@code status}. */
    public void failNext(String pathPrefix, int status, int times) {
        failNext(pathPrefix, status, times, "{\"message\":\"Injected failure\"}");
    }

    /** As {@link #failNext(String, int, int)}, answering this JSON body. */
    public void failNext(String pathPrefix, int status, int times, String body) {
        faults.add(new Fault(pathPrefix, status, body, new AtomicInteger(times)));
    }

    /** The next {@code times} /v3 calls get 429 with this Retry-After, and calls before it passes get 429 too. */
    public synchronized void rateLimitNext(int times, int retryAfterSeconds) {
        forced429 = times;
        forcedRetryAfter = retryAfterSeconds;
    }

    public synchronized void setRateLimit(int limit, Duration window) {
        this.limit = limit;
        this.window = window;
        this.windowStart = 0;
        this.used = 0;
    }

    /** The next {@code times} assessment callbacks answer {@code status} (still recorded). */
    public void failCallbacks(int times, int status) {
        callbackFailureStatus = status;
        callbackFailures.set(times);
    }

    public List<Callback> callbacks() {
        return List.copyOf(callbacks);
    }

    public List<Request> requests() {
        return List.copyOf(log);
    }

    public long requestCount(String pathPrefix) {
        return log.stream().filter(r -> r.path().startsWith(pathPrefix)).count();
    }

    public long countStatus(int status) {
        return log.stream().filter(r -> r.status() == status).count();
    }

    public void clearRequests() {
        log.clear();
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        try {
            route(ex, path, query);
        } catch (RuntimeException e) {
            send(ex, 500, "{\"message\":\"simulator error: " + e.getClass().getSimpleName() + "\"}");
        }
        ex.close();
    }

    private int route(HttpExchange ex, String path, String query) throws IOException {
        byte[] body = readBody(ex.getRequestBody());
        if (path.equals("/token")) {
            Fault f = fault(path);
            return f != null ? send(ex, f.status(), f.body()) : tokenEndpoint(ex, body);
        }
        if (path.startsWith("/files/")) {
            Fault f = fault(path);
            if (f != null) return send(ex, f.status(), f.body());
            byte[] file = store.file(parseId(path.substring("/files/".length())));
            if (file == null) return send(ex, 404, "{\"message\":\"Resource not found\"}");
            return respond(ex, 200, "application/octet-stream", file);
        }
        if (path.startsWith("/integrations/testing_partners/take_home_tests/")) {
            return callback(ex, path, body);
        }
        if (!path.startsWith("/v3/")) {
            return send(ex, 404, "{\"message\":\"Not found\"}");
        }
        String sub = authorise(ex);
        if (sub == null) {
            rateHeaders(ex, false);
            return send(ex, 401, "{\"message\":\"Unauthorized\"}");
        }
        Integer retryAfter = rateHeaders(ex, true);
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", String.valueOf(retryAfter));
            return send(ex, 429, "{\"message\":\"Too Many Requests\"}");
        }
        Fault f = fault(path);
        if (f != null) {
            return send(ex, f.status(), f.body());
        }
        boolean list = "GET".equals(ex.getRequestMethod()) && path.indexOf('/', "/v3/".length()) < 0;
        if (list && !siteAdmin) {
            return send(ex, 200, "[]"); // Harvest: lists need a Site Admin, others get nothing, no error
        }
        HarvestV3Handler.Response r = v3.handle(ex.getRequestMethod(), path.substring("/v3/".length()), query, body, Long.parseLong(sub));
        String link = r.link();
        for (Map.Entry<String, String> forced : forcedLinks.entrySet()) {
            if (list && path.startsWith(forced.getKey())) {
                link = forced.getValue();
            }
        }
        if (link != null) {
            ex.getResponseHeaders().set("Link", "<" + link + ">; rel=\"next\"");
        }
        return send(ex, r.status(), r.body());
    }

    private Fault fault(String path) {
        for (Fault f : faults) {
            if (path.startsWith(f.pathPrefix()) && f.left().getAndDecrement() > 0) {
                return f;
            }
        }
        return null;
    }

    private int tokenEndpoint(HttpExchange ex, byte[] body) throws IOException {
        tokenRequests.incrementAndGet();
        if (!"POST".equals(ex.getRequestMethod())) {
            return send(ex, 405, "{\"error\":\"method_not_allowed\"}");
        }
        String expected = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        if (!expected.equals(ex.getRequestHeaders().getFirst("Authorization"))) {
            return send(ex, 401, "{\"error\":\"invalid_client\"}");
        }
        Map<String, String> form = parseQuery(new String(body, StandardCharsets.UTF_8));
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return send(ex, 400, "{\"error\":\"unsupported_grant_type\"}");
        }
        String sub = form.getOrDefault("sub", "1");
        if (!sub.matches("\\d+")) {
            return send(ex, 400, "{\"error\":\"invalid_request\",\"error_description\":\"sub must be a user id\"}");
        }
        ensureUser(Long.parseLong(sub));
        String token = UUID.randomUUID().toString().replace("-", "");
        Instant expiresAt = Instant.now().plus(tokenLifetime);
        tokens.put(token, new IssuedToken(sub, expiresAt));
        ObjectNode out = GreenhouseStore.obj().put("access_token", token).put("token_type", "Bearer")
                .put("expires_at", expiresAt.toString()).put("scope", "harvest:*");
        return send(ex, 200, out.toString());
    }

    /** A real tenant always has the token's {@code sub} among its users; so does this one. */
    private synchronized void ensureUser(long sub) {
        if (store.find("users", sub).isEmpty()) {
            ObjectNode u = GreenhouseStore.obj().put("id", sub).put("first_name", "API").put("last_name", "User " + sub)
                    .put("name", "API User " + sub).put("primary_email", "api-user-" + sub + "@greenhouse.invalid")
                    .put("deactivated", false).put("site_admin", true);
            u.putArray("emails").add("api-user-" + sub + "@greenhouse.invalid");
            store.insert("users", u);
        }
    }

    /** The token's {@code sub}, or null when the bearer token is missing, unknown or expired. */
    private String authorise(HttpExchange ex) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.startsWith("Bearer ")) {
            return null;
        }
        IssuedToken t = tokens.get(auth.substring("Bearer ".length()).trim());
        return t == null || !Instant.now().isBefore(t.expiresAt()) ? null : t.sub();
    }

    /**
     * Sets X-RateLimit-* and, when {@code count}, charges this call to the window.
     * @return the Retry-After seconds when the call is over the limit
     */
    private synchronized Integer rateHeaders(HttpExchange ex, boolean count) {
        long now = System.currentTimeMillis();
        if (windowStart == 0 || now >= windowStart + window.toMillis()) {
            windowStart = now;
            used = 0;
        }
        Integer retryAfter = null;
        if (count) {
            if (forced429 > 0) {
                forced429--;
                blockedUntil = Math.max(blockedUntil, now + forcedRetryAfter * 1000L);
                retryAfter = forcedRetryAfter;
            } else if (now < blockedUntil) {
                retryAfter = (int) Math.max(1, (blockedUntil - now + 999) / 1000);
            } else if (used >= limit) {
                retryAfter = (int) Math.max(1, (windowStart + window.toMillis() - now + 999) / 1000);
            } else {
                used++;
            }
        }
        long resetEpoch = (windowStart + window.toMillis() + 999) / 1000;
        ex.getResponseHeaders().set("X-RateLimit-Limit", String.valueOf(limit));
        ex.getResponseHeaders().set("X-RateLimit-Remaining", String.valueOf(retryAfter != null ? 0 : Math.max(0, limit - used)));
        ex.getResponseHeaders().set("X-RateLimit-Reset", String.valueOf(resetEpoch));
        return retryAfter;
    }

    private int callback(HttpExchange ex, String path, byte[] body) throws IOException {
        if (!"PATCH".equals(ex.getRequestMethod())) {
            return send(ex, 405, "");
        }
        String id = path.substring("/integrations/testing_partners/take_home_tests/".length());
        int status = callbackFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0 ? callbackFailureStatus : 200;
        callbacks.add(new Callback(id, ex.getRequestHeaders().getFirst("Authorization"),
                new String(body, StandardCharsets.UTF_8), status, Instant.now()));
        return respond(ex, status, null, new byte[0]); // the documented answer is a bare status code
    }

    private int send(HttpExchange ex, int status, String json) throws IOException {
        return respond(ex, status, "application/json; charset=utf-8", json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8));
    }

    /** Logs the request before answering, so a test reading the log after its call sees the entry. */
    private int respond(HttpExchange ex, int status, String contentType, byte[] bytes) throws IOException {
        log.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(), status, Instant.now()));
        if (contentType != null && bytes.length > 0) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
        return status;
    }

    private static byte[] readBody(InputStream in) throws IOException {
        return in.readAllBytes();
    }

    static long parseId(String s) {
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Decoded query or form parameters, in order; repeated keys keep the last value. */
    static Map<String, String> parseQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return Collections.emptyMap();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            if (pair.isEmpty()) continue;
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(k, v);
        }
        return out;
    }

    static List<String> list(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
