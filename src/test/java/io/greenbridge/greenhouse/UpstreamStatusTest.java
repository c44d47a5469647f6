package io.greenbridge.greenhouse;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.greenbridge.sandbox.HostileServer;
import io.greenbridge.sandbox.SandboxTest;

/** What an operator sees when Harvest misbehaves: a failed run with its reason, and a sub that is not a Site Admin. */
class UpstreamStatusTest extends SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Autowired
    SiteAdminCheck siteAdmin;

    @Test
    void aNextLinkToAnotherOriginFailsTheRunWithItsReasonInStatus() throws Exception {
        try (HostileServer elsewhere = new HostileServer().on("/", HostileServer.json("[]"))) {
            GREENHOUSE.forceNextLink("/v3/users", elsewhere.baseUrl() + "/v3/users?cursor=stolen");
            JsonNode run;
            try {
                run = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());
            } finally {
                GREENHOUSE.forceNextLink("/v3/users", null);
            }
            assertThat(run.path("status").asText()).isEqualTo("failed");
            JsonNode lastRun = JSON.readTree(admin("GET", "/api/status", null).body()).path("flows").path("reference").path("lastRun");
            assertThat(lastRun.path("status").asText()).isEqualTo("failed");
            assertThat(lastRun.path("message").asText()).contains("another origin").contains("token was not sent");
            assertThat(elsewhere.requests()).isEmpty();
        }
        // the next run, with honest links, succeeds again
        assertThat(JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body()).path("status").asText())
                .isEqualTo("succeeded");
    }

    @Test
    void aSubThatIsNotASiteAdminIsReportedInPlainWordsInTheLogHealthAndStatus() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(SiteAdminCheck.class);
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        logger.addAppender(logs);
        siteAdmin.refresh(); // settles any check a status read started, so the change below is logged here
        GREENHOUSE.siteAdmin(false);
        try {
            siteAdmin.refresh();

            assertThat(logs.list).anySatisfy(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.ERROR);
                assertThat(e.getFormattedMessage()).contains("not a Site Admin").contains("GREENHOUSE_USER_ID");
            });
            HttpResponse<String> health = health();
            JsonNode component = JSON.readTree(health.body()).path("components").path("greenhouseSiteAdmin");
            assertThat(component.path("status").asText()).isEqualTo("DOWN");
            assertThat(component.path("details").path("message").asText()).contains("not a Site Admin");
            JsonNode access = JSON.readTree(admin("GET", "/api/status", null).body()).path("greenhouseAccess");
            assertThat(access.path("siteAdmin").asBoolean(true)).isFalse();
            assertThat(access.path("message").asText()).contains("nothing from Greenhouse will sync");

            // the answer is cached: health and status do not ask Harvest on every request
            GREENHOUSE.clearRequests();
            health();
            admin("GET", "/api/status", null);
            assertThat(GREENHOUSE.requestCount("/v3/users")).isZero();
        } finally {
            GREENHOUSE.siteAdmin(true);
            logger.detachAppender(logs);
        }
        siteAdmin.refresh();
        assertThat(JSON.readTree(health().body()).path("components").path("greenhouseSiteAdmin").path("status").asText())
                .isEqualTo("UP");
    }

    private HttpResponse<String> health() throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
    }
}
