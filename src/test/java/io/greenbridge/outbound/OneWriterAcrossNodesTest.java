package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.contact.CandidateLocks;

/**
 * One writer per Beamery contact across nodes: the push takes the contact's claim ("beamery:<id>" in
 * candidate_claims) before it matches or creates, so pushes racing each other or the poll — on this node or
 * another — end with exactly one Greenhouse candidate for the contact (the simulator's state is the judge).
 */
class OneWriterAcrossNodesTest extends OutboundTestSupport {
    @Autowired
    DataSource dataSource;

    @Test
    void concurrentPushesAndThePollCreateOneCandidate() throws Exception {
        long job = GREENHOUSE.store().job("Race " + System.nanoTime()).create();
        String vacancy = BEAMERY.createVacancy(JSON.createObjectNode().put("title", "Race"));
        links.put("job", String.valueOf(job), vacancy, null);
        ObjectNode fields = contactFields("Racing", "Contact");
        String email = fields.path("primaryEmail").asText();
        String id = BEAMERY.createContact(fields);
        BEAMERY.addContactToVacancy(id, vacancy, null); // the poll's vacancy rule pushes it too
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<JsonNode>> pushes = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                pushes.add(CompletableFuture.supplyAsync(() -> {
                    await(start);
                    try {
                        return pushOne(id);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, callers));
            }
            CompletableFuture<JsonNode> poll = CompletableFuture.supplyAsync(() -> {
                await(start);
                try {
                    return poll();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, callers);
            start.countDown();
            CompletableFuture.allOf(poll, pushes.get(0), pushes.get(1)).get(120, TimeUnit.SECONDS);

            assertThat(GREENHOUSE.store().where("candidates", c -> c.toString().contains(email))).hasSize(1);
            long ghId = Long.parseLong(links.byBeameryId("candidate", id).orElseThrow().greenhouseId());
            assertThat(pushes).allSatisfy(p -> assertThat(p.join().path("greenhouseId").asLong()).isEqualTo(ghId));
            List<String> outcomes = pushes.stream().map(p -> p.join().path("outcome").asText()).toList();
            assertThat(outcomes).isSubsetOf("created", "updated", "unchanged");
            assertThat(GREENHOUSE.store().bodies("POST candidates")).as("one create in all: " + outcomes)
                    .filteredOn(b -> b.toString().contains(email)).hasSize(1);
            assertThat(poll.join().path("failed").asInt()).isZero();
        } finally {
            callers.shutdownNow();
        }
    }

    @Test
    void aPushWaitsForTheContactClaimAnotherNodeHoldsAndNeverCreatesASecondCandidate() throws Exception {
        ObjectNode fields = contactFields("Claimed", "Elsewhere");
        String email = fields.path("primaryEmail").asText();
        String id = BEAMERY.createContact(fields);
        CandidateLocks otherNode = new CandidateLocks(dataSource); // another owner on the same database
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService nodeB = Executors.newSingleThreadExecutor();
        try {
            CompletableFuture<Long> created = CompletableFuture.supplyAsync(() -> otherNode.withCandidate("beamery:" + id, () -> {
                held.countDown();
                await(release);
                // node B's sync of this contact: it created and linked the candidate while holding the claim
                long ghId = GREENHOUSE.store().candidate("Claimed", "Elsewhere").email(email).create();
                links.put("candidate", String.valueOf(ghId), id, null);
                return ghId;
            }), nodeB);
            assertThat(held.await(10, TimeUnit.SECONDS)).isTrue();
            CompletableFuture<JsonNode> push = CompletableFuture.supplyAsync(() -> {
                try {
                    return pushOne(id);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(1500);
            assertThat(push).as("the push waits for the claim").isNotDone();
            assertThat(candidateByEmail(email)).as("nothing created while another node holds the contact").isEmpty();

            release.countDown();
            long ghId = created.get(30, TimeUnit.SECONDS);
            JsonNode result = push.get(60, TimeUnit.SECONDS);

            assertThat(GREENHOUSE.store().where("candidates", c -> c.toString().contains(email))).hasSize(1);
            assertThat(result.path("outcome").asText()).as(result.toString()).isEqualTo("updated");
            assertThat(result.path("greenhouseId").asLong()).isEqualTo(ghId);
        } finally {
            release.countDown();
            nodeB.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
