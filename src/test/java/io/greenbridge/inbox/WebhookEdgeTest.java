package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import io.greenbridge.support.Sha256Signature;

/**
 * The webhook intake at its edge: the HMAC over the exact bytes received, Greenhouse's ping on save, entity ids
 * that are not positive integers, and bodies that are not JSON. Nothing here is handed to a flow.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "greenbridge.inbox.poll-interval=1h")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class WebhookEdgeTest {
    static final String SECRET = "test-webhook-secret";

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    final HttpClient http = HttpClient.newHttpClient();

    HttpResponse<String> post(byte[] body, String contentType, String signature, String eventId) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            b.header("Signature", signature);
        }
        if (eventId != null) {
            b.header("Greenhouse-Event-ID", eventId);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> signed(byte[] body, String eventId) throws Exception {
        return post(body, "application/json", Sha256Signature.sign(body, SECRET), eventId);
    }

    HttpResponse<String> signed(String body, String eventId) throws Exception {
        return signed(body.getBytes(StandardCharsets.UTF_8), eventId);
    }

    long inboxRows(String eventId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE event_id = ?", Long.class, eventId);
    }

    @Test
    void whenTheStoreRefusesWritesEveryDeliveryIs503AndNothingIsStoredThenItIsAcceptedOnRetry() throws Exception {
        // the keys' table gone stands for a store that fails: concurrent deliveries may share a failing transaction,
        // and each must still be answered 503 (Greenhouse retries), none 200
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        jdbc.execute("ALTER TABLE CAMEL_MESSAGEPROCESSED RENAME TO camel_keys_away");
        List<java.util.concurrent.Future<HttpResponse<String>>> answers = new java.util.ArrayList<>();
        try {
            for (int n = 0; n < 16; n++) {
                String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + (7200 + n) + "}}}";
                String id = "down-" + n;
                answers.add(pool.submit(() -> signed(body, id)));
            }
            for (var answer : answers) {
                assertThat(answer.get().statusCode()).isEqualTo(503);
                assertThat(answer.get().body()).contains("\"error\":\"store_unavailable\"");
            }
        } finally {
            jdbc.execute("ALTER TABLE camel_keys_away RENAME TO CAMEL_MESSAGEPROCESSED");
            pool.shutdown();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE event_id LIKE 'down-%'", Long.class)).isZero();
        HttpResponse<String> retry = signed("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":7200}}}", "down-0");
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).isEqualTo("{\"status\":\"accepted\"}");
        assertThat(inboxRows("down-0")).isEqualTo(1);
    }

    @Test
    void signatureIsCheckedOverTheExactBytesEvenWhenTheyAreNotUtf8() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":7101,\"first_name\":\"Jos"
                .getBytes(StandardCharsets.US_ASCII));
        out.write(0xE9); // ISO-8859-1 é: not a UTF-8 sequence; a decode + re-encode turns it into EF BF BD
        out.writeBytes("\",\"last_name\":\"Doe\"}}}".getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = signed(out.toByteArray(), "bytes-1");
        // the signature holds (no 401); JSON must be UTF-8 (RFC 8259), so the body is refused as malformed
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("\"error\":\"malformed_json\"");
        assertThat(inboxRows("bytes-1")).isZero();
    }

    @Test
    void escapedUnicodeIsVerifiedAsSentAndStoredAsSent() throws Exception {
        String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":7102,"
                + "\"first_name\":\"Jos\\u00e9 \\u003cp\\u003e\",\"last_name\":\"Doe\"}}}";
        HttpResponse<String> r = signed(body, "bytes-2");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT payload FROM webhook_inbox WHERE event_id = 'bytes-2'", String.class))
                .isEqualTo(body);
    }

    @Test
    void unsignedPingIsAnswered200WithNoEffect() throws Exception {
        byte[] ping = "{\"action\":\"ping\",\"payload\":{\"web_hook_id\":42,\"url\":\"https://gb.example/webhooks/greenhouse\"}}"
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = post(ping, "application/json", null, "ping-unsigned");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"status\":\"pong\"");
        assertThat(inboxRows("ping-unsigned")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE action = 'ping'", Long.class)).isZero();
    }

    @Test
    void signedPingIsAnswered200AndNeverWorkedOn() throws Exception {
        HttpResponse<String> r = signed("{\"action\":\"ping\",\"payload\":{\"web_hook_id\":43}}", "ping-signed");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForList("SELECT status FROM webhook_inbox WHERE event_id = 'ping-signed'", String.class))
                .allMatch("ignored"::equals);
    }

    @Test
    void anythingElseUnsignedIs401IncludingAPingWithAWrongSignature() throws Exception {
        byte[] ping = "{\"action\":\"ping\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8);
        // a wrong secret shows at save time: Greenhouse disables the web hook and tells the operator
        assertThat(post(ping, "application/json", Sha256Signature.sign(ping, "other-secret"), "p-wrong").statusCode())
                .isEqualTo(401);
        for (String body : List.of("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":7103}}}",
                "{\"action\":\"ping \",\"payload\":{}}", "{\"action\":\"PING\"}", "[\"ping\"]", "ping",
                "{\"payload\":{\"action\":\"ping\"}}", "")) {
            HttpResponse<String> r = post(body.getBytes(StandardCharsets.UTF_8), "application/json", null, "u-" + body.hashCode());
            assertThat(r.statusCode()).as(body).isEqualTo(401);
            assertThat(r.body()).contains("\"error\":\"invalid_signature\"");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE entity_id = '7103'", Long.class)).isZero();
    }

    @Test
    void entityIdsThatAreNotPositiveIntegersAre400NamingTheField() throws Exception {
        List<String[]> cases = List.of(
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":-1}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":0}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":\"1; drop\"}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":1e3}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":9223372036854775808}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":1.5}}}", "payload.candidate.id"},
                new String[] {"{\"action\":\"candidate_anonymized\",\"payload\":{\"candidate_id\":-7}}", "payload.candidate_id"},
                new String[] {"{\"action\":\"delete_candidate\",\"payload\":{\"person\":{\"id\":\"abc\"}}}", "payload.person.id"},
                new String[] {"{\"action\":\"merge_candidate\",\"payload\":{\"person\":{\"id\":5,\"new_candidate_id\":-5}}}",
                        "payload.person.new_candidate_id"},
                new String[] {"{\"action\":\"candidate_stage_change\",\"payload\":{\"application\":{\"id\":-2,\"candidate\":{\"id\":3}}}}",
                        "payload.application.id"},
                new String[] {"{\"action\":\"candidate_stage_change\",\"payload\":{\"application\":{\"id\":2,\"candidate\":{\"id\":true}}}}",
                        "payload.application.candidate.id"},
                new String[] {"{\"action\":\"delete_application\",\"payload\":{\"application\":{\"id\":2,\"candidate_id\":3,\"job_id\":-4}}}",
                        "payload.application.job_id"},
                new String[] {"{\"action\":\"new_candidate_application\",\"payload\":{\"application\":{\"id\":2,\"candidate\":{\"id\":3},"
                        + "\"jobs\":[{\"id\":\"x\"}]}}}", "payload.application.jobs[0].id"},
                new String[] {"{\"action\":\"job_updated\",\"payload\":{\"job\":{\"id\":\"-1\"}}}", "payload.job.id"});
        int n = 0;
        for (String[] c : cases) {
            String eventId = "ids-" + n++;
            HttpResponse<String> r = signed(c[0], eventId);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(400);
            assertThat(r.body()).as(c[0]).contains("\"error\":\"invalid_id\"", c[1]);
            assertThat(inboxRows(eventId)).isZero();
        }
        // digits as a string are the same id
        assertThat(signed("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":\"7104\"}}}", "ids-ok")
                .statusCode()).isEqualTo(200);
        assertThat(signed("{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":9223372036854775807}}}", "ids-max")
                .statusCode()).isEqualTo(200);
    }

    @Test
    void formAndOtherNonJsonBodiesNeverAnswer500NorLogTheBody(CapturedOutput output) throws Exception {
        String secretEmail = "form.leak." + System.nanoTime() + "@example.com";
        byte[] form = ("action=update_candidate&email=" + secretEmail).getBytes(StandardCharsets.UTF_8);
        for (String type : List.of("application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz",
                "text/plain", "application/x-www-form-urlencoded; charset=ISO-8859-1")) {
            HttpResponse<String> unsigned = post(form, type, null, null);
            assertThat(unsigned.statusCode()).as(type).isBetween(400, 499);
            assertThat(unsigned.body()).as(type).contains("\"error\"");
            HttpResponse<String> signedForm = post(form, type, Sha256Signature.sign(form, SECRET), null);
            assertThat(signedForm.statusCode()).as(type).isBetween(400, 499);
            assertThat(signedForm.body()).as(type).contains("\"error\"");
        }
        assertThat(output.getAll()).doesNotContain(secretEmail);
    }
}
