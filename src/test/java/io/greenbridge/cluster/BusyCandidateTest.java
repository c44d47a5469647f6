package io.greenbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.ActiveProfiles;

import io.greenbridge.contact.CandidateLocks;
import io.greenbridge.inbox.InboxStore;

/**
 * A candidate another worker holds never stalls the inbox: with a single worker, events of other candidates run
 * while it is held, and its own event waits without spending an attempt. A dead node's claimed events and candidate
 * claims are released at the next check-in, the attempt it was on not counted.
 */
@SpringBootTest(properties = {"greenbridge.inbox.dispatch-uri=direct:busy-flow", "greenbridge.inbox.workers=1",
        "greenbridge.cluster.check-in-interval=300ms", "greenbridge.cluster.hand-back-delay=100ms"})
@ActiveProfiles("test")
class BusyCandidateTest {
    static final List<String> PROCESSED = new CopyOnWriteArrayList<>();

    @TestConfiguration
    static class Flow {
        @Bean
        RouteBuilder busyFlowRoute() {
            return new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:busy-flow").routeId("busy-flow")
                            .process(e -> PROCESSED.add(e.getMessage().getHeader("GreenhouseEntityId", String.class)));
                }
            };
        }
    }

    @Autowired
    InboxStore inbox;
    @Autowired
    CandidateLocks locks;
    @Autowired
    JdbcTemplate jdbc;

    @Test
    void aBusyCandidateIsSkippedAndOtherCandidatesRunMeanwhile() throws Exception {
        CountDownLatch holding = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // a backfill (say) holds candidate 9001 for as long as the test wants
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> locks.withCandidate("9001", () -> {
            holding.countDown();
            waitFor(release);
        }));
        assertThat(holding.await(10, TimeUnit.SECONDS)).isTrue();
        accept(9001, "busy-1");
        for (int c = 9002; c <= 9011; c++) {
            accept(c, "free-" + c);
        }
        await().atMost(Duration.ofSeconds(15)).until(() -> PROCESSED.containsAll(
                java.util.stream.IntStream.rangeClosed(9002, 9011).mapToObj(String::valueOf).toList()));
        assertThat(PROCESSED).doesNotContain("9001");
        assertThat(jdbc.queryForMap("SELECT status, attempts FROM webhook_inbox WHERE event_id = 'busy-1'"))
                .containsEntry("STATUS", "pending").containsEntry("ATTEMPTS", 0);

        release.countDown();
        holder.get(10, TimeUnit.SECONDS);
        await().atMost(Duration.ofSeconds(10)).until(() -> PROCESSED.contains("9001"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "done".equals(jdbc.queryForObject(
                "SELECT status FROM webhook_inbox WHERE event_id = 'busy-1'", String.class)));
        assertThat(jdbc.queryForObject("SELECT attempts FROM webhook_inbox WHERE event_id = 'busy-1'", Integer.class))
                .as("the waits cost no attempt").isEqualTo(1);
    }

    @Test
    void aDeadNodesClaimsAreReleasedAtTheNextCheckInWithoutSpendingAnAttempt() {
        Timestamp longAgo = Timestamp.from(Instant.now().minusSeconds(60));
        jdbc.update("INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at) VALUES ('dead-node', ?, ?)", longAgo, longAgo);
        jdbc.update("INSERT INTO candidate_claims (claim_key, claimed_by, claimed_at) VALUES ('9101', 'dead-node', ?)", longAgo);
        accept(9101, "dead-1");
        jdbc.update("UPDATE webhook_inbox SET status = 'processing', claimed_by = 'dead-node', attempts = 1"
                + " WHERE event_id = 'dead-1'");

        await().atMost(Duration.ofSeconds(10)).until(() -> PROCESSED.contains("9101"));
        await().atMost(Duration.ofSeconds(5)).until(() -> "done".equals(jdbc.queryForObject(
                "SELECT status FROM webhook_inbox WHERE event_id = 'dead-1'", String.class)));
        assertThat(jdbc.queryForObject("SELECT attempts FROM webhook_inbox WHERE event_id = 'dead-1'", Integer.class))
                .isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM cluster_nodes WHERE node_id = 'dead-node'", Integer.class)).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM candidate_claims", Integer.class)).isZero();
    }

    void accept(long candidate, String eventId) {
        String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + candidate + "}}}";
        assertThat(inbox.accept(eventId, "content:" + eventId, "update_candidate", String.valueOf(candidate),
                "candidate:" + candidate, body, false)).isEqualTo(InboxStore.Acceptance.ACCEPTED);
    }

    static void waitFor(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
