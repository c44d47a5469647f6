package io.greenbridge.sync;

import java.time.Instant;

/** One recorded run of a flow, as {@code /api/status} and the sync endpoint show it. */
public record SyncRun(
        String runId,
        String flow,
        String status,
        Instant startedAt,
        Instant finishedAt,
        int created,
        int updated,
        int unchanged,
        int skipped,
        int failed,
        String message) {
}
