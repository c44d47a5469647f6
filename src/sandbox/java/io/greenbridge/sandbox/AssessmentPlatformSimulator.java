package io.greenbridge.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.greenbridge.support.Sha256Signature;
import io.greenbridge.assessment.Secrets;
import io.greenbridge.support.Hashes;

/**
 * A stand-in for the assessment platform (Plum-like). Serves the page a candidate's link redirects to
 * ({@code GET /take?token=}) and posts signed results to Greenbridge's {@code /api/assessment/results}: when the
 * candidate submits ({@code POST /take/complete?token=}), when a test calls {@link #complete}, or by itself a short
 * while after the visit in demo mode ({@link #autoCompleteAfter}).
 */
public class AssessmentPlatformSimulator implements AutoCloseable {
    /** Plum's ten Talents; the tenth name is not public ("Planning" is a placeholder). */
    public static final List<String> TALENTS = List.of("Adaptation", "Communication", "Conflict Resolution",
            "Decision Making", "Embracing Diversity", "Innovation", "Managing Others", "Persuasion", "Teamwork", "Planning");
    /** The role's Match Criteria: the match score is the mean of the candidate's percentiles on these. */
    public static final List<String> MATCH_CRITERIA = List.of("Communication", "Teamwork", "Adaptation",
            "Decision Making", "Innovation");

    /** One request the simulator served. */
    public record Request(String method, String path, String query, int status) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final String secret;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "platform-simulator");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, Instant> visits = new ConcurrentHashMap<>();
    private volatile String greenbridgeBaseUrl;
    private volatile Duration autoComplete;

    public AssessmentPlatformSimulator(String resultsSecret) throws IOException {
        this.secret = resultsSecret;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "platform-simulator-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The value of ASSESSMENT_PLATFORM_URL that leads candidates here. */
    public String takeUrlTemplate() {
        return baseUrl() + "/take?token={token}";
    }

    /** Where results are posted; known only once Greenbridge has its port. */
    public AssessmentPlatformSimulator greenbridge(String baseUrl) {
        this.greenbridgeBaseUrl = baseUrl.replaceAll("/+$", "");
        return this;
    }

    /** Demo mode: a candidate who opens the test "finishes" it after {@code delay}; null switches it off. */
    public AssessmentPlatformSimulator autoCompleteAfter(Duration delay) {
        this.autoComplete = delay;
        return this;
    }

    /** Tokens of candidates who reached the platform, in no particular order. */
    public List<String> visitedTokens() {
        return List.copyOf(visits.keySet());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    /** Posts this token's (deterministic) results, signed; returns Greenbridge's HTTP status. */
    public int complete(String token) {
        return post(resultsJson(token), "sha256 " + sign(secret, resultsJson(token))).statusCode();
    }

    /** Plum-like results for a token: ten Talent percentiles, the match score, a profile link and the times. */
    public String resultsJson(String token) {
        Random random = new Random(token.hashCode());
        Map<String, Object> traits = new LinkedHashMap<>();
        for (String talent : TALENTS) {
            traits.put(talent, 20 + random.nextInt(80));
        }
        double score = Math.round(MATCH_CRITERIA.stream().mapToInt(t -> (Integer) traits.get(t)).average().orElse(0) * 10) / 10.0;
        Instant started = visits.getOrDefault(token, Instant.now().minus(25, ChronoUnit.MINUTES)).truncatedTo(ChronoUnit.SECONDS);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", token);
        body.put("score", score);
        body.put("profileUrl", baseUrl() + "/profiles/" + Hashes.sha256Hex(token).substring(0, 16));
        body.put("traits", traits);
        body.put("startedAt", started.toString());
        body.put("completedAt", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString());
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Posts raw bytes (e.g. not UTF-8) with any X-Signature header (null: none). */
    public HttpResponse<String> postBytes(byte[] body, String signature) {
        if (greenbridgeBaseUrl == null) {
            throw new IllegalStateException("call greenbridge(baseUrl) first");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(greenbridgeBaseUrl + "/api/assessment/results"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("X-Signature", signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The full {@code X-Signature} value for raw bytes. */
    public static String signature(String secret, byte[] body) {
        return Sha256Signature.sign(body, secret);
    }

    /** Posts any body with any X-Signature header (null: none), to test signature checks. */
    public HttpResponse<String> post(String body, String signature) {
        return postBytes(body.getBytes(StandardCharsets.UTF_8), signature);
    }

    /** {@code X-Signature} value's hex part: HMAC-SHA256 of the body with the results secret. */
    public static String sign(String secret, String body) {
        return Sha256Signature.sign(body.getBytes(StandardCharsets.UTF_8), secret).substring("sha256 ".length());
    }

    @Override
    public void close() {
        timer.shutdownNow();
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        String query = ex.getRequestURI().getRawQuery();
        String given = param(query, "token");
        // only ever echoed into the page when it looks like a token
        String token = given != null && given.matches("[A-Za-z0-9_-]{1,100}") ? given : null;
        int status;
        String page;
        if ("GET".equals(ex.getRequestMethod()) && path.equals("/take") && token != null) {
            visits.putIfAbsent(token, Instant.now());
            Duration delay = autoComplete;
            if (delay != null) {
                timer.schedule(() -> complete(token), delay.toMillis(), TimeUnit.MILLISECONDS);
            }
            status = 200;
            page = "<h1>Plum Discovery Survey (simulated)</h1><form method=\"post\" action=\"/take/complete?token="
                    + token + "\"><button>Submit my answers</button></form>";
        } else if ("POST".equals(ex.getRequestMethod()) && path.equals("/take/complete") && token != null) {
            int answer = complete(token);
            status = answer == 200 ? 200 : 502;
            page = answer == 200 ? "<h1>Thank you!</h1><p>Your results were sent.</p>" : "<h1>Greenbridge answered " + answer + "</h1>";
        } else if ("GET".equals(ex.getRequestMethod()) && path.startsWith("/profiles/")) {
            status = 200;
            page = "<h1>Candidate profile " + path.substring("/profiles/".length()) + " (simulated)</h1>";
        } else {
            status = 404;
            page = "<h1>Not found</h1>";
        }
        requests.add(new Request(ex.getRequestMethod(), path, query, status));
        byte[] bytes = page.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String param(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
