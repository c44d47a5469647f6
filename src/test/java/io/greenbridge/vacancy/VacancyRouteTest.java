package io.greenbridge.vacancy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.model.SplitDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.routes.RouteModel;
import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.sync.SyncSummary;

/**
 * routes/vacancy-sync.yaml step by step (ids are the steps' JMX names): the link check decides create, update or
 * nothing; the writes of a chunk run in parallel on Camel's vacancy-writes pool, never two for one job; webhooks use
 * the same per-job route. The Beamery writes are advised with watchers around the real calls: a context of its own.
 */
@CamelSpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class VacancyRouteTest extends SandboxTest {
    private static boolean advised;

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    VacancySync vacancies;

    /** Bodies sent to Beamery's simulator (POST /vacancy, PATCH /vacancy/{id}), seen just before each call. */
    private static final List<JsonNode> posts = new CopyOnWriteArrayList<>();
    private static final List<JsonNode> patches = new CopyOnWriteArrayList<>();
    /** Writes in flight now: overall, and per job. */
    private static final AtomicInteger inFlight = new AtomicInteger();
    private static final AtomicInteger maxInFlight = new AtomicInteger();
    private static final Map<String, AtomicInteger> perJob = new ConcurrentHashMap<>();
    private static final Set<String> twoAtOnce = ConcurrentHashMap.newKeySet();

    @BeforeEach
    void watchWrites() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(camel, "vacancy-create", a -> {
                a.weaveById("post-beamery-vacancy").before().process(e -> started(e, posts));
                a.weaveById("post-beamery-vacancy").after().process(VacancyRouteTest::ended);
            });
            AdviceWith.adviceWith(camel, "vacancy-job", a -> {
                a.weaveById("patch-beamery-vacancy").before().process(e -> started(e, patches));
                a.weaveById("patch-beamery-vacancy").after().process(VacancyRouteTest::ended);
            });
            advised = true;
        }
    }

    /** A write starts; it stays in flight a while (longer than the limiter's spacing), so parallel writers overlap. */
    private static void started(Exchange e, List<JsonNode> log) throws InterruptedException {
        log.add(e.getMessage().getBody(JsonNode.class).deepCopy());
        String job = e.getMessage().getHeader("jobId", String.class);
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        if (perJob.computeIfAbsent(job, k -> new AtomicInteger()).incrementAndGet() > 1) {
            twoAtOnce.add(job);
        }
        Thread.sleep(40);
    }

    private static void ended(Exchange e) {
        perJob.get(e.getMessage().getHeader("jobId", String.class)).decrementAndGet();
        inFlight.decrementAndGet();
    }

    @Test
    void theRunIsThePipelineAndWritesEachChunkInParallelOnACamelPool() {
        assertThat(RouteModel.ids(camel, "vacancy-sync")).containsSubsequence("open-window", "full-or-incremental",
                "plan-chunks", "each-chunk", "relate-chunk", "write-chunk-in-parallel", "sync-job", "mark-chunk-done",
                "close-window");
        assertThat(RouteModel.ids(camel, "vacancy-sync")).containsSubsequence("incremental-run", "list-changed-jobs",
                "remember-changed-jobs", "list-changed-stages", "list-changed-hiring-managers", "list-changed-job-owners",
                "read-touched-jobs", "full-run", "list-all-jobs", "remember-all-jobs");
        assertThat(((ToDefinition) RouteModel.step(camel, "vacancy-sync", "list-all-jobs").definition()).getEndpointUri())
                .startsWith("harvest:list").contains("resource=jobs");
        // the resume marker moves only after the chunk's parallel writes are all done
        assertThat(RouteModel.step(camel, "vacancy-sync", "mark-chunk-done").enclosing()).containsExactly("each-chunk");
        SplitDefinition parallel = (SplitDefinition) RouteModel.step(camel, "vacancy-sync", "write-chunk-in-parallel").definition();
        assertThat(parallel.getParallelProcessing()).isEqualTo("true");
        assertThat(parallel.getStopOnException()).isEqualTo("true");
        assertThat(parallel.getExecutorService()).isEqualTo("vacancy-writes");
        ThreadPoolProfile pool = camel.getExecutorServiceManager().getThreadPoolProfile("vacancy-writes");
        assertThat(pool).as("Camel thread pool profile vacancy-writes").isNotNull();
        assertThat(pool.getPoolSize()).isEqualTo(8); // greenbridge.vacancies.write-concurrency
    }

    @Test
    void theLinkCheckGuardsEveryWriteAndTheLockSpansIt() {
        List<String> ids = RouteModel.ids(camel, "vacancy-job");
        assertThat(ids).containsSubsequence("job-id", "confidential-guard", "lock-job", "bind-vacancy-mapping",
                "map-vacancy", "check-vacancy-link", "unlinked-job", "adopt-carried-vacancy", "create-update-or-leave",
                "unlock-job", "count-job");
        assertThat(RouteModel.step(camel, "vacancy-job", "create-vacancy").enclosing())
                .containsSubsequence("confidential-guard", "job-may-be-written", "write-job", "create-update-or-leave", "vacancy-is-new");
        assertThat(RouteModel.step(camel, "vacancy-job", "patch-beamery-vacancy").enclosing())
                .containsSubsequence("create-update-or-leave", "vacancy-changed", "update-unless-gone");
        ToDefinition patch = (ToDefinition) RouteModel.step(camel, "vacancy-job", "patch-beamery-vacancy").definition();
        assertThat(patch.getEndpointUri()).startsWith("beamery:call").contains("method=PATCH");
        ToDefinition post = (ToDefinition) RouteModel.step(camel, "vacancy-create", "post-beamery-vacancy").definition();
        assertThat(post.getEndpointUri()).startsWith("beamery:call").contains("method=POST")
                .containsAnyOf("path=/vacancy", "path=%2Fvacancy");
        assertThat(RouteModel.ids(camel, "vacancy-create")).containsSubsequence("vacancy-body", "post-beamery-vacancy",
                "link-created-vacancy");
        assertThat(RouteModel.step(camel, "vacancy-job", "unlock-job").enclosing()).containsSubsequence("write-job", "job-written");
        assertThat(((ToDefinition) RouteModel.step(camel, "vacancy-job", "map-vacancy").definition()).getEndpointUri())
                .isEqualTo("mapping:vacancy");
        assertThat(RouteModel.ids(camel, "vacancy-adopt")).containsSubsequence("search-vacancies-by-integration-id",
                "adopt-by-integration-id", "still-unlinked-with-requisition", "search-vacancies-by-requisition-id",
                "adopt-by-requisition-id");
        assertThat(RouteModel.ids(camel, "vacancy-close")).containsSubsequence("lock-closed-job", "check-vacancy-to-close",
                "close-if-open", "map-closed-vacancy", "patch-beamery-vacancy-closed", "record-vacancy-closed", "unlock-closed-job");
        ToDefinition close = (ToDefinition) RouteModel.step(camel, "vacancy-close", "patch-beamery-vacancy-closed").definition();
        assertThat(close.getEndpointUri()).startsWith("beamery:call").contains("method=PATCH");
        // webhooks: the same per-job route
        assertThat(((ToDefinition) RouteModel.step(camel, "vacancy-job-event", "sync-webhook-job").definition()).getEndpointUri())
                .isEqualTo("direct:vacancy-job");
    }

    @Test
    void aNewJobIsCreatedOnceAndLeftAloneUntilItChanges() throws Exception {
        String tag = unique();
        long job = GREENHOUSE.store().job("Route job " + tag).create();

        event("job_created", payloads.jobCreated(job));
        assertThat(bodiesFor(posts, tag)).singleElement().satisfies(b -> {
            assertThat(b.path("title").asText()).isEqualTo("Route job " + tag);
            assertThat(b.path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(job));
        });
        assertThat(BEAMERY.vacancies()).filteredOn(v -> v.path("integrations").path("greenhouse").path("id").asText()
                .equals(String.valueOf(job))).hasSize(1);

        event("job_updated", payloads.jobUpdated(job)); // same content: the hash stops it
        assertThat(bodiesFor(posts, tag)).hasSize(1);
        assertThat(bodiesFor(patches, tag)).isEmpty();

        GREENHOUSE.store().updateJob(job, j -> j.put("name", "Renamed route job " + tag));
        event("job_updated", payloads.jobUpdated(job));
        assertThat(bodiesFor(patches, tag)).singleElement().satisfies(b -> {
            assertThat(b.path("title").asText()).isEqualTo("Renamed route job " + tag);
            assertThat(b.has("ownerId")).as("the owner is set on create only").isFalse();
        });
        assertThat(bodiesFor(posts, tag)).hasSize(1);
    }

    @Test
    void aChunkIsWrittenInParallelButNeverTwoWritesForOneJob() {
        String tag = unique();
        for (int i = 0; i < 24; i++) {
            GREENHOUSE.store().job("Parallel " + i + " " + tag).create();
        }
        long secret = GREENHOUSE.store().job("Confidential parallel " + tag).confidential(true).create();
        maxInFlight.set(0);

        SyncSummary summary = new SyncSummary();
        vacancies.run(summary, vacancies.defaults().withBlockConfidential(true));

        assertThat(bodiesFor(posts, tag)).hasSize(24)
                .noneSatisfy(b -> assertThat(b.path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(secret)));
        assertThat(maxInFlight.get()).as("writes in flight at once").isGreaterThan(1).isLessThanOrEqualTo(8);
        assertThat(twoAtOnce).as("jobs written twice at once").isEmpty();
        assertThat(summary.failed.get()).isZero();
    }

    private void event(String action, String body) {
        Exchange done = producer.send("direct:greenhouse-job-event", e -> {
            e.getMessage().setHeader("GreenhouseAction", action);
            e.getMessage().setBody(body);
        });
        assertThat(done.getException()).isNull();
    }

    private static List<JsonNode> bodiesFor(List<JsonNode> sent, String tag) {
        return sent.stream().filter(b -> b.path("title").asText().endsWith(tag)).toList();
    }

    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
