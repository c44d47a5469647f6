package io.greenbridge.bench;

import static io.greenbridge.bench.BenchReport.round;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.SandboxTest;

/**
 * "Add to Greenhouse" for 200 contacts in one call (-Dbench.push.contacts) at the benchmark limits
 * ({@link BenchLimits}): the time taken beside the floor of the slower API for the requests made, and requests per
 * contact on each side.
 */
@Tag("bench")
class BulkPushBenchmark extends SandboxTest {
    static final int CONTACTS = Integer.getInteger("bench.push.contacts", 200);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    HarvestClient harvest;
    @Autowired
    BeameryClient beamery;

    @DynamicPropertySource
    static void limits(DynamicPropertyRegistry registry) {
        BenchLimits.register(registry);
    }

    @AfterEach
    void restoreSimulatorDefaults() {
        BenchLimits.restore(GREENHOUSE, BEAMERY);
    }

    @Test
    void bulkPush() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < CONTACTS; i++) {
            String email = "bench." + run + "." + i + "@example.com";
            ObjectNode c = JSON.createObjectNode().put("firstName", "Bench" + i).put("lastName", "Contact").put("primaryEmail", email);
            c.putArray("emails").add(email);
            c.putArray("tags").add("bench");
            body.withArray("contactIds").add(BEAMERY.createContact(c));
        }
        BenchLimits.apply(GREENHOUSE, BEAMERY);
        long harvestBefore = harvest.requestCount();
        long beameryBefore = beamery.requestCount();
        int logMark = GREENHOUSE.requests().size();

        long start = System.nanoTime();
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/greenhouse/push"))
                .header("Authorization", "Bearer " + ADMIN_TOKEN).header("Content-Type", "application/json")
                .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                HttpResponse.BodyHandlers.ofString());
        double seconds = (System.nanoTime() - start) / 1e9;

        assertThat(response.statusCode()).isEqualTo(200);
        List<String> outcomes = new ArrayList<>();
        JSON.readTree(response.body()).path("results").forEach(r -> outcomes.add(r.path("outcome").asText()));
        long created = outcomes.stream().filter("created"::equals).count();
        long harvestCalls = harvest.requestCount() - harvestBefore;
        long beameryCalls = beamery.requestCount() - beameryBefore;
        long rateLimited = GREENHOUSE.requests().stream().skip(logMark).filter(r -> r.status() == 429).count();
        new BenchReport("bulk-push")
                .put("contacts", CONTACTS)
                .put("created", created)
                .put("harvestLimit", BenchLimits.harvestLimit())
                .put("beameryLimit", BenchLimits.beameryLimit())
                .put("seconds", seconds, BenchLimits.floor(harvestCalls, beameryCalls))
                .put("harvestRequests", harvestCalls)
                .put("beameryRequests", beameryCalls)
                .put("harvestRequestsPerContact", round((double) harvestCalls / CONTACTS))
                .put("beameryRequestsPerContact", round((double) beameryCalls / CONTACTS))
                .put("greenhouse429s", rateLimited)
                .publish();
        assertThat(created).isEqualTo(CONTACTS);
    }
}
