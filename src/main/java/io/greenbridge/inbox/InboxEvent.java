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
}
