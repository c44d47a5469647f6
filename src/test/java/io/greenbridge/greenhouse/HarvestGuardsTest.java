package io.greenbridge.greenhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.sandbox.GreenhouseSimulator;
import io.greenbridge.sandbox.HostileServer;
import io.greenbridge.support.RemoteCallException;

/**
 * Harvest replies Greenbridge must not trust: next links to other origins, links that repeat, listings that never
 * end, bodies past the cap or the deadline, ids that are not ids. Real HTTP on loopback.
 */
class HarvestGuardsTest {
    private static final Duration GUARD = Duration.ofSeconds(20);
    private GreenhouseSimulator sim;
    private HostileServer other;

    @BeforeEach
    void start() {
        sim = new GreenhouseSimulator("gh-client", "gh-secret");
        sim.setRateLimit(1000, Duration.ofSeconds(10));
        other = new HostileServer().on("/", HostileServer.json("[]"));
        for (int i = 0; i < 35; i++) {
            sim.store().candidate("C" + i, "Test").email("c" + i + "@example.com").create();
        }
    }

    @AfterEach
    void stop() {
        sim.close();
        other.close();
    }

    private HarvestClient client(int maxPages) {
        return HarvestClientTest.client(sim.baseUrl(), 10, 3, Duration.ofSeconds(5), maxPages, 0);
    }

    @Test
    void aNextLinkToAnotherOriginEndsTheListingAndTheTokenNeverLeaves() {
        // same host, another port: another origin all the same
        sim.forceNextLink("/v3/candidates", other.baseUrl() + "/v3/candidates?cursor=abc");
        HarvestClient client = client(0);

        assertThatThrownBy(() -> client.stream("candidates", Map.of()).count())
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("another origin").contains("token was not sent");
                });
        assertThat(other.requests()).isEmpty();

        // another scheme on the very same host and port
        String https = sim.baseUrl().replace("http://", "https://") + "/v3/candidates?cursor=abc";
        sim.forceNextLink("/v3/candidates", https);
        assertThatThrownBy(() -> client.stream("candidates", Map.of()).count())
                .hasMessageContaining("another origin");
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(2); // one first page each, nothing followed
    }

    @Test
    void aNextLinkThatRepeatsAFetchedPageEndsTheListing() {
        sim.forceNextLink("/v3/candidates", sim.baseUrl() + "/v3/candidates?per_page=10");
        HarvestClient client = client(0);

        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> client.forEachPage("candidates", Map.of(), p -> { }))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("repeats a page already fetched");
                }));
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(1);
    }

    @Test
    void aListingBeyondThePageCapEndsAsAFailure() {
        HarvestClient capped = client(2);

        assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> capped.stream("candidates", Map.of()).count())
                .hasMessageContaining("greenbridge.greenhouse.max-pages (2 pages)"));
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(2);
        // under the cap the same listing works
        assertThat(client(4).stream("candidates", Map.of()).count()).isEqualTo(35);
    }

    @Test
    void aPageOverTheCapFailsThatCallWithoutRetries() {
        HostileServer harvest = new HostileServer().on("/v3/", HostileServer.json("[" + "{\"id\":1},".repeat(200) + "{\"id\":2}]"));
        try {
            HarvestClient client = HarvestClientTest.client(harvest.baseUrl(), 10, 3, Duration.ofSeconds(5), 0, 1024);
            assertThatThrownBy(() -> client.stream("candidates", Map.of()).count())
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("larger than 1024 bytes");
                    });
            assertThat(harvest.apiRequests()).hasSize(1);
        } finally {
            harvest.close();
        }
    }

    @Test
    void aBodyThatNeverEndsIsCutAtTheCap() {
        HostileServer harvest = new HostileServer().on("/v3/", HostileServer.endless("{\"id\":1},", 0));
        try {
            HarvestClient client = HarvestClientTest.client(harvest.baseUrl(), 10, 3, Duration.ofSeconds(30), 0, 1 << 20);
            assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> client.stream("candidates", Map.of()).count())
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                        assertThat(e.retryable()).isFalse();
                        assertThat(e.getMessage()).contains("larger than");
                    }));
        } finally {
            harvest.close();
        }
    }

    @Test
    void aBodyThatTricklesForeverIsCutAtTheDeadline() {
        HostileServer harvest = new HostileServer().on("/v3/", HostileServer.endless(" ", 100));
        try {
            HarvestClient client = HarvestClientTest.client(harvest.baseUrl(), 10, 1, Duration.ofSeconds(1), 0, 0);
            long started = System.nanoTime();
            assertTimeoutPreemptively(GUARD, () -> assertThatThrownBy(() -> client.stream("candidates", Map.of()).count())
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.retryable()).isTrue()));
            // two attempts of one second each (max-retries 1), not forever
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(8));
            assertThat(harvest.apiRequests()).hasSize(2);
        } finally {
            harvest.close();
        }
    }

    @Test
    void anAttachmentOverTheCapIsRefusedNotRetried() {
        long c = sim.store().candidate("Big", "File").create();
        sim.store().addAttachment(c, null, "resume", "cv.pdf", new byte[4096], "application/pdf");
        HarvestClient client = client(0);
        JsonNode attachment = client.listByIds("attachments", "candidate_ids", List.of(c), Map.of()).get(0);
        sim.clearRequests();

        assertThatThrownBy(() -> client.download(attachment.get("url").asText(), 1024))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.getMessage()).contains("larger than 1024 bytes");
                });
        assertThat(sim.requestCount("/files/")).isEqualTo(1);
        assertThat(client.download(attachment.get("url").asText(), 4096)).hasSize(4096);
    }

    @Test
    void idsThatAreNotPositiveIntegersNeverBecomeARequest() {
        HarvestClient client = client(0);
        client.stream("users", Map.of("per_page", "1")).count(); // token fetched, so only /v3 calls would count
        sim.clearRequests();

        assertThatThrownBy(() -> client.findById("candidates", -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.findById("candidates", "0x10")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.listByIds("applications", "candidate_ids", List.of("1", ".."), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.stream("applied_candidate_tags", Map.of("candidate_ids", "-1")).count())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.patch("candidates/..%2F..%2F_admin", Map.of("title", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.patch("candidates/../users", Map.of("title", "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> client.post("candidates/0/merge", Map.of())).isInstanceOf(IllegalArgumentException.class);
        assertThat(sim.requests()).isEmpty();
    }
}
