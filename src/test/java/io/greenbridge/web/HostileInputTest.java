package io.greenbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.slf4j.LoggerFactory;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.support.Sha256Signature;

/**
 * Hostile requests over raw sockets: framings that lie, compressed and oversize bodies, broken chunking, oversize
 * headers, wrong content types, bytes that are not UTF-8, ids of the wrong shape. Every answer is a 4xx in the
 * error contract, never a 5xx; at the end the captured log holds none of the e-mails or secrets sent and no
 * forged line.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest extends SandboxTest {
    final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent> capture;
    static final int LIMIT = 1_048_576;
    final String email = "hostile-" + UUID.randomUUID() + "@leak.example";
    final String wrongToken = "wrong-secret-" + UUID.randomUUID();
    final List<String> answers = new ArrayList<>();
    RawHttp raw;
    String companyKey;

    @BeforeAll
    void setUp() {
        // the log exactly as the console writes it (same pattern, same converters from logback-spring.xml)
        ch.qos.logback.classic.Logger root = (ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        var console = (ch.qos.logback.core.OutputStreamAppender<ch.qos.logback.classic.spi.ILoggingEvent>) root.getAppender("CONSOLE");
        var encoder = new ch.qos.logback.classic.encoder.PatternLayoutEncoder();
        encoder.setContext(root.getLoggerContext());
        encoder.setPattern(((ch.qos.logback.classic.encoder.PatternLayoutEncoder) console.getEncoder()).getPattern());
        encoder.start();
        capture = new ch.qos.logback.core.OutputStreamAppender<>();
        capture.setContext(root.getLoggerContext());
        capture.setEncoder(encoder);
        capture.setOutputStream(captured);
        capture.start();
        root.addAppender(capture);
        raw = new RawHttp(port);
        String company = AssessmentCaller.createCompany(baseUrl(), ADMIN_TOKEN, "Hostile Inc",
                "[{\"id\":\"t1\",\"name\":\"Test one\"}]");
        companyKey = AssessmentCaller.issueKey(baseUrl(), ADMIN_TOKEN, company, "recruiter-" + UUID.randomUUID() + "@hostile.example").key();
    }

    Map<String, String> admin(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Bearer " + ADMIN_TOKEN);
        if (contentType != null) {
            h.put("Content-Type", contentType);
        }
        return h;
    }

    Map<String, String> company(String contentType) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "Basic " + Base64.getEncoder().encodeToString((companyKey + ":").getBytes(StandardCharsets.UTF_8)));
        h.put("Content-Type", contentType);
        return h;
    }

    /** Asserts a 4xx (the given status when > 0) in the error contract. */
    RawHttp.Answer expect(int status, RawHttp.Answer a, String what) {
        answers.add(what + " -> " + a.status());
        assertThat(a.status()).as(what + ": " + a).isBetween(400, 499);
        if (status > 0) {
            assertThat(a.status()).as(what + ": " + a).isEqualTo(status);
        }
        assertThat(a.isContractError()).as(what + " is {error,message} JSON: " + a).isTrue();
        return a;
    }

    byte[] jsonOfSize(int size) {
        String head = "{\"action\":\"ping\",\"payload\":{\"email\":\"" + email + "\",\"pad\":\"";
        StringBuilder sb = new StringBuilder(head);
        while (sb.length() < size - 3) {
            sb.append('x');
        }
        sb.append("\"}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void chunkedBodiesOverTheLimitAre413OnEveryPostPath() throws Exception {
        byte[] big = jsonOfSize(LIMIT + 1);
        Map<String, String> chunked = new LinkedHashMap<>(Map.of("Content-Type", "application/json", "Transfer-Encoding", "chunked"));
        expect(413, raw.request("POST", "/webhooks/greenhouse", chunked, RawHttp.chunked(big, 8192)), "chunked webhook");
        expect(413, raw.request("POST", "/api/assessment/results", chunked, RawHttp.chunked(big, 8192)), "chunked results");
        Map<String, String> adminChunked = admin("application/json");
        adminChunked.put("Transfer-Encoding", "chunked");
        expect(413, raw.request("POST", "/api/greenhouse/push", adminChunked, RawHttp.chunked(big, 65536)), "chunked push");
        Map<String, String> companyChunked = company("application/json");
        companyChunked.put("Transfer-Encoding", "chunked");
        expect(413, raw.request("POST", "/assessment/send_test", companyChunked, RawHttp.chunked(big, 65536)), "chunked send_test");
    }

    @Test
    void contentLengthBodiesOverTheLimitAre413() throws Exception {
        byte[] big = jsonOfSize(LIMIT + 1);
        expect(413, raw.request("POST", "/api/greenhouse/push", admin("application/json"), big), "push 1 MiB + 1");
        expect(413, raw.request("POST", "/api/assessment/results", Map.of("Content-Type", "application/json"), big), "results 1 MiB + 1");
        expect(413, raw.request("POST", "/webhooks/greenhouse", Map.of("Content-Type", "application/json"), big), "webhook 1 MiB + 1");
    }

    @Test
    void anUnauthenticatedAdminCallIsRefusedBeforeItsBodyIsRead() throws Exception {
        // declares 1 MiB but sends nothing: the 401 must come without waiting for (or buffering) the body
        long start = System.nanoTime();
        RawHttp.Answer a = raw.send("POST /api/greenhouse/push HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + LIMIT, null, false);
        expect(401, a, "unauthenticated push declaring 1 MiB");
        assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(10_000);
    }

    @Test
    void framingsThatLieAre400() throws Exception {
        // shorter than its Content-Length, then the client stops sending
        RawHttp.Answer shortBody = raw.send("POST /webhooks/greenhouse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 100", "{\"a\":1}".getBytes(), true);
        expect(400, shortBody, "short body");
        // a chunk size that is not hex
        RawHttp.Answer badChunk = raw.send("POST /webhooks/greenhouse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked", "zz\r\n{}\r\n0\r\n\r\n".getBytes(), true);
        expect(400, badChunk, "bad chunk size");
        // a chunk longer than announced
        RawHttp.Answer longChunk = raw.send("POST /api/assessment/results HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nTransfer-Encoding: chunked", "2\r\n{\"a\":1}\r\n0\r\n\r\n".getBytes(), true);
        expect(400, longChunk, "chunk overrun");
        // both framings at once (request smuggling shape)
        RawHttp.Answer both = raw.send("POST /webhooks/greenhouse HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                + "Content-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked", "0\r\n\r\n".getBytes(), true);
        assertThat(both.status()).as(both.toString()).isBetween(400, 499);
    }

    @Test
    void tomcatsOwnErrorsAreJsonToo() throws Exception {
        String huge = "a".repeat(20_000);
        expect(400, raw.send("GET /api/status HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Big: " + huge), "oversize header");
        expect(400, raw.send("GET /api/st{atus HTTP/1.1\r\nHost: x\r\nConnection: close"), "invalid character in target");
        expect(400, raw.send("GET /api%2Fstatus HTTP/1.1\r\nHost: x\r\nConnection: close"), "encoded slash");
        expect(0, raw.send("GET /api/status HTTP/1.1\r\nHost: x\r\nBad Header Name: 1\r\nConnection: close"), "bad header name");
    }

    @Test
    void compressedBodiesAre415() throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(jsonOfSize(LIMIT * 4));
        }
        Map<String, String> h = new LinkedHashMap<>(Map.of("Content-Type", "application/json", "Content-Encoding", "gzip"));
        expect(415, raw.request("POST", "/webhooks/greenhouse", h, gz.toByteArray()), "gzip webhook");
        expect(415, raw.request("POST", "/api/assessment/results", h, gz.toByteArray()), "gzip results");
        Map<String, String> a = admin("application/json");
        a.put("Content-Encoding", "deflate");
        expect(415, raw.request("POST", "/api/greenhouse/push", a, "{}".getBytes()), "deflate push");
    }

    @Test
    void formAndTextBodiesAre415AndNeverParsed() throws Exception {
        byte[] form = ("email=" + email + "&first_name=x%0AFORGED").getBytes(StandardCharsets.UTF_8);
        String formType = "application/x-www-form-urlencoded";
        expect(415, raw.request("POST", "/webhooks/greenhouse", Map.of("Content-Type", formType), form), "form webhook");
        expect(415, raw.request("POST", "/api/assessment/results", Map.of("Content-Type", formType), form), "form results");
        expect(415, raw.request("POST", "/assessment/send_test", company(formType), form), "form send_test");
        expect(415, raw.request("POST", "/assessment/response_error", company(formType), form), "form response_error");
        expect(415, raw.request("POST", "/assessment/send_test", company("text/plain"), "{}".getBytes()), "text/plain send_test");
        expect(415, raw.request("POST", "/assessment/response_error", company("text/plain;charset=utf-8"), "{}".getBytes()), "text/plain response_error");
        expect(415, raw.request("POST", "/api/companies", admin("multipart/form-data; boundary=x"), "--x--".getBytes()), "multipart companies");
        expect(415, raw.request("POST", "/api/greenhouse/push", admin("application/json; charset=bogus"), "{}".getBytes()), "unknown charset");
        Map<String, String> noType = new LinkedHashMap<>(Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        // Spring MVC controllers need the type; the intake routes read an unlabelled body as JSON (a browser always
        // labels a cross-site body), so there the signature check answers
        expect(415, raw.request("POST", "/api/greenhouse/push", noType, "{\"contactIds\":[\"a\"]}".getBytes()), "push without type");
        expect(401, raw.request("POST", "/webhooks/greenhouse", Map.of(), "{}".getBytes()), "webhook without type");
        // JSON with its charset is fine, and the candidate link takes its HTML form
        RawHttp.Answer json = raw.request("POST", "/api/greenhouse/push", admin("application/json; charset=UTF-8"), "{}".getBytes());
        expect(400, json, "JSON push without contactIds");
    }

    @Test
    void bytesThatAreNotUtf8AreA400() throws Exception {
        byte[] latin1 = "{\"contactIds\":[\"caf\u00e9\"]}".getBytes(StandardCharsets.ISO_8859_1);
        expect(400, raw.request("POST", "/api/greenhouse/push", admin("application/json"), latin1), "latin-1 push");
        byte[] garbage = new byte[] {'{', '"', (byte) 0xff, (byte) 0xfe, '"', ':', '1', '}'};
        expect(400, raw.request("POST", "/api/companies", admin("application/json"), garbage), "garbage companies");
        expect(0, raw.request("POST", "/assessment/send_test", company("application/json"), garbage), "garbage send_test");
        expect(401, raw.request("POST", "/webhooks/greenhouse", Map.of("Content-Type", "application/json"), garbage), "garbage webhook, unsigned");
    }

    @Test
    void idsOfTheWrongShapeAre400NamingTheParameter() throws Exception {
        for (String id : List.of("0x10", "-1", "0", "+16", "1e3", "16.0", "99999999999999999999", "%30x10")) {
            RawHttp.Answer a = expect(400, raw.request("POST", "/api/dead-letters/" + id + "/replay", admin(null), null), "dead letter " + id);
            assertThat(a.json().path("message").asText()).contains("'id'");
        }
        assertThat(raw.request("POST", "/api/dead-letters/16/replay", admin(null), null).status()).isEqualTo(404);
        expect(400, raw.request("POST", "/api/held/-1/release", admin(null), null), "held -1");
        expect(400, raw.request("POST", "/api/held/0x10/release", admin(null), null), "held 0x10");
        expect(400, raw.request("POST", "/api/users/not%20an%20id/api-keys", admin(null), null), "user id");
        expect(400, raw.request("DELETE", "/api/api-keys/x'y", admin(null), null), "key id");
        expect(400, raw.request("POST", "/api/companies/..%2F..%2Fx/users", admin("application/json"), "{}".getBytes()), "company id");
        expect(400, raw.request("POST", "/api/companies/1%3B2/users", admin("application/json"), "{}".getBytes()), "company id with ;");
        for (String contact : List.of("..", "../../_admin/reset", "..%2F..%2F_admin%2Freset", "a b", "a\\tb", "x".repeat(65), "a/b", "%2e%2e")) {
            String body = "{\"contactIds\":[" + new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(contact) + "]}";
            RawHttp.Answer a = expect(400, raw.request("POST", "/api/greenhouse/push", admin("application/json"), body.getBytes()), "contact " + contact);
            assertThat(a.json().path("message").asText()).contains("contactIds");
        }
        expect(400, raw.request("GET", "/api/dead-letters?limit=abc", admin(null), null), "limit abc");
    }

    @Test
    void springsOwnRefusalsAreInTheContract() throws Exception {
        expect(404, raw.request("GET", "/api/nothing-here", admin(null), null), "unknown admin path");
        expect(405, raw.request("PUT", "/api/status", admin("application/json"), "{}".getBytes()), "PUT status");
        expect(405, raw.request("GET", "/api/greenhouse/push", admin(null), null), "GET push");
        expect(0, raw.request("GET", "/error", admin(null), null), "GET /error as admin");
        expect(401, raw.request("GET", "/error", Map.of(), null), "GET /error anonymous");
        expect(406, raw.request("GET", "/api/status", Map.of("Authorization", "Bearer " + ADMIN_TOKEN, "Accept", "image/png"), null), "Accept png");
        expect(401, raw.request("GET", "/nothing", Map.of("Accept", "text/html"), null), "unknown path, browser");
        expect(400, raw.request("POST", "/api/companies", admin("application/json"), "{\"name\":".getBytes()), "truncated JSON");
    }

    @Test
    void valuesWithLineBreaksCannotForgeLogLines() throws Exception {
        // platform-http turns query parameters into headers, so the intake logs this "event id" as given
        Map<String, String> h = new LinkedHashMap<>(Map.of("Content-Type", "application/json", "Signature", "sha256 00"));
        expect(401, raw.request("POST", "/webhooks/greenhouse?Greenhouse-Event-ID=x%0AFORGED%20line%0D%0AFORGED2",
                h, ("{\"email\":\"" + email + "\"}").getBytes()), "forging webhook");
        LoggerFactory.getLogger(HostileInputTest.class).warn("value from a caller: {}", "x\nFORGED direct\r\nFORGED2 \u0007");
        String signed = "{\"action\":\"ping\"}";
        Map<String, String> ok = new LinkedHashMap<>(Map.of("Content-Type", "application/json",
                "Signature", Sha256Signature.sign(signed.getBytes(StandardCharsets.UTF_8), WEBHOOK_SECRET)));
        assertThat(raw.request("POST", "/webhooks/greenhouse", ok, signed.getBytes()).status()).isLessThan(500);
    }

    @Test
    void wrongSecretsAndKeysAre401() throws Exception {
        expect(401, raw.request("GET", "/api/status", Map.of("Authorization", "Bearer " + wrongToken), null), "wrong token");
        expect(401, raw.request("GET", "/actuator/prometheus", Map.of("Authorization", "Bearer " + wrongToken), null), "wrong token actuator");
        expect(401, raw.request("GET", "/assessment/list_tests", Map.of("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((wrongToken + ":").getBytes())), null), "wrong key");
        expect(401, raw.request("GET", "/assessment/list_tests", Map.of("Authorization", "Basic !!!not-base64"), null), "bad base64");
    }

    @AfterAll
    void theLogHoldsNoSecretNoEmailAndNoForgedLine() {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(capture);
        capture.stop();
        String log = captured.toString(StandardCharsets.UTF_8);
        assertThat(log).doesNotContain(email, wrongToken, companyKey, ADMIN_TOKEN, WEBHOOK_SECRET);
        for (String line : log.split("\\R")) {
            assertThat(line).as("forged line").doesNotStartWith("FORGED");
        }
        assertThat(log).contains("x\\nFORGED direct\\r\\nFORGED2 \\u0007", "FORGED line");
        assertThat(log).doesNotContain(" 500 ", "status=500");
    }
}
