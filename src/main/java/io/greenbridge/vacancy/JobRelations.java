package io.greenbridge.vacancy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;

/**
 * A job's related Harvest v3 records: interview stages, hiring managers and sourcers (job_owners of type sourcer).
 * Two ways to read them, same result: {@link #batched} asks {@code job_ids=} in batches of 50 (3 calls per 50
 * jobs), {@link #whole} pages through the three tables unfiltered (one call per 500 rows). The caller picks the
 * cheaper one for the size of its change set.
 */
@Component
public class JobRelations {
    static final List<String> RESOURCES = List.of("job_interview_stages", "job_hiring_managers", "job_owners");
    private final HarvestClient harvest;

    public JobRelations(HarvestClient harvest) {
        this.harvest = harvest;
    }

    /** Stages (active, in sort order), hiring manager user ids (responsible first) and sourcer user ids, per job id. */
    public record Related(Map<Long, List<JsonNode>> stages, Map<Long, List<Long>> managers, Map<Long, List<Long>> sourcers) {
        public List<JsonNode> stagesOf(long jobId) {
            return stages.getOrDefault(jobId, List.of());
        }

        public List<Long> managersOf(long jobId) {
            return managers.getOrDefault(jobId, List.of());
        }

        public List<Long> sourcersOf(long jobId) {
            return sourcers.getOrDefault(jobId, List.of());
        }
    }

    public Related batched(Collection<Long> jobIds) {
        Collector c = new Collector(Set.copyOf(jobIds));
        if (!jobIds.isEmpty()) {
            harvest.listByIds("job_interview_stages", "job_ids", jobIds, Map.of()).forEach(c::stage);
            harvest.listByIds("job_hiring_managers", "job_ids", jobIds, Map.of()).forEach(c::manager);
            harvest.listByIds("job_owners", "job_ids", jobIds, Map.of()).forEach(c::owner);
        }
        return c.result();
    }

    public Related whole(Set<Long> jobIds) {
        Collector c = new Collector(jobIds);
        page("job_interview_stages", c::stage);
        page("job_hiring_managers", c::manager);
        page("job_owners", c::owner);
        return c.result();
    }

    private void page(String resource, Consumer<JsonNode> each) {
        harvest.forEachPage(resource, Map.of(), page -> page.forEach(each));
    }

    /** Requests {@link #batched} needs for {@code jobs} jobs (at least; more when a batch spans pages). */
    static int batchedCost(int jobs) {
        return RESOURCES.size() * ((jobs + HarvestClient.MAX_IDS - 1) / HarvestClient.MAX_IDS);
    }

    private static final class Collector {
        private final Set<Long> wanted;
        private final Map<Long, List<JsonNode>> stages = new HashMap<>();
        private final Map<Long, List<JsonNode>> managers = new HashMap<>();
        private final Map<Long, List<Long>> sourcers = new HashMap<>();

        Collector(Set<Long> wanted) {
            this.wanted = wanted;
        }

        private boolean mine(JsonNode n) {
            return wanted.contains(n.path("job_id").asLong());
        }

        void stage(JsonNode s) {
            if (mine(s) && s.path("active").asBoolean(true)) {
                stages.computeIfAbsent(s.path("job_id").asLong(), k -> new ArrayList<>()).add(s);
            }
        }

        void manager(JsonNode m) {
            if (mine(m)) {
                managers.computeIfAbsent(m.path("job_id").asLong(), k -> new ArrayList<>()).add(m);
            }
        }

        void owner(JsonNode o) {
            if (mine(o) && "sourcer".equals(o.path("type").asText())) {
                sourcers.computeIfAbsent(o.path("job_id").asLong(), k -> new ArrayList<>()).add(o.path("user_id").asLong());
            }
        }

        Related result() {
            stages.values().forEach(l -> l.sort(Comparator.comparingInt((JsonNode s) -> s.path("sort_order").asInt())
                    .thenComparingLong(s -> s.path("id").asLong())));
            Map<Long, List<Long>> managerIds = new HashMap<>();
            managers.forEach((job, list) -> managerIds.put(job, list.stream()
                    .sorted(Comparator.comparing((JsonNode m) -> !m.path("responsible").asBoolean(false))
                            .thenComparingLong(m -> m.path("id").asLong()))
                    .map(m -> m.path("user_id").asLong()).distinct().toList()));
            sourcers.replaceAll((job, list) -> list.stream().distinct().toList());
            return new Related(stages, managerIds, sourcers);
        }
    }
}
