package io.greenbridge.beamery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Beamery.Auth;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.sandbox.HostileServer;
import io.greenbridge.support.RemoteCallException;

/**
 * Beamery auth both ways, ids checked before any request, pagers that do not advance, replies past the cap and
 * multipart part headers built from upstream values. Real HTTP on loopback.
 */
class BeameryGuardsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration GUARD = Duration.ofSeconds(20);
    private BeamerySimulator beamery;

    @BeforeEach
    void start() {
        beamery = new BeamerySimulator();
    }

    @AfterEach
    void stop() {
        beamery.close();
    }

    static GreenbridgeProperties.Beamery config(String apiUrl, int pageSize, int maxPages, long maxPageBytes, Auth auth,
            String username, String password) {
        return new GreenbridgeProperties.Beamery(apiUrl, "bm-client", "bm-secret", 40, pageSize, 2, Duration.ofSeconds(5),
                Duration.ofMillis(20), maxPages, maxPageBytes, auth, username, password);
    }

    static BeameryClient client(GreenbridgeProperties.Beamery config) {
        return new BeameryClient(config, new BeameryTokenProvider(config, Clock.systemUTC()), new BeameryRateLimiter(40), null);
    }

    // ---- auth ----------------------------------------------------------------------------------------------

    @Test
    void apiUserCredentialsGetATokenFromGetAuthWithBasic() {
        beamery.useApiUserAuth("api-user@acme.example", "s3cret:with-colon");
        beamery.addUser("ada@example.com", "Ada", "Admin", "admin");
        BeameryClient client = client(config(beamery.baseUrl(), 100, 0, 0, Auth.API_USER, "api-user@acme.example", "s3cret:with-colon"));

        assertThat(client.listUsers()).extracting(u -> u.path("email").asText()).contains("ada@example.com");
        client.listUsers();

        assertThat(beamery.requestCount("GET /auth")).isEqualTo(1); // cached
        assertThat(beamery.requestCount("POST /oauth/token")).isZero();
        // renewed once after the token expires, as with client credentials
        beamery.expireTokens();
        assertThat(client.listUsers()).isNotEmpty();
        assertThat(beamery.requestCount("GET /auth")).isEqualTo(2);
    }

    @Test
    void eachSimulatedTenantRefusesTheOtherKindOfCredentials() {
        beamery.useApiUserAuth("api-user", "pw");
        BeameryClient clientCredentials = client(config(beamery.baseUrl(), 100, 0, 0, Auth.CLIENT_CREDENTIALS, null, null));
        assertThatThrownBy(clientCredentials::listUsers)
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                });
        BeameryClient wrongPassword = client(config(beamery.baseUrl(), 100, 0, 0, Auth.API_USER, "api-user", "nope"));
        assertThatThrownBy(wrongPassword::listUsers).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.status()).isEqualTo(401));

        beamery.useApiUserAuth(null, null);
        BeameryClient apiUser = client(config(beamery.baseUrl(), 100, 0, 0, Auth.API_USER, "api-user", "pw"));
        assertThatThrownBy(apiUser::listUsers).isInstanceOfSatisfying(RemoteCallException.class,
                e -> assertThat(e.status()).isEqualTo(401));
        assertThat(client(config(beamery.baseUrl(), 100, 0, 0, null, null, null)).listUsers()).isNotNull();
        assertThat(beamery.requestCount("GET /users")).isEqualTo(1);
    }

    // ---- ids and paths -------------------------------------------------------------------------------------

    @Test
    void idsOutsideBeamerysShapeNeverBecomeAPath() {
        BeameryClient client = client(config(beamery.baseUrl(), 100, 0, 0, null, null, null));
        client.listUsers(); // the token is fetched; any further request would be a contact call
        long before = beamery.requestCount("");

        List<String> hostile = List.of("..", "..%2F..%2F_admin%2Freset", "../../_admin", "a/b", ".", "", "x y",
                "id\r\nX-Injected: 1", "a".repeat(65));
        for (String id : hostile) {
            assertThatThrownBy(() -> client.getContact(id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.findContact(id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.patchContact(id, JSON.createObjectNode())).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.createNote(id, JSON.createObjectNode())).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.mergeContacts("c-1", id)).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.putContactVacancy("c-1", id, JSON.createObjectNode())).as(id).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> client.patchVacancy(id, JSON.createObjectNode())).as(id).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> client.get("/contact/../_admin")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.get("/contact/%2E%2E/_admin")).isInstanceOf(IllegalArgumentException.class);
        assertThat(beamery.requestCount("")).isEqualTo(before);

        // real ids go through: UUIDs and prefixed ids
        String id = beamery.createContact(JSON.createObjectNode().put("firstName", "A").put("lastName", "B").put("primaryEmail", "ab@example.com"));
        assertThat(client.getContact(id).path("id").asText()).isEqualTo(id);
        assertThat(client.findVacancy("vac-0123456789ab")).isEmpty();
    }

    // ---- paging and reply caps ------------------------------------------------------------------------------

    @Test
    void aPagerWhoseOffsetDoesNotAdvanceFailsInsteadOfLoopingForever() {
        HostileServer stuck = new HostileServer().on("/v1/contacts",
                HostileServer.json("{\"contacts\":[{\"id\":\"c-1\"}],\"total_count\":1000,\"last_batch\":0}"));
        try {
            BeameryClient client = client(config(stuck.baseUrl() + "/v1", 1, 0, 0, null, null, null));
            assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> client.listContactsUpdatedSince(java.time.Instant.EPOCH).count())
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("offset did not advance");
                    }));
            assertThat(stuck.apiRequests()).hasSize(1);
        } finally {
            stuck.close();
        }
    }

    @Test
    void aListingBeyondThePageCapFails() {
        for (int i = 0; i < 5; i++) {
            beamery.addUser("u" + i + "@example.com", "U", "Ser", "recruiter");
        }
        BeameryClient capped = client(config(beamery.baseUrl(), 1, 3, 0, null, null, null));
        assertThatThrownBy(capped::listUsers).hasMessageContaining("greenbridge.beamery.max-pages (3 pages)");
        assertThat(beamery.requestCount("GET /users")).isEqualTo(3);
        assertThat(client(config(beamery.baseUrl(), 1, 10, 0, null, null, null)).listUsers()).hasSize(5);
    }

    @Test
    void aReplyOverTheCapFailsThatCallWithoutRetries() {
        HostileServer big = new HostileServer().on("/v1/users",
                HostileServer.json("{\"users\":[" + "{\"id\":\"u\"},".repeat(200) + "{\"id\":\"v\"}]}"));
        try {
            BeameryClient client = client(config(big.baseUrl() + "/v1", 100, 0, 1024, null, null, null));
            assertThatThrownBy(client::listUsers).isInstanceOfSatisfying(RemoteCallException.class, e -> {
                assertThat(e.retryable()).isFalse();
                assertThat(e.getMessage()).contains("larger than 1024 bytes");
            });
            assertThat(big.apiRequests()).hasSize(1);
        } finally {
            big.close();
        }
    }

    @Test
    void aBodyThatNeverEndsIsCutAtTheCap() {
        HostileServer endless = new HostileServer().on("/v1/users", HostileServer.endless("{\"id\":\"u\"},", 0));
        try {
            BeameryClient client = client(config(endless.baseUrl() + "/v1", 100, 0, 1 << 20, null, null, null));
            assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(client::listUsers)
                    .hasMessageContaining("larger than"));
        } finally {
            endless.close();
        }
    }

    // ---- multipart -----------------------------------------------------------------------------------------

    @Test
    void multipartPartHeadersCarryNoInjectedLinesFromUpstreamValues() {
        HostileServer sink = new HostileServer().on("/v1/contact/", HostileServer.json("{\"id\":\"att-1\"}"));
        try {
            BeameryClient client = client(config(sink.baseUrl() + "/v1", 100, 0, 0, null, null, null));
            String filename = "cv\r\nX-Evil: 1\r\n\r\n\"quoted\"\t\u0000" + "n".repeat(400) + ".pdf";
            client.uploadAttachment("c-1", filename, "resume", "application/pdf\r\nX-Injected: yes", "%PDF".getBytes(StandardCharsets.UTF_8));

            String body = new String(sink.apiRequests().get(0).body(), StandardCharsets.ISO_8859_1);
            assertThat(body).doesNotContain("\r\nX-Injected").doesNotContain("\r\nX-Evil").doesNotContain("\u0000").doesNotContain("\t");
            String disposition = body.lines().filter(l -> l.contains("name=\"file\"")).findFirst().orElseThrow();
            String sentName = disposition.substring(disposition.indexOf("filename=\"") + 10, disposition.length() - 1);
            assertThat(sentName).doesNotContain("\"").hasSizeLessThanOrEqualTo(MultipartHeaders.MAX_FILENAME).endsWith(".pdf");
            assertThat(body).contains("Content-Type: application/octet-stream\r\n\r\n%PDF");

            // ordinary values pass unchanged
            client.uploadAttachment("c-1", "Grace Hopper CV.pdf", "resume", "application/pdf", new byte[] {1});
            String plain = new String(sink.apiRequests().get(1).body(), StandardCharsets.ISO_8859_1);
            assertThat(plain).contains("filename=\"Grace Hopper CV.pdf\"\r\nContent-Type: application/pdf\r\n");
        } finally {
            sink.close();
        }
    }

    @Test
    void mediaTypeParametersAreDroppedAndTypesChecked() {
        assertThat(MultipartHeaders.contentType("Application/PDF; name=\"x\r\ny\"")).isEqualTo("application/pdf");
        assertThat(MultipartHeaders.contentType("not a type")).isEqualTo("application/octet-stream");
        assertThat(MultipartHeaders.filename("\r\n")).isEqualTo("__");
        assertThat(MultipartHeaders.filename("  ")).isEqualTo("attachment");
        assertThat(MultipartHeaders.token("cover_letter", "other")).isEqualTo("cover_letter");
        assertThat(MultipartHeaders.token("resume\r\nX: y", "other")).isEqualTo("other");
    }
}
