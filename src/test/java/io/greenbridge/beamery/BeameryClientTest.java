package io.greenbridge.beamery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.sandbox.BeamerySimulator;
import io.greenbridge.support.RemoteCallException;

/** The Beamery client against the Beamery simulator over real HTTP on loopback. */
class BeameryClientTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BeamerySimulator beamery;
    private BeameryClient client;

    @BeforeEach
    void start() {
        beamery = new BeamerySimulator();
        GreenbridgeProperties.Beamery config = new GreenbridgeProperties.Beamery(beamery.baseUrl(), "bm-client", "bm-secret",
                40, 100, 5, Duration.ofSeconds(5), Duration.ofMillis(20), 0, 0, null, null, null);
        client = new BeameryClient(config, new BeameryTokenProvider(config, Clock.systemUTC()), new BeameryRateLimiter(40), null);
    }

    @AfterEach
    void stop() {
        beamery.close();
    }

    @Test
    void tokenIsCachedAndRenewedOnceAfterA401() {
        beamery.addUser("ada@example.com", "Ada", "Admin", "admin");
        client.listUsers();
        client.listUsers();
        assertThat(beamery.requestCount("POST /oauth/token")).isEqualTo(1);

        beamery.expireTokens();
        assertThat(client.listUsers()).extracting(u -> u.path("email").asText()).containsExactly("ada@example.com");

        assertThat(beamery.requestCount("POST /oauth/token")).isEqualTo(2);
        assertThat(beamery.requestCount("GET /users")).isEqualTo(4);
    }

    @Test
    void a401AfterRenewalFailsForGood() {
        beamery.failNext("/users", 401, 5);

        assertThatThrownBy(client::listUsers)
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(401);
                    assertThat(e.retryable()).isFalse();
                });
        assertThat(beamery.requestCount("GET /users")).isEqualTo(2);
        assertThat(beamery.requestCount("POST /oauth/token")).isEqualTo(2);
    }

    @Test
    void wrongCredentialsAreRefusedWithoutRetries() {
        GreenbridgeProperties.Beamery wrong = new GreenbridgeProperties.Beamery(beamery.baseUrl(), "bm-client", "not-the-secret",
                40, 100, 5, Duration.ofSeconds(5), Duration.ofMillis(20), 0, 0, null, null, null);
        BeameryClient refused = new BeameryClient(wrong, new BeameryTokenProvider(wrong, Clock.systemUTC()), new BeameryRateLimiter(40), null);

        assertThatThrownBy(refused::listUsers)
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.retryable()).isFalse());
        assertThat(beamery.requestCount("POST /oauth/token")).isEqualTo(1);
        assertThat(beamery.requestCount("GET /users")).isZero();
    }

    @Test
    void a429IsHonouredThenTheCallSucceeds() {
        String id = beamery.createContact(contact("grace@example.com"));
        beamery.rateLimitNext(1);

        assertThat(client.getContact(id).path("primaryEmail").asText()).isEqualTo("grace@example.com");
        assertThat(beamery.requestCount("GET /contact/")).isEqualTo(2);
    }

    @Test
    void everythingArrivesAfterAnOutage() {
        beamery.failFor(Duration.ofMillis(300), 503);

        for (int i = 0; i < 5; i++) {
            client.createContact(contact("person" + i + "@example.com"));
        }

        assertThat(beamery.contacts()).extracting(c -> c.path("primaryEmail").asText())
                .containsExactlyInAnyOrder(IntStream.range(0, 5).mapToObj(i -> "person" + i + "@example.com").toArray(String[]::new));
    }

    @Test
    void aServerErrorThatPersistsIsRetryableAfterMaxRetries() {
        beamery.failNext("/users", 503, 100);

        assertThatThrownBy(client::listUsers)
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(503);
                    assertThat(e.retryable()).isTrue();
                });
        assertThat(beamery.requestCount("GET /users")).isEqualTo(6);
    }

    @Test
    void clientErrorsAreNotRetriedAndCarryBeamerysMessage() {
        ObjectNode noEmail = JSON.createObjectNode().put("firstName", "Nobody");

        assertThatThrownBy(() -> client.createContact(noEmail))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.responseBody()).contains("primaryEmail or emails is required").contains("\"errors\"");
                });
        assertThat(beamery.requestCount("POST /contact")).isEqualTo(1);

        assertThatThrownBy(() -> client.getContact("no-such-contact"))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(404);
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("GET /contact/no-such-contact").contains("not found");
                });
        assertThat(client.findContact("no-such-contact")).isEmpty();
        assertThat(beamery.requestCount("GET /contact/no-such-contact")).isEqualTo(2);
    }

    @Test
    void aFailureReportedInsideA2xxBodyIsNotTakenForSuccess() {
        beamery.failNext("/users", 200, 1);

        assertThatThrownBy(client::listUsers)
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.responseBody()).contains("\"success\":false");
                });
        assertThat(beamery.requestCount("GET /users")).isEqualTo(1);
    }

    @Test
    void listingPagesThroughTheDocumentedEnvelope() {
        seedContacts(120);

        List<JsonNode> all = client.list("/contacts", "contacts", Map.of("limit", "50")).toList();

        assertThat(all).hasSize(120).extracting(c -> c.path("id").asText()).doesNotHaveDuplicates();
        assertThat(beamery.requestCount("GET /contacts")).isEqualTo(3);
    }

    @Test
    void listingPagesThroughTheLegacyEnvelope() {
        seedContacts(100);
        beamery.useLegacyEnvelope(true);

        List<JsonNode> all = client.list("/contacts", "contacts", Map.of("limit", "50")).toList();

        assertThat(all).hasSize(100).extracting(c -> c.path("id").asText()).doesNotHaveDuplicates();
        assertThat(beamery.requestCount("GET /contacts")).isEqualTo(2);
    }

    @Test
    void pagesAreFetchedOnlyWhenNeeded() {
        seedContacts(60);

        assertThat(client.list("/contacts", "contacts", Map.of("limit", "20")).limit(5).toList()).hasSize(5);
        assertThat(beamery.requestCount("GET /contacts")).isEqualTo(1);
    }

    @Test
    void aBurstOfConcurrentCallsStaysWithinTheRateLimit() throws Exception {
        String id = beamery.createContact(contact("burst@example.com"));
        ExecutorService callers = Executors.newFixedThreadPool(24);
        try {
            List<Future<JsonNode>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(callers.submit(() -> client.getContact(id)));
            }
            for (Future<JsonNode> call : calls) {
                assertThat(call.get().path("id").asText()).isEqualTo(id);
            }
        } finally {
            callers.shutdownNow();
        }

        assertThat(beamery.maxRequestsInAnyWindow()).isLessThanOrEqualTo(40);
        assertThat(beamery.requests()).noneMatch(r -> r.status() == 429);
        assertThat(client.requestCount()).isEqualTo(100);
    }

    @Test
    void contactsAreFoundByEmailWhicheverShapeTheirEmailsHave() {
        String plain = beamery.createContact(contact("shared@example.com"));
        ObjectNode objectShaped = JSON.createObjectNode().put("firstName", "Obj");
        objectShaped.putArray("emails").addObject().put("value", "Shared@Example.com").put("type", "work");
        String object = beamery.createContact(objectShaped);
        beamery.createContact(contact("other@example.com"));

        List<JsonNode> found = client.findContactsByEmail("shared@example.com");

        assertThat(found).extracting(c -> c.path("id").asText()).containsExactlyInAnyOrder(plain, object);
        assertThat(found).allSatisfy(c -> assertThat(BeameryValues.strings(c.path("emails")))
                .anyMatch("shared@example.com"::equalsIgnoreCase));
    }

    @Test
    void contactIsFoundByGreenhouseId() {
        ObjectNode linked = contact("linked@example.com");
        linked.putObject("integrations").putObject("greenhouse").put("id", "123456");
        String id = beamery.createContact(linked);
        beamery.createContact(contact("unlinked@example.com"));

        assertThat(client.findContactByGreenhouseId("123456")).map(c -> c.path("id").asText()).contains(id);
        assertThat(client.findContactByGreenhouseId("999")).isEmpty();
    }

    @Test
    void uploadedAttachmentBytesArriveIntact() {
        String id = beamery.createContact(contact("cv@example.com"));
        byte[] pdf = new byte[70_000];
        new Random(7).nextBytes(pdf);

        JsonNode meta = client.uploadAttachment(id, "Grace Hopper CV.pdf", "resume", "application/pdf", pdf);

        assertThat(meta.path("contactId").asText()).isEqualTo(id);
        assertThat(meta.path("filename").asText()).isEqualTo("Grace Hopper CV.pdf");
        assertThat(meta.path("type").asText()).isEqualTo("resume");
        assertThat(meta.path("contentType").asText()).isEqualTo("application/pdf");
        assertThat(meta.path("size").asInt()).isEqualTo(pdf.length);
        assertThat(beamery.attachmentBytes(meta.path("id").asText())).isEqualTo(pdf);
    }

    @Test
    void valuesAreReadFromStringsAndObjects() throws Exception {
        assertThat(BeameryValues.strings(JSON.readTree("[\"a@x.com\", {\"value\": \"b@x.com\", \"type\": \"work\"}, {\"id\": 1}]")))
                .containsExactly("a@x.com", "b@x.com");
        assertThat(BeameryValues.strings(JSON.readTree("\"+44 20 1234\""))).containsExactly("+44 20 1234");
        assertThat(BeameryValues.strings(null)).isEmpty();
    }

    private void seedContacts(int count) {
        for (int i = 0; i < count; i++) {
            beamery.createContact(contact("seed" + i + "@example.com"));
        }
    }

    private static ObjectNode contact(String email) {
        return JSON.createObjectNode().put("firstName", "Test").put("lastName", email).put("primaryEmail", email);
    }
}
