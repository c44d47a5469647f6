package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.sandbox.SandboxTest;

/** routes/error-handling.yaml (greenbridge-errors) as the reference flow meets it, against the simulators. */
class ErrorHandlingRouteTest extends SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anOutageLongerThanTheClientsRetriesIsRedeliveredAtTheFailingStep() throws Exception {
        // the client makes 1 + 5 attempts; the 7th (Camel's first redelivery of list-beamery-sources) fails too
        long before = BEAMERY.requestCount("GET /sources");
        BEAMERY.failNext("/sources", 503, 7);

        JsonNode run = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());

        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        assertThat(BEAMERY.requestCount("GET /sources") - before).isEqualTo(8);
    }

    @Test
    void anOutageThatOutlastsTheRedeliveriesFailsTheRunForTheNextTick() throws Exception {
        // (1 + 5 client attempts) x (1 delivery + 2 redeliveries), all consumed by this run
        BEAMERY.failNext("/departments", 503, 18);

        JsonNode run = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());

        assertThat(run.path("status").asText()).isEqualTo("failed");
        assertThat(run.path("message").asText()).contains("GET /departments").contains("503");
        assertThat(JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body()).path("status").asText())
                .as("the next run, the outage over").isEqualTo("succeeded");
    }
}
