package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.greenhouse.HarvestClient;

/**
 * Greenhouse → Beamery against the documented v3 shapes: application-stage ids are not job interview stage ids,
 * and records Beamery already holds for a Greenhouse id (native connector, restored store) are adopted.
 */
class UpstreamRecordsInboundTest extends ContactsTestSupport {
    @Autowired
    HarvestClient harvest;

    @Test
    void theContactsVacancyStageIsTheJobInterviewStageNotTheApplicationStageId() {
        long job = jobWithVacancy(unique("Stage Ids"));
        List<ObjectNode> stages = GH.stages(job);
        long candidate = candidate("Stagey", email("stagey"));
        long app = GH.apply(candidate, job);
        GH.move(app, stages.get(2).get("id").asLong());
        ObjectNode application = GH.get("applications", app);
        long applicationStage = application.get("stage_id").asLong();
        assertThat(applicationStage).as("two id spaces").isNotEqualTo(stages.get(2).get("id").asLong());
        assertThat(GH.find("job_interview_stages", applicationStage)).isEmpty();
        List<JsonNode> current = harvest.stream("application_stages",
                Map.of("application_ids", String.valueOf(app), "current", "true")).toList();
        assertThat(current).singleElement().satisfies(s -> {
            assertThat(s.get("id").asLong()).isEqualTo(applicationStage);
            assertThat(s.get("job_interview_stage_id").asLong()).isEqualTo(stages.get(2).get("id").asLong());
        });

        deliver("candidate_stage_change", payloads.candidateStageChange(app));
        awaitInboxIdle();

        String expected = "gh-stage-" + stages.get(2).get("id").asLong();
        JsonNode link = vacancyLink(contactOf(candidate), vacancyOf(job));
        assertThat(link).as("the contact is on the vacancy at one of its stages").isNotNull();
        assertThat(link.path("stage").path("id").asText()).isEqualTo(expected);
        assertThat(BEAMERY.vacancy(vacancyOf(job)).orElseThrow().path("stages").findValuesAsText("id")).contains(expected);
    }

    @Test
    void aNewCandidateCostsOneBeameryRead() {
        long job = jobWithVacancy(unique("One Read"));
        long candidate = candidate("Reader", email("one-read"));
        GH.apply(candidate, job);
        awaitInboxIdle();
        int before = BEAMERY.requests().size();

        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();

        List<String> reads = BEAMERY.requests().subList(before, BEAMERY.requests().size()).stream()
                .filter(r -> r.method().equals("GET") && r.path().startsWith("/contact")).map(r -> r.path() + "?" + r.query()).toList();
        // (the vacancy's title for the echo state is read once per vacancy and kept)
        assertThat(reads).as("the contact reads: the search by email, no search by integration id, no read after the create")
                .singleElement().satisfies(r -> assertThat(r).startsWith("/contacts?").contains("email="));
        assertThat(matcher.linkedContact(String.valueOf(candidate))).isPresent();
    }

    @Test
    void aContactCarryingTheGreenhouseIdUnderAnotherEmailIsAdoptedByThePollBeforeTheFirstWebhook() throws Exception {
        long candidate = candidate("Native", email("native"));
        ObjectNode fields = JSON.createObjectNode().put("firstName", "Native").put("lastName", "Connector")
                .put("primaryEmail", email("other-address")); // an address Greenhouse does not know: email matching misses it
        fields.putObject("integrations").putObject("greenhouse").put("id", String.valueOf(candidate));
        String existing = BEAMERY.createContact(fields);
        var poll = admin("POST", "/api/sync/beamery?wait=true", null);
        assertThat(poll.statusCode()).as(poll.body()).isEqualTo(200);

        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();

        assertThat(matcher.linkedContact(String.valueOf(candidate))).contains(existing);
        assertThat(BEAMERY.contacts().stream().filter(c -> String.valueOf(candidate)
                .equals(c.path("integrations").path("greenhouse").path("id").asText()))).hasSize(1);
    }

    @Test
    void firstSightOfAJobAdoptsTheVacancyCarryingItsIdOrItsRequisitionId() {
        String name = unique("Adopted Job");
        long byId = GH.job(name).create();
        ObjectNode carrying = JSON.createObjectNode().put("title", name + " (native)");
        carrying.putObject("integrations").putObject("greenhouse").put("id", String.valueOf(byId));
        String carryingVacancy = BEAMERY.createVacancy(carrying);
        String req = unique("REQ");
        long byRequisition = GH.job(name + " 2").requisitionId(req).create();
        String requisitionVacancy = BEAMERY.createVacancy(JSON.createObjectNode().put("title", name + " 2 (native)")
                .put("requisitionId", req + "-" + byRequisition));
        int before = BEAMERY.vacancies().size();

        deliver("job_created", payloads.jobCreated(byId));
        deliver("job_created", payloads.jobCreated(byRequisition));
        awaitInboxIdle();

        assertThat(links.byGreenhouseId("job", String.valueOf(byId))).get().extracting(l -> l.beameryId()).isEqualTo(carryingVacancy);
        assertThat(links.byGreenhouseId("job", String.valueOf(byRequisition))).get().extracting(l -> l.beameryId())
                .isEqualTo(requisitionVacancy);
        assertThat(BEAMERY.vacancies()).as("no second vacancy").hasSize(before);
        assertThat(BEAMERY.vacancy(carryingVacancy).orElseThrow().path("title").asText()).as("then synced").isEqualTo(name);
    }

    @Test
    void aMergeWhoseSurvivorHasAnUnlinkedContactEndsWithOneContact() {
        String survivorMail = email("survivor");
        long survivor = candidate("Survivor", survivorMail);
        long duplicate = candidate("Duplicate", email("duplicate"));
        deliver("update_candidate", payloads.updateCandidate(duplicate));
        awaitInboxIdle();
        String loser = contactOf(duplicate).path("id").asText();
        ObjectNode native_ = JSON.createObjectNode().put("firstName", "Survivor").put("lastName", "Tester").put("primaryEmail", survivorMail);
        native_.putObject("integrations").putObject("greenhouse").put("id", String.valueOf(survivor));
        String winner = BEAMERY.createContact(native_); // made by Beamery's native connector: no link in our store
        assertThat(matcher.linkedContact(String.valueOf(survivor))).isEmpty();

        mergeInGreenhouse(survivor, duplicate);

        assertThat(BEAMERY.contact(loser).orElseThrow().path("mergedIn").asText()).isEqualTo(winner);
        assertThat(matcher.linkedContact(String.valueOf(survivor))).contains(winner);
        assertThat(matcher.linkedContact(String.valueOf(duplicate))).isEmpty();
        List<String> ids = List.of(String.valueOf(survivor), String.valueOf(duplicate));
        assertThat(BEAMERY.contacts().stream().filter(c -> !c.hasNonNull("mergedIn"))
                .filter(c -> ids.contains(c.path("integrations").path("greenhouse").path("id").asText())))
                .as("one live contact for the person").hasSize(1);
    }
}
