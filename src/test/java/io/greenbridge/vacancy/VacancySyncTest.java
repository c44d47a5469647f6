package io.greenbridge.vacancy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.TextNode;

import io.greenbridge.sandbox.GreenhouseStore;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.store.CursorStore;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncSummary;

/** Greenhouse jobs reach Beamery as vacancies over HTTP against both simulators. */
class VacancySyncTest extends SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final AtomicInteger SEQ = new AtomicInteger();

    @Autowired
    VacancySync vacancies;
    @Autowired
    CursorStore cursors;

    private final GreenhouseStore gh = GREENHOUSE.store();

    @Test
    void everyRowOfTheVacancyTableReachesBeamery() throws Exception {
        String tag = unique();
        long manager = gh.addUser("Mia", "Manager", "mia." + tag + "@acme.example");
        long sourcer = gh.addUser("Sid", "Sourcer", "sid." + tag + "@acme.example");
        String bmManager = BEAMERY.addUser("MIA." + tag + "@ACME.example", "Mia", "Manager", "recruiter");
        String bmSourcer = BEAMERY.addUser("sid." + tag + "@acme.example", "Sid", "Sourcer", "sourcer");
        long dept = gh.addDepartment("Engineering " + tag);
        long london = gh.addOffice("London " + tag, "London, United Kingdom");
        long berlin = gh.addOffice("Berlin " + tag, "Berlin, Germany");
        long job = gh.job("Backend Engineer " + tag).requisitionId("REQ-" + tag).notes("<p>Build it</p>")
                .department(dept).offices(london, berlin).stages("Application Review", "Phone Screen", "Offer")
                .hiringManagers(manager).sourcer(sourcer)
                .customField("salary", "Salary", "number", IntNode.valueOf(85000)).create();
        long confidentialDraft = gh.job("Secret Project " + tag).confidential(true).status("draft")
                .customField("salary", "Salary", "short_text", TextNode.valueOf("Competitive")).create();

        JsonNode summary = JSON.readTree(admin("POST", "/api/sync/vacancies?wait=true", null).body());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("created").asInt()).isGreaterThanOrEqualTo(2);

        JsonNode v = vacancyOf(job);
        assertThat(v.path("title").asText()).isEqualTo("Backend Engineer " + tag);
        assertThat(v.path("requisitionId").asText()).isEqualTo("REQ-" + tag + "-" + job);
        String departmentId = v.path("departmentId").asText();
        assertThat(BEAMERY.departments()).anySatisfy(d -> {
            assertThat(d.path("id").asText()).isEqualTo(departmentId);
            assertThat(d.path("name").asText()).isEqualTo("Engineering " + tag);
        });
        assertThat(v.path("managerId").asText()).isEqualTo(bmManager);
        assertThat(v.path("sourcerIds")).containsExactly(TextNode.valueOf(bmSourcer));
        assertThat(v.path("description").asText()).isEqualTo("<p>Build it</p>");
        assertThat(v.path("location").path("address").asText()).contains("London, United Kingdom", "Berlin, Germany");
        assertThat(v.path("privacy").asText()).isEqualTo("public");
        assertThat(v.path("salary").asText()).isEqualTo("85000");
        List<ObjectNodeView> stages = stages(v);
        List<JsonNode> ghStages = gh.stages(job).stream().map(JsonNode.class::cast).toList();
        assertThat(stages).extracting(ObjectNodeView::name).containsExactly("Application Review", "Phone Screen", "Offer");
        assertThat(stages).extracting(ObjectNodeView::id)
                .containsExactlyElementsOf(ghStages.stream().map(s -> "gh-stage-" + s.path("id").asText()).toList());
        assertThat(v.path("status").asText()).isEqualTo("open");
        assertThat(v.path("ownerId").asText()).isEqualTo(BEAMERY.users().get(0).path("id").asText());
        assertThat(v.path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(job));

        JsonNode secret = vacancyOf(confidentialDraft);
        assertThat(secret.path("privacy").asText()).isEqualTo("private");
        assertThat(secret.path("status").asText()).isEqualTo("draft");
        assertThat(secret.path("salary").asText()).isEqualTo("Competitive");
        String generated = secret.path("requisitionId").asText();
        assertThat(generated).matches("GB-[0-9A-Z]{10}");

        // the generated requisition id is kept across updates; closing the job closes the vacancy
        gh.updateJob(confidentialDraft, j -> j.put("status", "closed"));
        vacancies.run(new SyncSummary());
        assertThat(vacancyOf(confidentialDraft).path("requisitionId").asText()).isEqualTo(generated);
        assertThat(vacancyOf(confidentialDraft).path("status").asText()).isEqualTo("closed");
    }

    @Test
    void anUnchangedJobCausesNoWriteAndAnUpdateMadeAfterASyncIsPickedUp() {
        long job = gh.job("Data Scientist " + unique()).create();
        vacancies.run(new SyncSummary());
        BEAMERY.clearRequestLog();

        SyncSummary again = new SyncSummary();
        vacancies.run(again);
        assertThat(BEAMERY.requestCount("POST /vacancy") + BEAMERY.requestCount("PATCH /vacancy")).isZero();
        assertThat(again.unchanged.get()).isGreaterThanOrEqualTo(1);

        gh.updateJob(job, j -> j.put("name", "Senior Data Scientist").put("notes", "now senior"));
        SyncSummary afterEdit = new SyncSummary();
        vacancies.run(afterEdit);
        assertThat(afterEdit.updated.get()).isEqualTo(1);
        assertThat(vacancyOf(job).path("title").asText()).isEqualTo("Senior Data Scientist");
        assertThat(vacancyOf(job).path("description").asText()).isEqualTo("now senior");
        assertThat(vacanciesOf(job)).hasSize(1);
    }

    @Test
    void pagesThroughThreeOrMorePagesOfJobsWithA429InTheMiddle() {
        vacancies.run(new SyncSummary()); // a cursor exists: the run below is incremental
        List<Long> jobs = List.of(gh.job("Paged A " + unique()).create(), gh.job("Paged B " + unique()).create(),
                gh.job("Paged C " + unique()).create(), gh.job("Paged D " + unique()).create(),
                gh.job("Paged E " + unique()).create());
        GREENHOUSE.clearRequests();
        // the first call after the job pages (stages changed since the cursor) is rate limited once
        GREENHOUSE.failNext("/v3/job_interview_stages", 429, 1);

        vacancies.run(new SyncSummary(), vacancies.defaults().withPerPage(2).withOverlap(Duration.ZERO));

        List<GreenhouseSimulatorRequests> log = GreenhouseSimulatorRequests.of(GREENHOUSE.requests());
        assertThat(log.stream().filter(r -> r.path().equals("/v3/jobs") && r.status() == 200).count()).isGreaterThanOrEqualTo(3);
        assertThat(log).anySatisfy(r -> assertThat(r.status()).isEqualTo(429));
        assertThat(log.stream().filter(r -> r.status() == 429).findFirst().orElseThrow().index())
                .isGreaterThan(log.stream().filter(r -> r.path().equals("/v3/jobs")).findFirst().orElseThrow().index());
        jobs.forEach(j -> assertThat(vacanciesOf(j)).hasSize(1));
    }

    @Test
    void aRunStoppedMidwayResumesBelowTheLastWrittenChunkWithoutDuplicates() {
        String tag = unique();
        long known = gh.addDepartment("Known " + tag);
        gh.job("Warm-up " + tag).department(known).create();
        vacancies.run(new SyncSummary()); // caches the known department and sets the cursor
        long fresh = gh.addDepartment("Fresh " + tag);
        long j3 = gh.job("Resume 3 " + tag).department(fresh).create();
        long j4 = gh.job("Resume 4 " + tag).department(fresh).create();
        long j5 = gh.job("Resume 5 " + tag).department(known).create();
        long j6 = gh.job("Resume 6 " + tag).department(known).create();
        // the simulator stamps edits strictly increasing, which can run a few ms ahead of the wall clock
        Instant lastStamp = Instant.parse(gh.get("jobs", j6).get("updated_at").asText());
        await().atMost(Duration.ofSeconds(5)).until(() -> Instant.now().isAfter(lastStamp));
        GREENHOUSE.clearRequests();
        // chunks of two, newest first: [j6, j5] are written, then reading the fresh department of [j4, j3] fails
        GREENHOUSE.failNext("/v3/departments", 503, 6); // every attempt of the one call (max-retries 5)

        VacancySync.Options twoPerChunk = vacancies.defaults().withPerPage(2).withOverlap(Duration.ZERO);
        assertThatThrownBy(() -> vacancies.run(new SyncSummary(), twoPerChunk)).isInstanceOf(RemoteCallException.class);
        assertThat(vacanciesOf(j6)).hasSize(1);
        assertThat(vacanciesOf(j5)).hasSize(1);
        assertThat(vacanciesOf(j4)).isEmpty();
        assertThat(cursors.get(VacancySync.RESUME)).isPresent();

        GREENHOUSE.clearRequests();
        SyncSummary resumed = new SyncSummary();
        vacancies.run(resumed, twoPerChunk);

        for (long j : List.of(j3, j4, j5, j6)) {
            assertThat(vacanciesOf(j)).hasSize(1);
        }
        assertThat(resumed.created.get()).isEqualTo(2);
        // the chunk written before the stop is not read again
        assertThat(GREENHOUSE.requests()).filteredOn(r -> r.query() != null && !r.query().startsWith("cursor="))
                .noneSatisfy(r -> assertThat(r.query()).contains(String.valueOf(j6)));
        assertThat(cursors.get(VacancySync.RESUME)).isEmpty();
    }

    @Test
    void confidentialJobsAreBlockedWhenConfigured() {
        String tag = unique();
        long secret = gh.job("Confidential " + tag).confidential(true).create();
        long open = gh.job("Public " + tag).create();
        SyncSummary summary = new SyncSummary();
        vacancies.run(summary, vacancies.defaults().withBlockConfidential(true));
        assertThat(vacanciesOf(secret)).isEmpty();
        assertThat(vacanciesOf(open)).hasSize(1);
        assertThat(summary.skipped.get()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void jobWebhooksUpdateTheVacancyAtOnce() {
        String tag = unique();
        long job = gh.job("Webhook job " + tag).stages("Application Review", "Take Home", "Offer").create();
        assertThat(deliver("job_created", payloads.jobCreated(job))).isEqualTo(200);
        awaitInboxIdle();
        assertThat(vacancyOf(job).path("title").asText()).isEqualTo("Webhook job " + tag);

        gh.updateJob(job, j -> j.put("name", "Renamed " + tag));
        deliver("job_updated", payloads.jobUpdated(job));
        awaitInboxIdle();
        assertThat(vacancyOf(job).path("title").asText()).isEqualTo("Renamed " + tag);

        long takeHome = gh.stages(job).get(1).get("id").asLong();
        gh.deleteStage(takeHome);
        deliver("job_interview_stage_deleted", payloads.jobInterviewStageDeleted(takeHome));
        awaitInboxIdle();
        assertThat(stages(vacancyOf(job))).extracting(ObjectNodeView::name).containsExactly("Application Review", "Offer");

        gh.updateJob(job, j -> j.put("status", "closed"));
        gh.deleteJob(job);
        deliver("job_deleted", payloads.jobDeleted(job));
        awaitInboxIdle();
        assertThat(vacancyOf(job).path("status").asText()).isEqualTo("closed");
        assertThat(vacanciesOf(job)).hasSize(1);
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    record ObjectNodeView(String id, String name, int order) {
    }

    record GreenhouseSimulatorRequests(int index, String path, String query, int status) {
        static List<GreenhouseSimulatorRequests> of(List<io.greenbridge.sandbox.GreenhouseSimulator.Request> log) {
            return java.util.stream.IntStream.range(0, log.size())
                    .mapToObj(i -> new GreenhouseSimulatorRequests(i, log.get(i).path(), log.get(i).query(), log.get(i).status()))
                    .toList();
        }
    }

    private static List<ObjectNodeView> stages(JsonNode vacancy) {
        List<ObjectNodeView> out = new java.util.ArrayList<>();
        vacancy.path("stages").forEach(s -> out.add(new ObjectNodeView(s.path("id").asText(), s.path("name").asText(), s.path("order").asInt())));
        return out;
    }

    private JsonNode vacancyOf(long jobId) {
        String id = jdbc.queryForObject("SELECT beamery_id FROM record_links WHERE kind = 'job' AND greenhouse_id = ?",
                String.class, String.valueOf(jobId));
        return BEAMERY.vacancy(id).orElseThrow();
    }

    private static List<JsonNode> vacanciesOf(long jobId) {
        return BEAMERY.vacancies().stream()
                .filter(v -> String.valueOf(jobId).equals(v.path("integrations").path("greenhouse").path("id").asText()))
                .map(JsonNode.class::cast).toList();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 6) + SEQ.incrementAndGet();
    }
}
