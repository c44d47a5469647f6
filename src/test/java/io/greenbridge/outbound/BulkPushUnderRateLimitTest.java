package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A bulk push of 500 contacts while Greenhouse answers 429s: every contact arrives once, and apart from the
 * 429s Greenhouse chose to send, no call is refused for exceeding its window (the shared limiter paces the pool).
 * About 30 s: Beamery's 40 requests/s budget allows no less for 1,000 Beamery calls.
 */
class BulkPushUnderRateLimitTest extends OutboundTestSupport {
    static final int CONTACTS = 500;
    static final int FORCED_429 = 3;

    @AfterEach
    void restoreGreenhouseDefaults() {
        GREENHOUSE.setRateLimit(50, Duration.ofSeconds(10));
    }

    @Test
    void everyContactOfABulkPushArrivesOnceWhileGreenhouseRateLimits() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < CONTACTS; i++) {
            ids.add(newContact("Bulk" + i, "Person"));
        }
        GREENHOUSE.setRateLimit(100, Duration.ofSeconds(1));
        GREENHOUSE.rateLimitNext(FORCED_429, 1);
        int mark = greenhouseLogSize();

        List<JsonNode> results = push(ids.toArray(String[]::new));

        assertThat(results).hasSize(CONTACTS).allSatisfy(r -> assertThat(r.path("outcome").asText()).as(r.toString()).isEqualTo("created"));
        for (String id : ids) {
            String email = beameryContact(id).path("primaryEmail").asText();
            assertThat(candidateByEmail(email)).as(email).isPresent();
        }
        assertThat(results.stream().map(r -> r.path("greenhouseId").asLong()).distinct().count()).isEqualTo(CONTACTS);
        long rateLimited = GREENHOUSE.requests().stream().skip(mark).filter(r -> r.status() == 429).count();
        // the forced ones, plus at most the calls already in flight when the first 429 arrived
        assertThat(rateLimited).isBetween((long) FORCED_429, (long) FORCED_429 + 4);
    }
}
