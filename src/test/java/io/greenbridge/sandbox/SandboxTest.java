package io.greenbridge.sandbox;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the flow tests: Greenbridge on a random port talking over real HTTP to one Greenhouse and one Beamery
 * simulator per JVM. Sharing them keeps one Spring context for all flow tests, so each test uses its own ids
 * and emails instead of resetting the simulators.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@AutoConfigureObservability(tracing = false) // tests switch metrics export off unless asked; operators rely on it
public abstract class SandboxTest {
    protected static final GreenhouseSimulator GREENHOUSE = new GreenhouseSimulator();
    protected static final BeamerySimulator BEAMERY = new BeamerySimulator();
    protected static final String WEBHOOK_SECRET = "test-webhook-secret";
    protected static final String ADMIN_TOKEN = "test-admin-token";

    @DynamicPropertySource
    static void simulators(DynamicPropertyRegistry registry) {
        registry.add("greenbridge.greenhouse.harvest-url", GREENHOUSE::baseUrl);
        registry.add("greenbridge.greenhouse.auth-url", GREENHOUSE::baseUrl);
        registry.add("greenbridge.beamery.api-url", BEAMERY::baseUrl);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected JdbcTemplate jdbc;

    protected final HttpClient http = HttpClient.newHttpClient();
    protected final GreenhouseWebhookSender webhooks = new GreenhouseWebhookSender(WEBHOOK_SECRET);
    protected final GreenhouseWebhookPayloads payloads = new GreenhouseWebhookPayloads(GREENHOUSE);

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Delivers a signed webhook as Greenhouse does; returns the HTTP status. */
    protected int deliver(String action, String body) {
        return webhooks.send(baseUrl() + "/webhooks/greenhouse", action, body);
    }

    /** Waits until the inbox has worked off everything it accepted. */
    protected void awaitInboxIdle() {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM webhook_inbox WHERE status IN ('pending','processing')", Integer.class) == 0);
    }

    /** Calls the admin API with the bearer token; {@code body} may be null. */
    protected HttpResponse<String> admin(String method, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
