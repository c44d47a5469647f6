package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import io.greenbridge.support.Sha256Signature;
import io.greenbridge.support.RemoteCallException;

/** The durable webhook intake and the inbox worker, end to end over HTTP, with a recording stand-in flow. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"greenbridge.inbox.dispatch-uri=direct:recording-flow", "greenbridge.inbox.max-attempts=3"})
@ActiveProfiles("test")
class WebhookIntakeTest {
    static final String SECRET = "test-webhook-secret";
    static final List<String> PROCESSED = new CopyOnWriteArrayList<>();
    /** entity id → how the stand-in flow should fail: "retry:N" fails N times retryably, "fatal" always. */
    static final Map<String, String> FAILURES = new ConcurrentHashMap<>();
    static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();

    @TestConfiguration
    static class RecordingFlow {
        @Bean
        RouteBuilder recordingFlowRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:recording-flow").routeId("recording-flow").process(e -> {
                        String entity = e.getMessage().getHeader("GreenhouseEntityId", String.class);
                        int call = CALLS.computeIfAbsent(entity, k -> new AtomicInteger()).incrementAndGet();
                        String failure = FAILURES.getOrDefault(entity, "");
                        if (failure.equals("fatal")) {
                            throw new RemoteCallException("beamery", "PATCH /contact/x", 422, "{\"message\":\"bad email\"}", false);
                        }
                        if (failure.startsWith("retry:") && call <= Integer.parseInt(failure.substring(6))) {
                            throw new RemoteCallException("beamery", "PATCH /contact/x", 503, "unavailable", true);
                        }
                        PROCESSED.add(e.getMessage().getHeader("GreenhouseAction") + ":" + entity);
                    });
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void reset() {
        PROCESSED.clear();
        FAILURES.clear();
        CALLS.clear();
    }

    static String candidateUpdate(long candidateId, String firstName) {
        return "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + candidateId
                + ",\"first_name\":\"" + firstName + "\",\"last_name\":\"Doe\"}}}";
    }

    static String stageChange(long applicationId, long candidateId, String at) {
        return "{\"action\":\"candidate_stage_change\",\"payload\":{\"application\":{\"id\":" + applicationId
                + ",\"last_activity_at\":\"" + at + "\",\"candidate\":{\"id\":" + candidateId + "}}}}";
    }

    HttpResponse<String> post(String body, String signature, String eventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body.getBytes(StandardCharsets.UTF_8)));
        if (signature != null) {
            b.header("Signature", signature);
        }
        if (eventId != null) {
            b.header("Greenhouse-Event-ID", eventId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> signed(String body, String eventId) throws Exception {
        return post(body, Sha256Signature.sign(body.getBytes(StandardCharsets.UTF_8), SECRET), eventId);
    }

    String statusOf(String entity) {
        return jdbc.queryForObject("SELECT status FROM webhook_inbox WHERE entity_id = ?", String.class, entity);
    }

    @Test
    void signedEventIsStoredBeforeTheAnswerAndThenProcessed() throws Exception {
        HttpResponse<String> r = signed(candidateUpdate(1001, "Ada"), UUID.randomUUID().toString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE entity_id = '1001'", Integer.class))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROCESSED.contains("update_candidate:1001"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "done".equals(statusOf("1001")));
    }

    @Test
    void wrongOrMissingSignatureIsRefusedWith401AndNotStored() throws Exception {
        String body = candidateUpdate(1002, "Eve");
        HttpResponse<String> wrong = post(body, Sha256Signature.sign(body.getBytes(StandardCharsets.UTF_8), "other"), "e1");
        HttpResponse<String> missing = post(body, null, "e2");
        HttpResponse<String> malformedHeader = post(body, "sha256=abc", "e3");
        assertThat(List.of(wrong.statusCode(), missing.statusCode(), malformedHeader.statusCode()))
                .containsOnly(401);
        assertThat(wrong.body()).contains("\"error\":\"invalid_signature\"");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE entity_id = '1002'", Integer.class))
                .isZero();
    }

    @Test
    void malformedJsonIs400AndMissingActionIs400() throws Exception {
        HttpResponse<String> malformed = signed("{\"action\": \"update_candidate\", ", "m1");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(malformed.body()).contains("\"error\":\"malformed_json\"");
        HttpResponse<String> noAction = signed("{\"payload\":{}}", "m2");
        assertThat(noAction.statusCode()).isEqualTo(400);
        assertThat(noAction.body()).contains("\"error\":\"missing_field\"");
        HttpResponse<String> noEntity = signed("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{}}}", "m3");
        assertThat(noEntity.statusCode()).isEqualTo(400);
        assertThat(noEntity.body()).contains("missing_field");
    }

    @Test
    void oversizeBodyIs413() throws Exception {
        String big = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":1,\"notes\":\""
                + "x".repeat(1_048_600) + "\"}}}";
        HttpResponse<String> r = signed(big, "big");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(r.body()).contains("\"error\":\"payload_too_large\"");
    }

    @Test
    void unknownActionIsAcceptedAndStoredAsIgnored() throws Exception {
        HttpResponse<String> r = signed("{\"action\":\"ping\",\"payload\":{\"web_hook_id\":5}}", "ping-1");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("ignored");
        assertThat(jdbc.queryForObject("SELECT status FROM webhook_inbox WHERE event_id = 'ping-1'", String.class))
                .isEqualTo("ignored");
    }

    @Test
    void redeliveryBySameEventIdOrSameContentHasNoSecondEffect() throws Exception {
        String body = stageChange(501, 1003, "2026-11-20T10:00:00.123Z");
        assertThat(signed(body, "evt-1").statusCode()).isEqualTo(200);
        HttpResponse<String> sameId = signed(body, "evt-1");
        HttpResponse<String> newIdSameEvent = signed(body, "evt-2");
        assertThat(sameId.statusCode()).isEqualTo(200);
        assertThat(sameId.body()).contains("duplicate");
        assertThat(newIdSameEvent.statusCode()).isEqualTo(200);
        assertThat(newIdSameEvent.body()).contains("duplicate");
        await().atMost(Duration.ofSeconds(10)).until(() -> PROCESSED.contains("candidate_stage_change:501"));
        Thread.sleep(300);
        assertThat(PROCESSED).filteredOn(p -> p.endsWith(":501")).hasSize(1);
    }

    @Test
    void concurrentDuplicatesAreAllAnswered200AndStoredOnce() throws Exception {
        String body = stageChange(601, 1004, "2026-11-20T11:00:00Z");
        ExecutorService pool = Executors.newFixedThreadPool(10);
        List<Future<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            codes.add(pool.submit(() -> signed(body, "same-delivery").statusCode()));
        }
        for (Future<Integer> f : codes) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE entity_id = '601'", Integer.class))
                .isEqualTo(1);
    }

    @Test
    void newEventsSentAlongsideDuplicatesAreEachStoredOnceWithBothKeys() throws Exception {
        // concurrent deliveries share transactions (InboxStore's group commit): a duplicate in a group must not
        // cost the new events beside it their place, nor store a second row or key of its own
        ExecutorService pool = Executors.newFixedThreadPool(12);
        Map<Integer, List<Future<HttpResponse<String>>>> answers = new java.util.TreeMap<>();
        for (int copy = 0; copy < 3; copy++) {
            for (int n = 0; n < 20; n++) {
                int candidate = 70_000 + n;
                answers.computeIfAbsent(candidate, c -> new ArrayList<>()).add(pool.submit(() ->
                        signed(candidateUpdate(candidate, "Mixed"), "mixed-" + candidate)));
            }
        }
        for (var each : answers.entrySet()) {
            List<String> bodies = new ArrayList<>();
            for (Future<HttpResponse<String>> f : each.getValue()) {
                assertThat(f.get().statusCode()).isEqualTo(200);
                bodies.add(f.get().body());
            }
            assertThat(bodies).as("candidate %s", each.getKey()).containsExactlyInAnyOrder(
                    "{\"status\":\"accepted\"}", "{\"status\":\"duplicate\"}", "{\"status\":\"duplicate\"}");
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE event_id LIKE 'mixed-%'", Integer.class))
                .isEqualTo(20);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM CAMEL_MESSAGEPROCESSED WHERE messageId LIKE 'event:mixed-%'"
                + " OR messageId LIKE 'content:update_candidate:70___:%'", Integer.class)).isEqualTo(40);
    }

    @Test
    void eventsOfOneCandidateRunInOrderEvenWhenTheFirstIsRetried() throws Exception {
        FAILURES.put("701", "retry:2");
        signed(stageChange(701, 2000, "2026-11-20T12:00:00Z"), "o1");
        signed(stageChange(702, 2000, "2026-11-20T12:00:01Z"), "o2");
        signed(stageChange(703, 2000, "2026-11-20T12:00:02Z"), "o3");
        await().atMost(Duration.ofSeconds(15)).until(() -> PROCESSED.stream().filter(p -> p.contains(":70")).count() == 3);
        assertThat(PROCESSED).filteredOn(p -> p.contains(":70")).containsExactly(
                "candidate_stage_change:701", "candidate_stage_change:702", "candidate_stage_change:703");
        assertThat(CALLS.get("701").get()).isEqualTo(3);
    }

    @Test
    void nonRetryableFailureIsDeadLetteredWithItsReasonAndCanBeReplayed() throws Exception {
        FAILURES.put("801", "fatal");
        signed(stageChange(801, 3000, "2026-11-20T13:00:00Z"), "d1");
        await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(statusOf("801")));
        assertThat(CALLS.get("801").get()).isEqualTo(1);

        HttpResponse<String> list = admin("GET", "/api/dead-letters");
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).contains("\"source\":\"inbox\"", "HTTP 422", "bad email", "\"httpStatus\":422");
        Long id = jdbc.queryForObject("SELECT id FROM dead_letters WHERE ref = (SELECT CAST(id AS VARCHAR(20))"
                + " FROM webhook_inbox WHERE entity_id = '801')", Long.class);

        FAILURES.remove("801");
        HttpResponse<String> replay = admin("POST", "/api/dead-letters/" + id + "/replay");
        assertThat(replay.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(statusOf("801")));
        assertThat(PROCESSED).contains("candidate_stage_change:801");
        assertThat(admin("POST", "/api/dead-letters/" + id + "/replay").statusCode()).isEqualTo(409);
    }

    @Test
    void retryableFailureGivesUpAfterMaxAttemptsIntoTheDeadLetters() throws Exception {
        FAILURES.put("901", "retry:100");
        signed(stageChange(901, 4000, "2026-11-20T14:00:00Z"), "r1");
        await().atMost(Duration.ofSeconds(15)).until(() -> "dead".equals(statusOf("901")));
        assertThat(CALLS.get("901").get()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT reason FROM dead_letters WHERE summary LIKE '%901%'", String.class))
                .contains("gave up after 3 attempts", "HTTP 503");
    }

    @Test
    void adminApiNeedsTheBearerToken() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.body()).contains("\"error\":\"unauthorized\"");
        HttpResponse<String> ok = admin("GET", "/api/status");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"inbox\"", "\"deadLetters\"");
    }

    HttpResponse<String> admin(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer test-admin-token")
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }
}
