package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** YAML flows reload on edit; Java DSL routes survive; a broken edit keeps the running route. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class RouteReloadTest {
    static final Path DIR;

    static {
        try {
            DIR = Files.createTempDirectory("routes");
            Files.writeString(DIR.resolve("probe.yaml"), probe("/probe", "v1"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void routesDir(DynamicPropertyRegistry registry) {
        registry.add("camel.main.routes-include-pattern", () -> "file:" + DIR + "/*.yaml");
        registry.add("camel.main.routes-reload-directory", DIR::toString);
    }

    static String probe(String path, String answer) {
        return """
                - route:
                    id: probe%s
                    from:
                      uri: platform-http:%s
                      steps:
                        - setBody:
                            constant: "%s"
                """.formatted(path.replace("/", "-"), path, answer);
    }

    @LocalServerPort
    int port;
    final HttpClient http = HttpClient.newHttpClient();

    /** A route added in routes/ is behind the security chain like every endpoint: the admin token opens it. */
    String get(String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .header("Authorization", "Bearer test-admin-token").build(),
                HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body();
    }

    int anonymousGet(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    int webhookWithoutSignature() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/greenhouse"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    @Test
    void editsReloadLiveAndABrokenEditKeepsTheOldRoute() throws Exception {
        assertThat(get("/probe")).isEqualTo("200 v1");

        Files.writeString(DIR.resolve("probe.yaml"), probe("/probe", "v2"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/probe").equals("200 v2"));
        assertThat(webhookWithoutSignature()).as("the Java DSL intake route survives a reload").isEqualTo(401);

        Files.writeString(DIR.resolve("probe.yaml"), probe("/probe", "v3").replace("setBody", "setBodyy"));
        Thread.sleep(1500); // give the watcher time to see (and refuse) the broken file
        assertThat(get("/probe")).isEqualTo("200 v2");

        // Camel reloads the whole directory, so the broken file is mended before another file is added
        Files.writeString(DIR.resolve("probe.yaml"), probe("/probe", "v4"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/probe").equals("200 v4"));
        Files.writeString(DIR.resolve("extra.yaml"), probe("/probe2", "new"));
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/probe2").equals("200 new"));
        assertThat(anonymousGet("/probe2")).as("a hot-added route is denied by default").isEqualTo(401);
        assertThat(webhookWithoutSignature()).isEqualTo(401);
    }
}
