package io.greenbridge.reference;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.sync.SyncFlow;
import io.greenbridge.sync.SyncSummary;

/**
 * The {@code reference} flow (hourly): users matched by email, sources and departments linked or created in
 * Beamery, and offices, rejection reasons and candidate tags cached for the other flows. Every table is read
 * whole each run (they are small), so records deleted in Greenhouse leave the cache. Summary counts: users
 * and Beamery sources/departments (created, updated = relinked, unchanged, skipped = unmatched user).
 */
@Component
public class ReferenceSync implements SyncFlow {
    /** Harvest resources cached as they are, by reference_cache kind. */
    static final Map<String, String> CACHED = Map.of("office", "offices", "rejection_reason", "rejection_reasons",
            "candidate_tag", "candidate_tags");

    private final HarvestClient harvest;
    private final ReferenceCache cache;
    private final UserDirectory users;
    private final UnmatchedUsers unmatched;
    private final NamedRecordSync named;

    public ReferenceSync(HarvestClient harvest, ReferenceCache cache, UserDirectory users, UnmatchedUsers unmatched,
                         NamedRecordSync named) {
        this.harvest = harvest;
        this.cache = cache;
        this.users = users;
        this.unmatched = unmatched;
        this.named = named;
    }

    @Override
    public String name() {
        return "reference";
    }

    @Override
    public void run(SyncSummary summary) {
        syncUsers(summary);
        named.forget();
        syncNamed("source", "sources", NamedRecordSync.Kind.SOURCE, summary);
        syncNamed("department", "departments", NamedRecordSync.Kind.DEPARTMENT, summary);
        CACHED.forEach((kind, resource) -> cache.replace(kind, all(resource)));
    }

    private void syncUsers(SyncSummary summary) {
        List<JsonNode> ghUsers = all("users");
        cache.replace("user", ghUsers);
        users.refresh();
        Set<String> stillUnmatched = new HashSet<>();
        for (JsonNode u : ghUsers) {
            String outcome = users.match(u);
            if ("skipped".equals(outcome) && !u.path("deactivated").asBoolean(false)) {
                stillUnmatched.add(u.path("id").asText());
            }
            summary.count(outcome);
        }
        unmatched.retainOnly(stillUnmatched);
    }

    private void syncNamed(String kind, String resource, NamedRecordSync.Kind beameryKind, SyncSummary summary) {
        List<JsonNode> records = all(resource);
        cache.replace(kind, records);
        records.forEach(r -> summary.count(named.sync(beameryKind, r)));
    }

    private List<JsonNode> all(String resource) {
        return harvest.stream(resource, Map.of()).toList();
    }
}
