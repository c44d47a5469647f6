package io.greenbridge.inbox;

import java.time.Instant;

/** One accepted Greenhouse webhook delivery as stored in the inbox. */
public record InboxEvent(
        long id,
        String eventId,
        String action,
        String entityId,
        String partitionKey,
        String payload,
        int attempts,
        Instant receivedAt) {
    static final String CANDIDATE_PREFIX = "candidate:";

    /** The candidate claim this event runs under ({@code contact.CandidateLocks}); null for other partitions. */
    public String claimKey() {
        return partitionKey != null && partitionKey.startsWith(CANDIDATE_PREFIX)
                ? partitionKey.substring(CANDIDATE_PREFIX.length()) : null;
    }
}
