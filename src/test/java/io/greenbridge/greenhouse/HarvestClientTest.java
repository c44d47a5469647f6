package io.greenbridge.greenhouse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.sandbox.GreenhouseSimulator;
import io.greenbridge.support.RemoteCallException;

class HarvestClientTest {
    private GreenhouseSimulator sim;
    private HarvestClient client;

    @BeforeEach
    void start() {
        sim = new GreenhouseSimulator("gh-client", "gh-secret");
        sim.setRateLimit(1000, Duration.ofSeconds(10));
        client = client(10);
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HarvestClient client(int perPage) {
        return client(sim.baseUrl(), perPage, 3, Duration.ofSeconds(5), 0, 0);
    }

    /** maxPages and maxPageBytes 0 take the defaults (10000 pages, 16 MiB). */
    static HarvestClient client(String baseUrl, int perPage, int maxRetries, Duration timeout, int maxPages, long maxPageBytes) {
        GreenbridgeProperties.Greenhouse cfg = new GreenbridgeProperties.Greenhouse(baseUrl, baseUrl,
                "gh-client", "gh-secret", "4080", "whsec", perPage, maxRetries, timeout, Duration.ofMillis(20),
                maxPages, maxPageBytes);
        return new HarvestClient(cfg, new GreenhouseTokenProvider(cfg, Clock.systemUTC()), new HarvestRateLimiter(), null);
    }

    private List<Long> seedCandidates(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(sim.store().candidate("C" + i, "Test").email("c" + i + "@example.com").create());
        }
        return ids;
    }

    @Test
    void everyRecordArrivesOnceAcrossPagesEvenWhenRateLimitedMidway() {
        List<Long> ids = seedCandidates(35);
        List<Integer> pageSizes = new ArrayList<>();
        List<Long> seen = new ArrayList<>();
        sim.clearRequests();
        client.forEachPage("candidates", Map.of(), page -> {
            pageSizes.add(page.size());
            page.forEach(n -> seen.add(n.get("id").asLong()));
            if (pageSizes.size() == 2) {
                sim.rateLimitNext(1, 1);
            }
        });
        assertThat(pageSizes).containsExactly(10, 10, 10, 5);
        assertThat(seen).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(ids);
        assertThat(seen).isSortedAccordingTo((a, b) -> Long.compare(b, a));
        // one 429, then the client waited out Retry-After instead of coming back early
        assertThat(sim.countStatus(429)).isEqualTo(1);
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(5);
    }

    @Test
    void nextPagesAreRequestedExactlyAsLinkedWithTheCursorAlone() {
        seedCandidates(25);
        long count = client.stream("candidates", Map.of("updated_at", "gte|2000-01-01T00:00:00Z")).count();
        assertThat(count).isEqualTo(25);
        List<GreenhouseSimulator.Request> calls = sim.requests().stream().filter(r -> r.path().startsWith("/v3/")).toList();
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0).query()).contains("updated_at=").contains("per_page=10");
        assertThat(calls.subList(1, 3)).allSatisfy(r -> {
            assertThat(r.query()).startsWith("cursor=").doesNotContain("&");
            assertThat(r.status()).isEqualTo(200);
        });
    }

    @Test
    void streamFetchesPagesOnlyAsTheyAreConsumed() {
        seedCandidates(30);
        List<JsonNode> firstFive = client.stream("candidates", Map.of()).limit(5).toList();
        assertThat(firstFive).hasSize(5);
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(1);
    }

    @Test
    void oneTokenServesManyCallsAndAnExpiredTokenIsRenewedOnce() {
        seedCandidates(3);
        for (int i = 0; i < 5; i++) {
            client.stream("candidates", Map.of()).count();
        }
        assertThat(sim.tokenRequests()).isEqualTo(1);
        sim.expireTokens();
        assertThat(client.stream("candidates", Map.of()).count()).isEqualTo(3);
        assertThat(sim.tokenRequests()).isEqualTo(2);
        assertThat(sim.countStatus(401)).isEqualTo(1);
    }

    @Test
    void aServerErrorIsRetriedUntilItSucceeds() {
        seedCandidates(2);
        sim.failNext("/v3/candidates", 503, 2);
        assertThat(client.stream("candidates", Map.of()).count()).isEqualTo(2);
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(3);
    }

    @Test
    void persistentServerErrorsSurfaceAsRetryable() {
        sim.failNext("/v3/jobs", 500, 10);
        assertThatThrownBy(() -> client.stream("jobs", Map.of()).count())
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isTrue();
                    assertThat(e.status()).isEqualTo(500);
                });
        assertThat(sim.requestCount("/v3/jobs")).isEqualTo(4); // first try + maxRetries (3)
    }

    @Test
    void validationErrorIsNotRetriedAndCarriesTheBody() {
        assertThatThrownBy(() -> client.post("candidates", Map.of("first_name", "Only")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.responseBody()).contains("Validation error").contains("last_name");
                });
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(1);
    }

    @Test
    void notFoundIsNotRetried() {
        assertThatThrownBy(() -> client.patch("candidates/999999", Map.of("title", "x")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.status()).isEqualTo(404);
                });
        assertThat(sim.requestCount("/v3/candidates/999999")).isEqualTo(1);
    }

    @Test
    void writesCreateAndUpdateRecordsAndFindByIdReadsThemBack() {
        long job = sim.store().job("Engineer").create();
        JsonNode created = client.post("candidates", Map.of("first_name", "Ada", "last_name", "Lovelace",
                "email_addresses", List.of(Map.of("value", "ada@example.com", "type", "personal")),
                "applications", List.of(Map.of("job_id", job))));
        long id = created.get("id").asLong();
        client.patch("candidates/" + id, Map.of("title", "Countess"));
        assertThat(client.findById("candidates", id)).get()
                .satisfies(c -> assertThat(c.get("title").asText()).isEqualTo("Countess"));
        assertThat(client.listByIds("applications", "candidate_ids", List.of(id), Map.of()))
                .singleElement().satisfies(a -> assertThat(a.get("job_id").asLong()).isEqualTo(job));
        assertThat(client.findById("candidates", 424242)).isEmpty();
    }

    @Test
    void listByIdsAsksInBatchesOfFifty() {
        List<Long> ids = seedCandidates(120);
        HarvestClient big = client(500);
        List<JsonNode> found = big.listByIds("candidates", "ids", ids, Map.of());
        assertThat(found).extracting(n -> n.get("id").asLong()).containsExactlyInAnyOrderElementsOf(ids);
        List<GreenhouseSimulator.Request> calls = sim.requests().stream().filter(r -> r.path().equals("/v3/candidates")).toList();
        assertThat(calls).hasSize(3).allSatisfy(r -> assertThat(r.status()).isEqualTo(200));
    }

    @Test
    void pacingFollowsTheHeadersSoTheLimitIsNeverHit() {
        seedCandidates(6);
        sim.setRateLimit(4, Duration.ofSeconds(1));
        HarvestClient small = client(1);
        assertThat(small.stream("candidates", Map.of()).count()).isEqualTo(6);
        assertThat(sim.countStatus(429)).isZero();
        assertThat(sim.requestCount("/v3/candidates")).isEqualTo(6);
    }

    @Test
    void downloadsAttachmentBytesFromTheLinkedUrl() {
        long c = sim.store().candidate("Res", "Ume").create();
        byte[] pdf = "%PDF-1.4 hello".getBytes();
        sim.store().addAttachment(c, null, "resume", "cv.pdf", pdf, "application/pdf");
        JsonNode attachment = client.listByIds("attachments", "candidate_ids", List.of(c), Map.of()).get(0);
        assertThat(client.download(attachment.get("url").asText())).isEqualTo(pdf);
    }

    @Test
    void aSuccessStatusWhoseBodyCarriesErrorsIsANonRetryableFailure() {
        sim.failNext("/v3/notes", 200, 1, "{\"message\":\"Validation error\",\"errors\":[{\"message\":\"body is too long\",\"field\":\"body\"}]}");
        assertThatThrownBy(() -> client.post("notes", Map.of("candidate_id", 1, "body", "x", "visibility", "public")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.retryable()).isFalse();
                    assertThat(e.responseBody()).contains("body is too long");
                });
        assertThat(sim.requestCount("/v3/notes")).isEqualTo(1);
    }

    @Test
    void concurrentCallersShareOneTokenRequest() throws Exception {
        seedCandidates(2);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(6);
        try {
            List<java.util.concurrent.Future<Long>> counts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                counts.add(pool.submit(() -> client.stream("candidates", Map.of()).count()));
            }
            for (java.util.concurrent.Future<Long> f : counts) {
                assertThat(f.get()).isEqualTo(2);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(sim.tokenRequests()).isEqualTo(1);
    }
}
