package io.greenbridge.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

import io.greenbridge.inbox.InboxStore;
import io.greenbridge.store.CursorStore;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.sync.SyncRun;
import io.greenbridge.sync.SyncRunStore;
import io.greenbridge.sync.SyncRunner;

/** What {@code GET /api/status} and the MBeans show: each flow's last run, cursor, lag and counts. */
@Component
public class StatusService {
    private final InboxStore inbox;
    private final DeadLetterStore deadLetters;
    private final SyncRunner runner;
    private final SyncRunStore runs;
    private final CursorStore cursors;
    private final ObjectProvider<StatusContributor> contributors;

    public StatusService(InboxStore inbox, DeadLetterStore deadLetters, SyncRunner runner, SyncRunStore runs,
                         CursorStore cursors, ObjectProvider<StatusContributor> contributors) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.runner = runner;
        this.runs = runs;
        this.cursors = cursors;
        this.contributors = contributors;
    }

    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> inboxStatus = new LinkedHashMap<>(inbox.countsByStatus());
        inboxStatus.put("lagSeconds", inbox.oldestPendingAge().map(Duration::toSeconds).orElse(0L));
        out.put("inbox", inboxStatus);
        out.put("deadLetters", Map.of("open", deadLetters.countOpen()));
        Map<String, Object> flows = new TreeMap<>();
        Map<String, String> allCursors = cursors.all();
        for (String flow : runner.flowNames()) {
            flows.put(flow, flowStatus(flow, allCursors));
        }
        out.put("flows", flows);
        contributors.orderedStream().forEach(c -> out.put(c.section(), c.status()));
        return out;
    }

    public Map<String, Object> flowStatus(String flow, Map<String, String> allCursors) {
        Map<String, Object> f = new LinkedHashMap<>();
        runs.last(flow).ifPresent(r -> f.put("lastRun", describe(r)));
        runs.lastSucceeded(flow).ifPresent(r ->
                f.put("lagSeconds", Duration.between(r.startedAt(), Instant.now()).toSeconds()));
        Map<String, String> flowCursors = new TreeMap<>();
        allCursors.forEach((k, v) -> {
            if (k.equals(flow) || k.startsWith(flow + ".")) {
                flowCursors.put(k, v);
            }
        });
        f.put("cursors", flowCursors);
        return f;
    }

    static Map<String, Object> describe(SyncRun r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runId", r.runId());
        m.put("flow", r.flow());
        m.put("status", r.status());
        m.put("startedAt", r.startedAt().toString());
        m.put("finishedAt", r.finishedAt() == null ? null : r.finishedAt().toString());
        m.put("created", r.created());
        m.put("updated", r.updated());
        m.put("unchanged", r.unchanged());
        m.put("skipped", r.skipped());
        m.put("failed", r.failed());
        m.put("message", r.message());
        return m;
    }
}
