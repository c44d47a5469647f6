package io.greenbridge.vacancy;

import java.time.Duration;
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
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Vacancies.DeletedJobAction;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.reference.NamedRecordSync;
import io.greenbridge.reference.ReferenceCache;
import io.greenbridge.reference.UserDirectory;
import io.greenbridge.store.CursorStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.PermanentFailureException;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code vacancies} flow: Greenhouse jobs changed since the cursor → Beamery vacancies.
 *
 * <p>A run lists the changed jobs ({@code updated_at=gte|cursor − overlap}, plus jobs whose stages or hiring team
 * rows changed), sorts them by id descending and works through them in chunks of {@code per_page}: related rows,
 * users, departments and offices resolved per chunk, each job mapped and written (or left alone when its hash is
 * unchanged). After each chunk the resume marker {@code vacancies.resume} records the lowest job id done, so a run
 * that stops resumes below it (jobs above it are skipped unless they changed after the stopped run began). Only a run that ends without failures moves the cursor {@code vacancies}, to
 * min(newest updated_at seen, run start).
 */
@Component
public class VacancySync implements SyncFlow {
    public static final String CURSOR = "vacancies";
    public static final String RESUME = "vacancies.resume";
    private static final Logger LOG = LoggerFactory.getLogger(VacancySync.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Estimated rows per job in job_interview_stages and in each hiring-team table, to price a whole-table read. */
    private static final int STAGES_PER_JOB = 6;
    private static final int TEAM_ROWS_PER_JOB = 2;

    private final HarvestClient harvest;
    private final JobRelations relations;
    private final VacancyMapper mapper;
    private final VacancyWriter writer;
    private final UserDirectory users;
    private final NamedRecordSync named;
    private final ReferenceCache cache;
    private final CursorStore cursors;
    private final LinkStore links;
    private final GreenbridgeProperties props;

    public VacancySync(HarvestClient harvest, JobRelations relations, VacancyMapper mapper, VacancyWriter writer,
                       UserDirectory users, NamedRecordSync named, ReferenceCache cache, CursorStore cursors,
                       LinkStore links, GreenbridgeProperties props) {
        this.harvest = harvest;
        this.relations = relations;
        this.mapper = mapper;
        this.writer = writer;
        this.users = users;
        this.named = named;
        this.cache = cache;
        this.cursors = cursors;
        this.links = links;
        this.props = props;
    }

    /** Per-run choices; {@link #defaults} reads them from configuration. */
    public record Options(int perPage, Duration overlap, boolean blockConfidential) {
        public Options withPerPage(int n) { return new Options(n, overlap, blockConfidential); }
        public Options withBlockConfidential(boolean b) { return new Options(perPage, overlap, b); }
        public Options withOverlap(Duration d) { return new Options(perPage, d, blockConfidential); }
    }

    public Options defaults() {
        return new Options(props.greenhouse().perPage(), props.vacancies().overlap(), props.vacancies().blockConfidential());
    }

    /** Where a stopped run carries on: its window start, the lowest job id fully written, its clock marks. */
    record Resume(String since, long belowId, Instant startedAt, Instant maxSeen) {
    }

    @Override
    public String name() {
        return "vacancies";
    }

    @Override
    public void run(SyncSummary summary) {
        run(summary, defaults());
    }

    public void run(SyncSummary summary, Options options) {
        Optional<Resume> resume = cursors.get(RESUME).map(VacancySync::parseResume);
        String since = resume.map(Resume::since).orElseGet(() -> cursors.get(CURSOR)
                .map(c -> Instant.parse(c).minus(options.overlap()).toString()).orElse(null));
        Instant startedAt = resume.map(Resume::startedAt).orElse(Instant.now());
        long below = resume.map(Resume::belowId).orElse(Long.MAX_VALUE);
        users.refresh();

        List<JsonNode> jobs = changedJobs(since, options.perPage());
        Instant maxSeen = Stream.concat(resume.map(Resume::maxSeen).stream(),
                        jobs.stream().map(j -> j.path("updated_at").asText(null)).filter(s -> s != null).map(Instant::parse))
                .max(Comparator.naturalOrder()).orElse(null);
        List<JsonNode> todo = jobs.stream().filter(j -> j.path("id").asLong() < below || changedSince(j, startedAt))
                .sorted(Comparator.comparingLong((JsonNode j) -> j.path("id").asLong()).reversed()).toList();
        JobRelations.Related whole = useWholeTables(since, todo.size(), options.perPage())
                ? relations.whole(todo.stream().map(j -> j.path("id").asLong()).collect(Collectors.toSet())) : null;
        if (resume.isPresent()) {
            LOG.info("Vacancy sync resumes below job {}: {} jobs left", below, todo.size());
        }

        int failures = 0;
        for (int from = 0; from < todo.size(); from += options.perPage()) {
            List<JsonNode> chunk = todo.subList(from, Math.min(from + options.perPage(), todo.size()));
            JobRelations.Related related = whole != null ? whole
                    : relations.batched(chunk.stream().map(j -> j.path("id").asLong()).toList());
            VacancyMapper.Context ctx = context(chunk, related);
            for (JsonNode job : chunk) {
                String outcome = sync(job, related, ctx, options);
                failures += "failed".equals(outcome) ? 1 : 0;
                summary.count(outcome);
            }
            long lowest = chunk.get(chunk.size() - 1).path("id").asLong();
            cursors.put(RESUME, resumeJson(new Resume(since, lowest, startedAt, maxSeen)));
        }
        if (failures == 0 && maxSeen != null) {
            cursors.put(CURSOR, (maxSeen.isBefore(startedAt) ? maxSeen : startedAt).toString());
        } else if (failures > 0) {
            LOG.warn("Vacancy sync: {} jobs failed; the cursor stays, so the next run reads them again", failures);
        }
        cursors.clear(RESUME);
    }

    /** Changed after the run began: a resumed run writes it again even above the resume marker. */
    private static boolean changedSince(JsonNode job, Instant startedAt) {
        String updated = job.path("updated_at").asText(null);
        return updated == null || !Instant.parse(updated).isBefore(startedAt);
    }

    /** A job webhook: the job read fresh from Harvest and written, so late or repeated deliveries converge. */
    public String syncJob(long jobId) {
        Optional<JsonNode> job = harvest.findById("jobs", jobId);
        if (job.isEmpty()) {
            return jobDeleted(jobId);
        }
        JobRelations.Related related = relations.batched(List.of(jobId));
        String outcome = sync(job.get(), related, context(List.of(job.get()), related), defaults());
        if ("failed".equals(outcome)) {
            throw new PermanentFailureException("job " + jobId + " could not be written to Beamery (see the log)");
        }
        return outcome;
    }

    /** {@code job_deleted}: closes the vacancy, or keeps it (greenbridge.vacancies.deleted-job-action). */
    public String jobDeleted(long jobId) {
        if (props.vacancies().deletedJobAction() == DeletedJobAction.KEEP) {
            return "skipped";
        }
        return writer.close(jobId);
    }

    private String sync(JsonNode job, JobRelations.Related related, VacancyMapper.Context ctx, Options options) {
        long id = job.path("id").asLong();
        if (options.blockConfidential() && job.path("confidential").asBoolean(false)) {
            LOG.debug("Job {} is confidential and blocked", id);
            return "skipped";
        }
        try {
            return writer.write(id, mapper.map(job, related, ctx));
        } catch (RemoteCallException e) {
            if (e.retryable()) {
                throw e; // Beamery is unavailable: stop here, the resume marker keeps the chunks already written
            }
            LOG.warn("Job {} not written to Beamery: {}", id, e.getMessage());
            return "failed";
        } catch (RuntimeException e) {
            LOG.warn("Job {} could not be mapped or written: {}", id, e.toString());
            return "failed";
        }
    }

    /** Jobs updated since {@code since} (all jobs when null), plus jobs whose stages or hiring team rows changed. */
    private List<JsonNode> changedJobs(String since, int perPage) {
        Map<String, String> filters = new LinkedHashMap<>();
        filters.put("per_page", String.valueOf(perPage));
        if (since != null) {
            filters.put("updated_at", "gte|" + since);
        }
        Map<Long, JsonNode> jobs = new LinkedHashMap<>();
        harvest.stream("jobs", filters).forEach(j -> jobs.put(j.path("id").asLong(), j));
        if (since != null) {
            Set<Long> touched = new HashSet<>();
            for (String resource : JobRelations.RESOURCES) { // full pages (per-page setting): only job ids are kept
                harvest.stream(resource, Map.of("updated_at", "gte|" + since)).forEach(r -> touched.add(r.path("job_id").asLong()));
            }
            touched.removeAll(jobs.keySet());
            harvest.listByIds("jobs", "ids", touched, Map.of()).forEach(j -> jobs.put(j.path("id").asLong(), j));
        }
        return new ArrayList<>(jobs.values());
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
        long known = Math.max(links.count(VacancyWriter.LINK), changed);
        long wholeCost = pages(known * STAGES_PER_JOB, perPage) + 2 * pages(known * TEAM_ROWS_PER_JOB, perPage);
        return wholeCost < JobRelations.batchedCost(changed);
    }

    private static long pages(long rows, int perPage) {
        return Math.max(1, (rows + perPage - 1) / perPage);
    }

    /** Users, departments and offices of a chunk of jobs, from links and the reference cache (Harvest when missing). */
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
            throw new IllegalStateException("unreadable resume marker " + RESUME + "; delete it to start the run afresh", e);
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
