package io.greenbridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Calls Greenbridge as Greenhouse calls an assessment partner (Basic auth, the key as username, empty password),
 * plus the admin calls that create tenants and keys. {@code key} may be null for unauthenticated calls.
 */
public class AssessmentCaller {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    private final String baseUrl;
    private final String key;

    /** An answer: status, raw body and the body as JSON (null when it is not JSON). */
    public record Answer(int status, String body, JsonNode json, HttpResponse<String> response) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    public AssessmentCaller(String baseUrl, String key) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.key = key;
    }

    public AssessmentCaller withKey(String otherKey) {
        return new AssessmentCaller(baseUrl, otherKey);
    }

    public Answer listTests() {
        return send(basic(request("/assessment/list_tests").GET()));
    }

    public Answer sendTest(String json) {
        return send(basic(request("/assessment/send_test").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    public Answer testStatus(String partnerInterviewId) {
        return send(basic(request("/assessment/test_status?partner_interview_id="
                + URLEncoder.encode(partnerInterviewId, StandardCharsets.UTF_8)).GET()));
    }

    public Answer responseError(String json) {
        return send(basic(request("/assessment/response_error").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json))));
    }

    /** Any GET with this caller's key (employer API). */
    public Answer get(String path) {
        return send(basic(request(path).GET()));
    }

    public Answer post(String path) {
        return send(basic(request(path).POST(HttpRequest.BodyPublishers.noBody())));
    }

    /** A GET without credentials, as a candidate's browser does it (Accept: text/html; redirects are not followed). */
    public Answer open(String pathOrUrl) {
        return send(HttpRequest.newBuilder(url(pathOrUrl)).header("Accept", "text/html,application/xhtml+xml,*/*;q=0.8").GET());
    }

    /** A GET without credentials and without Accept, as a mail scanner or a script does it. */
    public Answer fetch(String pathOrUrl) {
        return send(HttpRequest.newBuilder(url(pathOrUrl)).GET());
    }

    /** The candidate presses "Start" on the link's page: the form's POST (redirects are not followed). */
    public Answer start(String token) {
        return send(HttpRequest.newBuilder(url("/a/" + token + "/start")).header("Accept", "text/html,*/*;q=0.8")
                .header("Content-Type", "application/x-www-form-urlencoded").POST(HttpRequest.BodyPublishers.noBody()));
    }

    /** The candidate opens the link and presses Start; returns the platform URL the answer leads to. */
    public String openAndStart(String token) {
        open("/a/" + token);
        return start(token).header("Location");
    }

    private URI url(String pathOrUrl) {
        return URI.create(pathOrUrl.startsWith("http") ? pathOrUrl : baseUrl + pathOrUrl);
    }

    /** Admin: creates a company offering {@code testsJson} (a JSON array of {id, name}); returns its id. */
    public static String createCompany(String baseUrl, String adminToken, String name, String testsJson) {
        return admin(baseUrl, adminToken, "/api/companies",
                "{\"name\":" + quote(name) + ",\"tests\":" + testsJson + "}").json().path("id").asText();
    }

    /** Admin: a user of the company and a fresh key for it; returns {@code {userId, keyId, key}}. */
    public static Key issueKey(String baseUrl, String adminToken, String companyId, String email) {
        String userId = admin(baseUrl, adminToken, "/api/companies/" + companyId + "/users",
                "{\"email\":" + quote(email) + ",\"name\":\"Recruiter\"}").json().path("id").asText();
        JsonNode key = admin(baseUrl, adminToken, "/api/users/" + userId + "/api-keys", "").json();
        return new Key(userId, key.path("id").asText(), key.path("key").asText());
    }

    /** A user's API key as the admin API returned it (the only time it is shown). */
    public record Key(String userId, String keyId, String key) {
    }

    public static Answer admin(String baseUrl, String adminToken, String path, String json) {
        AssessmentCaller c = new AssessmentCaller(baseUrl, null);
        return c.send(c.request(path).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static Answer adminPut(String baseUrl, String adminToken, String path, String json) {
        AssessmentCaller c = new AssessmentCaller(baseUrl, null);
        return c.send(c.request(path).header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static Answer adminDelete(String baseUrl, String adminToken, String path) {
        AssessmentCaller c = new AssessmentCaller(baseUrl, null);
        return c.send(c.request(path).header("Authorization", "Bearer " + adminToken).DELETE());
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path));
    }

    private HttpRequest.Builder basic(HttpRequest.Builder request) {
        if (key != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((key + ":").getBytes(StandardCharsets.UTF_8)));
        }
        return request;
    }

    private Answer send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            JsonNode json;
            try {
                json = r.body().isBlank() ? null : JSON.readTree(r.body());
            } catch (IOException notJson) {
                json = null;
            }
            return new Answer(r.statusCode(), r.body(), json, r);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
