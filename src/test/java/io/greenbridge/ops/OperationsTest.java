package io.greenbridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.junit.jupiter.api.Test;

import io.greenbridge.sandbox.SandboxTest;

/** What operators watch: health with the store and both APIs, Prometheus metrics, JMX, the admin API's errors. */
class OperationsTest extends SandboxTest {

    HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthShowsTheStoreAndBothApis() throws Exception {
        HttpResponse<String> health = admin("GET", "/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"db\"", "\"greenhouse\"", "\"beamery\"");
        // anonymous callers get the status only: no components, no upstream URLs
        HttpResponse<String> anonymous = get("/actuator/health");
        assertThat(anonymous.statusCode()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\"").doesNotContain("greenhouse", "beamery", "url");
        assertThat(get("/actuator/health/liveness").statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
    }

    @Test
    void anonymousHealthCallsDoNotReachTheUpstreamApisEachTime() throws Exception {
        get("/actuator/health"); // fills the cache if it is empty
        long before = GREENHOUSE.requests().stream().filter(r -> r.method().equals("HEAD")).count();
        for (int i = 0; i < 20; i++) {
            assertThat(get("/actuator/health").statusCode()).isEqualTo(200);
        }
        long after = GREENHOUSE.requests().stream().filter(r -> r.method().equals("HEAD")).count();
        // one refresh at most, should the 30 s cache expire during the loop
        assertThat(after - before).isLessThanOrEqualTo(1);
    }

    @Test
    void prometheusExposesInboxAndDeadLetterGauges() throws Exception {
        assertThat(get("/actuator/prometheus").statusCode()).isEqualTo(401);
        HttpResponse<String> metrics = admin("GET", "/actuator/prometheus", null);
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("greenbridge_inbox_events", "greenbridge_dead_letters_open",
                "greenbridge_inbox_lag_seconds");
    }

    @Test
    void camelAndGreenbridgeMBeansAreRegistered() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        assertThat(server.queryNames(new ObjectName("org.apache.camel:type=routes,*"), null)).isNotEmpty();
        ObjectName inbox = new ObjectName("io.greenbridge:type=Inbox");
        assertThat(server.isRegistered(inbox)).isTrue();
        assertThat(server.getAttribute(inbox, "Pending")).isInstanceOf(Long.class);
    }

    @Test
    void unknownSyncFlowIsA404WithAJsonError() throws Exception {
        HttpResponse<String> r = admin("POST", "/api/sync/nonsense", null);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("\"error\":\"unknown_flow\"");
        assertThat(admin("POST", "/api/dead-letters/999999/replay", null).statusCode()).isEqualTo(404);
    }
}
