package io.greenbridge.vacancy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.reference.NamedRecordSync;
import io.greenbridge.reference.ReferenceCache;
import io.greenbridge.reference.UserDirectory;
import io.greenbridge.store.CursorStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * Route steps {@code bean: vacancyRun} of routes/vacancy-sync.yaml: the run's window (cursor {@value
 * VacancySync#CURSOR}, resume marker {@value VacancySync#RESUME}), the changed jobs in chunks of {@code per_page}
 * (newest id first), each chunk's related rows, users, departments and offices, and the bookkeeping after each
 * chunk and after the run. The run's state lives in exchange properties, so one bean serves every run.
 */
@Component("vacancyRun")
public class VacancyRun {
    /** Exchange properties of a run. */
    public static final String OPTIONS = "vacancyOptions";
    static final String WINDOW = "vacancyWindow";
    static final String JOBS = "vacancyJobs";
    static final String WHOLE = "vacancyWholeRelations";
    /** Per chunk (and per webhook job): the related rows and the mapping context. */
    public static final String RELATED = "vacancyRelated";
    public static final String CONTEXT = "vacancyContext";
    /** Jobs of this run whose write failed (shared by the split's copies of the exchange). */
    static final String FAILURES = "vacancyFailures";
    /** Header: {@code gte|<since>} for the Harvest listings of an incremental run. */
    static final String UPDATED_SINCE = "updatedSince";

    private static final Logger LOG = LoggerFactory.getLogger(VacancyRun.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Estimated rows per job in job_interview_stages and in each hiring-team table, to price a whole-table read. */
    private static final int STAGES_PER_JOB = 6;
    private static final int TEAM_ROWS_PER_JOB = 2;

    private final HarvestClient harvest;
    private final JobRelations relations;
    private final UserDirectory users;
    private final NamedRecordSync named;
    private final ReferenceCache cache;
    private final CursorStore cursors;
    private final LinkStore links;

    public VacancyRun(HarvestClient harvest, JobRelations relations, UserDirectory users, NamedRecordSync named,
                      ReferenceCache cache, CursorStore cursors, LinkStore links) {
        this.harvest = harvest;
        this.relations = relations;
        this.users = users;
        this.named = named;
        this.cache = cache;
        this.cursors = cursors;
        this.links = links;
    }

    /** Where a stopped run carries on: its window start, the lowest job id fully written, its clock marks. */
    record Resume(String since, long belowId, Instant startedAt, Instant maxSeen) {
    }

    /** Step {@code open-window}: the resume marker's window, else the cursor minus the overlap (null: every job). */
    public void openWindow(Exchange exchange) {
        VacancySync.Options options = options(exchange);
        Optional<Resume> resume = cursors.get(VacancySync.RESUME).map(VacancyRun::parseResume);
        String since = resume.map(Resume::since).orElseGet(() -> cursors.get(VacancySync.CURSOR)
                .map(c -> Instant.parse(c).minus(options.overlap()).toString()).orElse(null));
        Instant startedAt = resume.map(Resume::startedAt).orElse(Instant.now());
        long below = resume.map(Resume::belowId).orElse(Long.MAX_VALUE);
        if (resume.isPresent()) {
            LOG.info("Vacancy sync resumes below job {}", below);
        }
        exchange.setProperty(WINDOW, new Resume(since, below, startedAt, resume.map(Resume::maxSeen).orElse(null)));
        exchange.setProperty(FAILURES, new AtomicInteger());
        exchange.getMessage().setHeader("perPage", String.valueOf(options.perPage()));
        exchange.getMessage().setHeader(UPDATED_SINCE, since == null ? null : "gte|" + since);
        users.refresh();
    }

    /** Step {@code remember-changed-jobs}: the jobs listed, by id. */
    public void rememberJobs(Exchange exchange) {
        Map<Long, JsonNode> jobs = new LinkedHashMap<>();
        for (JsonNode j : records(exchange)) {
            jobs.put(j.path("id").asLong(), j);
        }
        exchange.setProperty(JOBS, jobs);
        exchange.setProperty("touchedJobIds", new HashSet<Long>());
    }

    /** Step {@code remember-touched-jobs}: job ids of related rows changed in the window (only ids are kept). */
    @SuppressWarnings("unchecked")
    public void rememberTouched(Exchange exchange) {
        Set<Long> touched = exchange.getProperty("touchedJobIds", Set.class);
        records(exchange).forEach(r -> touched.add(r.path("job_id").asLong()));
    }

    /** Step {@code read-touched-jobs}: jobs not listed whose stages or hiring team changed, read by {@code ids=}. */
    @SuppressWarnings("unchecked")
    public void readTouchedJobs(Exchange exchange) {
        Map<Long, JsonNode> jobs = exchange.getProperty(JOBS, Map.class);
        Set<Long> touched = new HashSet<>(exchange.getProperty("touchedJobIds", Set.class));
        touched.removeAll(jobs.keySet());
        harvest.listByIds("jobs", "ids", touched, Map.of()).forEach(j -> jobs.put(j.path("id").asLong(), j));
    }

    /**
     * Step {@code plan-chunks}: the jobs still to do (below the resume marker, or changed since the stopped run
     * began), newest id first, in chunks of {@code per_page}; the body becomes the list of chunks.
     */
    @SuppressWarnings("unchecked")
    public List<List<JsonNode>> planChunks(Exchange exchange) {
        VacancySync.Options options = options(exchange);
        Resume window = exchange.getProperty(WINDOW, Resume.class);
        Collection<JsonNode> jobs = exchange.getProperty(JOBS, Map.class).values();
        Instant maxSeen = Stream.concat(Stream.ofNullable(window.maxSeen()),
                        jobs.stream().map(j -> j.path("updated_at").asText(null)).filter(s -> s != null).map(Instant::parse))
                .max(Comparator.naturalOrder()).orElse(null);
        exchange.setProperty(WINDOW, new Resume(window.since(), window.belowId(), window.startedAt(), maxSeen));
        List<JsonNode> todo = jobs.stream()
                .filter(j -> j.path("id").asLong() < window.belowId() || changedSince(j, window.startedAt()))
                .sorted(Comparator.comparingLong((JsonNode j) -> j.path("id").asLong()).reversed()).toList();
        if (useWholeTables(window.since(), todo.size(), options.perPage())) {
            exchange.setProperty(WHOLE, relations.whole(todo.stream().map(j -> j.path("id").asLong()).collect(Collectors.toSet())));
        }
        List<List<JsonNode>> chunks = new ArrayList<>();
        for (int from = 0; from < todo.size(); from += options.perPage()) {
            chunks.add(todo.subList(from, Math.min(from + options.perPage(), todo.size())));
        }
        return chunks;
    }

    /** Step {@code relate-chunk}: related rows (whole tables or {@code job_ids=}), users, departments, offices. */
    public void relateChunk(Exchange exchange) {
        List<JsonNode> chunk = records(exchange);
        JobRelations.Related whole = exchange.getProperty(WHOLE, JobRelations.Related.class);
        JobRelations.Related related = whole != null ? whole
                : relations.batched(chunk.stream().map(j -> j.path("id").asLong()).toList());
        exchange.setProperty(RELATED, related);
        exchange.setProperty(CONTEXT, context(chunk, related));
    }

    /** Step {@code relate-job} (a webhook): the one job's related rows and context. */
    public void relateJob(Exchange exchange) {
        JsonNode job = exchange.getMessage().getBody(JsonNode.class);
        JobRelations.Related related = relations.batched(List.of(job.path("id").asLong()));
        exchange.setProperty(RELATED, related);
        exchange.setProperty(CONTEXT, context(List.of(job), related));
    }

    /** Step {@code mark-chunk-done}: the resume marker moves below the chunk's lowest job id. */
    public void chunkDone(Exchange exchange) {
        List<JsonNode> chunk = records(exchange);
        Resume w = exchange.getProperty(WINDOW, Resume.class);
        long lowest = chunk.get(chunk.size() - 1).path("id").asLong();
        cursors.put(VacancySync.RESUME, resumeJson(new Resume(w.since(), lowest, w.startedAt(), w.maxSeen())));
    }

    /** Step {@code close-window}: the cursor moves only when no job failed; the resume marker goes. */
    public void closeWindow(Exchange exchange) {
        Resume w = exchange.getProperty(WINDOW, Resume.class);
        int failures = exchange.getProperty(FAILURES, AtomicInteger.class).get();
        if (failures == 0 && w.maxSeen() != null) {
            cursors.put(VacancySync.CURSOR, (w.maxSeen().isBefore(w.startedAt()) ? w.maxSeen() : w.startedAt()).toString());
        } else if (failures > 0) {
            LOG.warn("Vacancy sync: {} jobs failed; the cursor stays, so the next run reads them again", failures);
        }
        cursors.clear(VacancySync.RESUME);
    }

    /** Step {@code count-failed-job}: one more job of this run failed (a webhook has no run: nothing to count). */
    public void jobFailed(Exchange exchange) {
        AtomicInteger failures = exchange.getProperty(FAILURES, AtomicInteger.class);
        if (failures != null) {
            failures.incrementAndGet();
        }
    }

    /** Predicate of {@code confidential-job-blocked}: the job is confidential and the options block those. */
    public boolean blocked(Exchange exchange) {
        return options(exchange).blockConfidential()
                && exchange.getMessage().getBody(JsonNode.class).path("confidential").asBoolean(false);
    }

    /**
     * Predicate of {@code job-not-written}: the failure is this job's own (bad data, a refusal), so the run counts it
     * and goes on; an outage (retryable) is not caught, it stops the run and the resume marker keeps what was done.
     */
    public boolean jobError(Exchange exchange) {
        Exception e = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        RemoteCallException remote = org.apache.camel.util.ObjectHelper.getException(RemoteCallException.class, e);
        boolean outage = remote != null && remote.retryable();
        if (!outage && e != null) {
            LOG.warn("Job {} not written to Beamery: {}", exchange.getMessage().getHeader(VacancyLinks.JOB_ID), e.toString());
        }
        return !outage;
    }

    static VacancySync.Options options(Exchange exchange) {
        return exchange.getProperty(OPTIONS, VacancySync.Options.class);
    }

    @SuppressWarnings("unchecked")
    private static List<JsonNode> records(Exchange exchange) {
        Object body = exchange.getMessage().getBody();
        return body == null ? List.of() : (List<JsonNode>) body;
    }

    /** Changed after the run began: a resumed run writes it again even above the resume marker. */
    private static boolean changedSince(JsonNode job, Instant startedAt) {
        String updated = job.path("updated_at").asText(null);
        return updated == null || !Instant.parse(updated).isBefore(startedAt);
    }

    /**
     * Whole related tables when that costs fewer requests than {@code job_ids=} batches: always on a full run,
     * and on an incremental run whose change set is a large part of the jobs Greenbridge knows.
     */
    private boolean useWholeTables(String since, int changed, int perPage) {
        if (changed == 0) {
            return false;
        }
        if (since == null) {
            return true;
        }
        long known = Math.max(links.count(VacancyLinks.LINK), changed);
        long wholeCost = pages(known * STAGES_PER_JOB, perPage) + 2 * pages(known * TEAM_ROWS_PER_JOB, perPage);
        return wholeCost < JobRelations.batchedCost(changed);
    }

    private static long pages(long rows, int perPage) {
        return Math.max(1, (rows + perPage - 1) / perPage);
    }

    /**
     * Users, departments and offices of a chunk of jobs, from links and the reference cache (Harvest when missing).
     * A department Beamery lacks is created through routes/reference-sync.yaml's direct:reference-create-department.
     */
    private VacancyMapper.Context context(List<JsonNode> jobs, JobRelations.Related related) {
        Set<String> userIds = new HashSet<>();
        for (JsonNode job : jobs) {
            long id = job.path("id").asLong();
            related.managersOf(id).forEach(u -> userIds.add(String.valueOf(u)));
            related.sourcersOf(id).forEach(u -> userIds.add(String.valueOf(u)));
        }
        Map<String, JsonNode> departments = new LinkedHashMap<>();
        records("department", "departments", ids(jobs, "department_id")).forEach((id, d) -> {
            ObjectNode dept = JSON.createObjectNode().put("id", id).put("name", d.path("name").asText());
            named.beameryId(NamedRecordSync.Kind.DEPARTMENT, d).ifPresentOrElse(b -> dept.put("beameryId", b), () -> dept.putNull("beameryId"));
            departments.put(id, dept);
        });
        Map<String, JsonNode> offices = records("office", "offices", ids(jobs, "office_ids"));
        return new VacancyMapper.Context(userIds.isEmpty() ? Map.of() : users.beameryIds(userIds), departments, offices,
                users.ownerId().orElse(null), users.defaultUserId().orElse(null));
    }

    private static Set<String> ids(List<JsonNode> jobs, String field) {
        Set<String> out = new HashSet<>();
        for (JsonNode job : jobs) {
            JsonNode v = job.path(field);
            if (v.isArray()) {
                v.forEach(x -> out.add(x.asText()));
            } else if (v.isValueNode() && !v.isNull()) {
                out.add(v.asText());
            }
        }
        return out;
    }

    /** Cached reference records; ids not cached yet are read with {@code ids=} and cached. */
    private Map<String, JsonNode> records(String kind, String resource, Collection<String> ids) {
        Map<String, JsonNode> found = new LinkedHashMap<>(cache.get(kind, ids));
        Set<String> missing = new HashSet<>(ids);
        missing.removeAll(found.keySet());
        if (!missing.isEmpty()) {
            for (JsonNode r : harvest.listByIds(resource, "ids", missing, Map.of())) {
                cache.put(kind, r);
                found.put(r.path("id").asText(), r);
            }
        }
        return found;
    }

    private static Resume parseResume(String json) {
        try {
            JsonNode n = JSON.readTree(json);
            return new Resume(n.path("since").isTextual() ? n.get("since").asText() : null, n.path("belowId").asLong(),
                    Instant.parse(n.path("startedAt").asText()),
                    n.path("maxSeen").isTextual() ? Instant.parse(n.get("maxSeen").asText()) : null);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("unreadable resume marker " + VacancySync.RESUME + "; delete it to start the run afresh", e);
        }
    }

    private static String resumeJson(Resume r) {
        ObjectNode n = JSON.createObjectNode();
        if (r.since() == null) n.putNull("since"); else n.put("since", r.since());
        n.put("belowId", r.belowId()).put("startedAt", r.startedAt().toString());
        if (r.maxSeen() == null) n.putNull("maxSeen"); else n.put("maxSeen", r.maxSeen().toString());
        return n.toString();
    }
}
