package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.support.PermanentFailureException;

/**
 * Reads candidates from Harvest v3 with their children, in batches of 50 ids per call
 * ({@code applications}, {@code notes}, {@code attachments} by {@code candidate_ids}; {@code rejection_details}
 * for rejected applications; {@code jobs} by id), so one candidate costs 4–6 calls and a page of 500 about 40.
 */
@Component
public class CandidateLoader {
    /** Exchange property: the candidate as already read (inbox prefetch, backfill page, reconciliation chunk). */
    public static final String PREFETCHED = "prefetchedCandidate";
    /** Exchange property the pipeline keeps the loaded candidate in (the notes and attachments steps read it). */
    public static final String CANDIDATE = "candidate";
    private final HarvestClient harvest;

    public CandidateLoader(HarvestClient harvest) {
        this.harvest = harvest;
    }

    /**
     * Route step {@code load-candidate}: the candidate of header {@value CandidateSync#CANDIDATE_ID} as Greenhouse has
     * it now (body and property {@value #CANDIDATE}), or a null body when Greenhouse no longer has it.
     */
    public CandidateData current(Exchange exchange) {
        String id = exchange.getMessage().getHeader(CandidateSync.CANDIDATE_ID, String.class);
        // already read in a batch (the inbox prefetch sets prefetchedCandidate before dispatch): no Harvest call;
        // the prefetch's Gone says that read did not find the candidate, the same answer as an empty load()
        Object prefetched = exchange.getProperty(PREFETCHED);
        CandidateData data = prefetched instanceof CandidateData d && d.greenhouseId().equals(id) ? d : null;
        if (data == null && !CandidatePrefetch.isGone(prefetched, id)) {
            if (id == null || !id.matches("\\d+")) {
                throw new PermanentFailureException("no candidate id to sync");
            }
            data = load(Long.parseLong(id), Boolean.TRUE.equals(exchange.getProperty(CandidateSync.BLOCK_CONFIDENTIAL)))
                    .orElse(null);
        }
        exchange.setProperty(CANDIDATE, data);
        return data;
    }

    /** The candidate now, or empty when Greenhouse no longer has it (deleted or merged away). */
    public Optional<CandidateData> load(long candidateId, boolean withJobs) {
        return harvest.findById("candidates", candidateId).map(c -> assemble(List.of(c), withJobs).get(candidateId));
    }

    /** Candidates by id; ids Greenhouse no longer has are absent from the answer. */
    public Map<Long, CandidateData> loadAll(Collection<Long> ids, boolean withJobs) {
        return ids.isEmpty() ? Map.of() : assemble(harvest.listByIds("candidates", "ids", ids, Map.of()), withJobs);
    }

    /**
     * Adds the children of already listed candidates (a backfill page); {@code withJobs} also reads the jobs
     * (only the confidential block needs them).
     */
    public Map<Long, CandidateData> assemble(List<JsonNode> candidates, boolean withJobs) {
        if (candidates.isEmpty()) {
            return Map.of();
        }
        List<Long> ids = candidates.stream().map(c -> c.path("id").asLong()).toList();
        Map<Long, List<JsonNode>> apps = byCandidate(harvest.listByIds("applications", "candidate_ids", ids, Map.of()));
        Map<Long, List<JsonNode>> notes = byCandidate(harvest.listByIds("notes", "candidate_ids", ids, Map.of()));
        Map<Long, List<JsonNode>> files = byCandidate(harvest.listByIds("attachments", "candidate_ids", ids, Map.of()));
        List<JsonNode> allApps = apps.values().stream().flatMap(List::stream).toList();
        addRejectionReasons(allApps);
        Set<Long> jobIds = allApps.stream().filter(a -> a.hasNonNull("job_id")).map(a -> a.get("job_id").asLong())
                .collect(Collectors.toCollection(TreeSet::new));
        Map<Long, JsonNode> jobs = jobIds.isEmpty() || !withJobs ? Map.of()
                : harvest.listByIds("jobs", "ids", jobIds, Map.of()).stream()
                        .collect(Collectors.toMap(j -> j.path("id").asLong(), Function.identity(), (a, b) -> a));
        Map<Long, CandidateData> out = new LinkedHashMap<>();
        for (JsonNode c : candidates) {
            long id = c.path("id").asLong();
            List<JsonNode> a = apps.getOrDefault(id, List.of());
            List<JsonNode> j = a.stream().filter(x -> x.hasNonNull("job_id")).map(x -> jobs.get(x.get("job_id").asLong()))
                    .filter(x -> x != null).distinct().toList();
            out.put(id, new CandidateData(c, a, notes.getOrDefault(id, List.of()), files.getOrDefault(id, List.of()), j));
        }
        return out;
    }

    /** v3 keeps the reason in rejection_details; copy it onto the application when the application lacks it. */
    private void addRejectionReasons(List<JsonNode> apps) {
        List<Long> rejected = apps.stream().filter(a -> "rejected".equals(a.path("status").asText())
                && !a.hasNonNull("rejection_reason_id")).map(a -> a.path("id").asLong()).toList();
        if (rejected.isEmpty()) {
            return;
        }
        Map<Long, JsonNode> details = harvest.listByIds("rejection_details", "application_ids", rejected, Map.of()).stream()
                .collect(Collectors.toMap(d -> d.path("application_id").asLong(), Function.identity(), (a, b) -> b));
        for (JsonNode a : apps) {
            JsonNode d = details.get(a.path("id").asLong());
            if (d != null && a instanceof ObjectNode o) {
                o.set("rejection_reason_id", d.path("rejection_reason_id"));
            }
        }
    }

    private static Map<Long, List<JsonNode>> byCandidate(List<JsonNode> records) {
        Map<Long, List<JsonNode>> out = new LinkedHashMap<>();
        for (JsonNode r : records) {
            out.computeIfAbsent(r.path("candidate_id").asLong(), k -> new ArrayList<>()).add(r);
        }
        return out;
    }
}
