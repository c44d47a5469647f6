package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.support.RemoteCallException;

/** Beamery → Greenhouse writes in the shapes Harvest v3 documents (corrections.md), against the stricter simulator. */
class UpstreamWritesTest extends OutboundTestSupport {
    @Autowired
    HarvestClient harvest;

    /** A job with a linked vacancy whose stages are gh-stage-<job interview stage id>; returns [job, vacancy]. */
    private Object[] linkedJob(String name, String... stages) {
        long job = GREENHOUSE.store().job(name + " " + System.nanoTime()).stages(stages).create();
        ObjectNode fields = JSON.createObjectNode().put("title", name);
        for (ObjectNode stage : GREENHOUSE.store().stages(job)) {
            fields.withArray("stages").addObject().put("id", "gh-stage-" + stage.path("id").asLong())
                    .put("name", stage.path("name").asText());
        }
        String vacancy = BEAMERY.createVacancy(fields);
        links.put("job", String.valueOf(job), vacancy, null);
        return new Object[] {job, vacancy};
    }

    private long applicationOf(long candidateId) {
        return GREENHOUSE.store().where("applications", a -> a.path("candidate_id").asLong() == candidateId).get(0).get("id").asLong();
    }

    @Test
    void aStageMoveSendsTheApplicationStageIdFromAndTheInterviewStageIdTo() throws Exception {
        Object[] jv = linkedJob("Mover", "Application Review", "Onsite", "Offer");
        long job = (long) jv[0];
        String vacancy = (String) jv[1];
        List<ObjectNode> stages = GREENHOUSE.store().stages(job);
        String id = newContact("Katherine", "Johnson");
        BEAMERY.addContactToVacancy(id, vacancy, "gh-stage-" + stages.get(0).path("id").asLong());
        poll();
        long ghId = Long.parseLong(links.byBeameryId("candidate", id).orElseThrow().greenhouseId());
        long app = applicationOf(ghId);
        long applicationStage = GREENHOUSE.store().get("applications", app).path("stage_id").asLong();

        BEAMERY.addContactToVacancy(id, vacancy, "gh-stage-" + stages.get(2).path("id").asLong());
        poll();

        ObjectNode now = GREENHOUSE.store().get("applications", app);
        assertThat(now.path("stage_name").asText()).isEqualTo("Offer");
        assertThat(now.path("job_interview_stage_id").asLong()).isEqualTo(stages.get(2).path("id").asLong());
        assertThat(GREENHOUSE.store().bodies("POST applications/{id}/move")).anySatisfy(b -> {
            assertThat(b.path("from_stage_id").asLong()).as("the application-stage id").isEqualTo(applicationStage);
            assertThat(b.path("to_stage_id").asLong()).as("the job interview stage id").isEqualTo(stages.get(2).path("id").asLong());
        });
    }

    @Test
    void theSimulatorRefusesAMoveThatMixesTheIdSpaces() {
        Object[] jv = linkedJob("Mixup", "Application Review", "Offer");
        long job = (long) jv[0];
        List<ObjectNode> stages = GREENHOUSE.store().stages(job);
        long candidate = GREENHOUSE.store().candidate("Mix", "Up").create();
        long app = GREENHOUSE.store().apply(candidate, job);

        assertThatThrownBy(() -> harvest.post("applications/" + app + "/move",
                Map.of("from_stage_id", stages.get(0).path("id").asLong(), "to_stage_id", stages.get(1).path("id").asLong())))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(422);
                    assertThat(e.responseBody()).contains("job interview stage id");
                });
        assertThat(GREENHOUSE.store().get("applications", app).path("stage_name").asText()).isEqualTo("Application Review");
    }

    @Test
    void aNoteCarriesNoteTypeApplicationUserVisibilityAndBody() throws Exception {
        Object[] jv = linkedJob("Noted", "Application Review", "Offer");
        String id = newContact("Dorothy", "Vaughan");
        BEAMERY.addContactToVacancy(id, (String) jv[1], null);
        poll();
        long ghId = Long.parseLong(links.byBeameryId("candidate", id).orElseThrow().greenhouseId());
        long app = applicationOf(ghId);
        String author = BEAMERY.addUser("author." + System.nanoTime() + "@greenbridge.example", "Ann", "Author", "recruiter");

        BEAMERY.addNote(id, author, "Strong FORTRAN", false);
        poll();

        assertThat(GREENHOUSE.store().bodies("POST notes")).anySatisfy(b -> {
            assertThat(b.path("candidate_id").asLong()).isEqualTo(ghId);
            assertThat(b.path("application_id").asLong()).isEqualTo(app);
            assertThat(b.path("user_id").canConvertToLong()).isTrue();
            assertThat(b.path("body").asText()).isEqualTo("Strong FORTRAN");
            assertThat(b.path("visibility").asText()).isEqualTo("public");
            assertThat(b.path("note_type").asText()).isEqualTo("NOTE");
        });
        assertThat(GREENHOUSE.store().where("notes", n -> n.path("candidate_id").asLong() == ghId))
                .singleElement().satisfies(n -> {
                    assertThat(n.path("type").asText()).isEqualTo("NOTE");
                    assertThat(n.path("application_id").asLong()).isEqualTo(app);
                });
    }

    @Test
    void anAsynchronousCreateIsNeverLinkedToIdZeroAndIsLinkedByEmailOnceGreenhouseHasIt() throws Exception {
        ObjectNode fields = contactFields("Annie", "Easley");
        String email = fields.path("primaryEmail").asText();
        String id = BEAMERY.createContact(fields);
        GREENHOUSE.store().answerCreatesAsync(true);
        GREENHOUSE.store().holdAsyncCreates(true);
        JsonNode first;
        try {
            first = pushOne(id);
            assertThat(first.path("outcome").asText()).isEqualTo("pending");
            assertThat(first.path("greenhouseId").isNull() || first.path("greenhouseId").isMissingNode()).isTrue();
            assertThat(links.byBeameryId("candidate", id)).as("never linked to a missing id").isEmpty();
            assertThat(links.byGreenhouseId("candidate", "0")).isEmpty();
            int mark = greenhouseLogSize();
            poll();
            assertThat(greenhouseWrites("/v3/candidates", mark)).as("not created a second time").isZero();
        } finally {
            GREENHOUSE.store().answerCreatesAsync(false);
            GREENHOUSE.store().holdAsyncCreates(false);
            GREENHOUSE.store().releaseHeldCreates();
        }

        poll();

        long ghId = candidateByEmail(email).orElseThrow().path("id").asLong();
        assertThat(links.byBeameryId("candidate", id)).get().extracting(l -> l.greenhouseId()).isEqualTo(String.valueOf(ghId));
        assertThat(beameryContact(id).path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(ghId));
        assertThat(GREENHOUSE.store().where("candidates", c -> c.toString().contains(email))).hasSize(1);
    }

    @Test
    void anAsynchronousCreateWhoseCandidateIsListedAtOnceIsLinkedInTheSamePush() throws Exception {
        String id = newContact("Mary", "Jackson");
        GREENHOUSE.store().answerCreatesAsync(true);
        JsonNode result;
        try {
            result = pushOne(id);
        } finally {
            GREENHOUSE.store().answerCreatesAsync(false);
        }
        assertThat(result.path("outcome").asText()).isEqualTo("created");
        assertThat(result.path("greenhouseId").asLong()).isPositive();
        assertThat(links.byBeameryId("candidate", id)).get().extracting(l -> l.greenhouseId())
                .isEqualTo(result.path("greenhouseId").asText());
    }

    @Test
    void aRefusedCreateNamesTheFieldGreenhouseWants() throws Exception {
        JsonNode result = pushOne(newContact("Nameless", null));
        assertThat(result.path("outcome").asText()).isEqualTo("failed");
        assertThat(result.path("message").asText()).contains("HTTP 422", "last_name is required");
    }
}
