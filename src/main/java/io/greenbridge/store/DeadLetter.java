package io.greenbridge.store;

import java.time.Instant;

/** Work that failed for good, with its reason. */
public record DeadLetter(
        long id,
        String source,
        String ref,
        String summary,
        String reason,
        Integer httpStatus,
        String response,
        String status,
        Instant createdAt,
        Instant replayedAt) {
}
