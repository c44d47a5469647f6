package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.Sha256Signature;

/** Greenhouse's side of the crash tests: signed update_candidate deliveries and the node's open inbox count. */
public final class CrashTraffic {
    static final String SECRET = "test-webhook-secret";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Delivers event {@code seq} of a candidate ({@code first_name} "seq-N"); 0 when no answer came. */
    public int send(int port, long candidateId, int seq, String eventId) {
        String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + candidateId
                + ",\"first_name\":\"seq-" + seq + "\",\"last_name\":\"Crash\"}}}";
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                    .timeout(Duration.ofSeconds(5))
                    .header("Signature", Sha256Signature.sign(bytes, SECRET))
                    .header("Greenhouse-Event-ID", eventId)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.discarding())
                    .statusCode();
        } catch (Exception e) {
            return 0;
        }
    }

    /** pending + processing events, from /api/status of the running node. */
    public long unfinished(int port) throws Exception {
        String status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                .header("Authorization", "Bearer test-admin-token").timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        JsonNode inbox = new ObjectMapper().readTree(status).path("inbox");
        assertThat(inbox.has("pending")).as(status).isTrue();
        return inbox.path("pending").asLong() + inbox.path("processing").asLong();
    }

    public static long count(Connection db, String sql) throws Exception {
        try (ResultSet rs = db.createStatement().executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
