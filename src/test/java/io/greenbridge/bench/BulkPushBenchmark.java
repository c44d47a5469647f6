package io.greenbridge.bench;

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

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sandbox.SandboxTest;

/**
 * "Add to Greenhouse" for 2,000 contacts in one call (-Dbench.push.contacts), against a Greenhouse allowing
 * {@code bench.push.limit} calls per {@code bench.push.window-seconds}: the time taken over the Harvest rate-limit
 * floor (the least time those calls could take), and requests per contact on each side.
 */
@Tag("bench")
class BulkPushBenchmark extends SandboxTest {
    static final int CONTACTS = Integer.getInteger("bench.push.contacts", 2000);
    static final int LIMIT = Integer.getInteger("bench.push.limit", 300);
    static final int WINDOW_SECONDS = Integer.getInteger("bench.push.window-seconds", 10);
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    HarvestClient harvest;
    @Autowired
    BeameryClient beamery;

    @AfterEach
    void restoreGreenhouseDefaults() {
        GREENHOUSE.setRateLimit(50, Duration.ofSeconds(10));
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
        GREENHOUSE.setRateLimit(LIMIT, Duration.ofSeconds(WINDOW_SECONDS));
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
        double floor = Math.ceil((double) harvestCalls / LIMIT - 1) * WINDOW_SECONDS; // the last window need not end
        long rateLimited = GREENHOUSE.requests().stream().skip(logMark).filter(r -> r.status() == 429).count();
        new BenchReport("bulk-push")
                .put("contacts", CONTACTS)
                .put("created", created)
                .put("greenhouseLimit", LIMIT + " per " + WINDOW_SECONDS + " s")
                .put("seconds", round(seconds))
                .put("harvestRequests", harvestCalls)
                .put("harvestRequestsPerContact", round((double) harvestCalls / CONTACTS))
                .put("beameryRequestsPerContact", round((double) beameryCalls / CONTACTS))
                .put("rateLimitFloorSeconds", round(floor))
                .put("secondsOverFloor", round(seconds - floor))
                .put("timeOverFloorRatio", round(floor == 0 ? 0 : seconds / floor))
                .put("greenhouse429s", rateLimited)
                .publish();
        assertThat(created).isEqualTo(CONTACTS);
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
