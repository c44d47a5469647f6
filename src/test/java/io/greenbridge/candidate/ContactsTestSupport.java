package io.greenbridge.candidate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.sandbox.GreenhouseStore;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.store.LinkStore;

/** Seeding helpers for the contact flow tests: jobs with vacancies, candidates with unique emails. */
abstract class ContactsTestSupport extends SandboxTest {
    static final ObjectMapper JSON = new ObjectMapper();
    static final GreenhouseStore GH = GREENHOUSE.store();

    @Autowired
    LinkStore links;
    @Autowired
    CandidateSync candidateSync;
    @Autowired
    ContactMatcher matcher;

    @BeforeAll
    static void roomyHarvestLimit() {
        GREENHOUSE.setRateLimit(100_000, Duration.ofSeconds(10)); // these tests are about contacts, not pacing
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String email(String who) {
        return unique(who) + "@example.com";
    }

    /** A Greenhouse job with a Beamery vacancy whose stages are gh-stage-<stage id>, linked as the vacancy flow does. */
    long jobWithVacancy(String name) {
        long job = GH.job(name).create();
        ObjectNode vacancy = JSON.createObjectNode().put("title", name);
        ArrayNode stages = vacancy.putArray("stages");
        int order = 1;
        for (ObjectNode s : GH.stages(job)) {
            stages.addObject().put("id", "gh-stage-" + s.get("id").asLong()).put("name", s.get("name").asText()).put("order", order++);
        }
        links.put("job", String.valueOf(job), BEAMERY.createVacancy(vacancy), null);
        return job;
    }

    String vacancyOf(long job) {
        return links.byGreenhouseId("job", String.valueOf(job)).orElseThrow().beameryId();
    }

    long candidate(String first, String email) {
        return GH.candidate(first, "Tester").email(email).create();
    }

    ObjectNode contactOf(long candidateId) {
        String id = matcher.linkedContact(String.valueOf(candidateId)).orElseThrow(() -> new AssertionError("no contact for " + candidateId));
        return BEAMERY.contact(id).orElseThrow();
    }

    List<ObjectNode> contactsWithEmail(String email) {
        return BEAMERY.contacts().stream().filter(c -> c.path("emails").toString().contains(email)).toList();
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** The vacancy stage an application is in: Beamery stages carry job interview stage ids, not stage_id. */
    static String stageId(long applicationId) {
        return "gh-stage-" + GH.get("applications", applicationId).get("job_interview_stage_id").asLong();
    }

    static JsonNode vacancyLink(JsonNode contact, String vacancyId) {
        for (JsonNode v : contact.path("vacancies")) {
            if (vacancyId.equals(v.path("id").asText())) {
                return v;
            }
        }
        return null;
    }

    /** Merges duplicate into survivor in Greenhouse and delivers its merge_candidate webhook, then waits for the inbox. */
    void mergeInGreenhouse(long survivor, long duplicate) {
        GH.merge(survivor, duplicate);
        deliver("merge_candidate", payloads.mergeCandidate(duplicate, survivor));
        awaitInboxIdle();
    }
}
