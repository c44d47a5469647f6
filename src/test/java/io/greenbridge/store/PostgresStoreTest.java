package io.greenbridge.store;

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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.greenbridge.support.Sha256Signature;

/** The store on PostgreSQL: migrations (with Quartz's schema), intake, duplicates, worker and cursors. */
@EnabledIf("io.greenbridge.store.PostgresAvailable#reachable")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "greenbridge.inbox.dispatch-uri=direct:pg-recording-flow")
@ActiveProfiles("test")
class PostgresStoreTest {
    static final String URL = PostgresAvailable.reachable() ? PostgresAvailable.createDatabase() : null;
    static final List<String> PROCESSED = new CopyOnWriteArrayList<>();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> PostgresAvailable.USER);
        registry.add("spring.datasource.password", () -> "");
    }

    @AfterAll
    static void drop() {
        PostgresAvailable.dropDatabase(URL);
    }

    @TestConfiguration
    static class RecordingFlow {
        @Bean
        RouteBuilder pgRecordingFlow() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:pg-recording-flow").process(e ->
                            PROCESSED.add(e.getMessage().getHeader("GreenhouseEntityId", String.class)));
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    CursorStore cursors;
    @Autowired
    LinkStore links;

    final HttpClient http = HttpClient.newHttpClient();

    int post(String body, String eventId) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                .header("Signature", Sha256Signature.sign(bytes, "test-webhook-secret"))
                .header("Greenhouse-Event-ID", eventId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), HttpResponse.BodyHandlers.ofString())
                .statusCode();
    }

    @Test
    void runsOnPostgresqlWithQuartzSchema() {
        assertThat(jdbc.queryForObject("SELECT current_database()", String.class)).startsWith("greenbridge_test_");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM qrtz_locks", Integer.class)).isNotNull();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM flyway_schema_history WHERE success", Integer.class))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void webhookIsStoredOnceUnderConcurrentDuplicatesAndProcessed() throws Exception {
        String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":77,\"first_name\":\"Ada\"}}}";
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Integer>> codes = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            codes.add(pool.submit(() -> post(body, "pg-dup")));
        }
        for (Future<Integer> f : codes) {
            assertThat(f.get()).isEqualTo(200);
        }
        pool.shutdown();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE entity_id = '77'", Integer.class))
                .isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROCESSED.contains("77"));
        await().atMost(Duration.ofSeconds(5)).until(() ->
                "done".equals(jdbc.queryForObject("SELECT status FROM webhook_inbox WHERE entity_id = '77'", String.class)));
    }

    @Test
    void cursorsAndLinksRoundTrip() {
        cursors.put("vacancies", "2026-11-01T00:00:00Z");
        cursors.put("vacancies", "2026-11-02T00:00:00Z");
        assertThat(cursors.get("vacancies")).contains("2026-11-02T00:00:00Z");
        assertThat(links.put("job", "4001", "vac-1", "h1")).isTrue();
        assertThat(links.put("job", "4001", "vac-1", "h2")).isTrue();
        assertThat(links.byGreenhouseId("job", "4001")).get().extracting(LinkStore.Link::contentHash).isEqualTo("h2");
        assertThat(links.byBeameryId("job", "vac-1")).isPresent();
    }
}
