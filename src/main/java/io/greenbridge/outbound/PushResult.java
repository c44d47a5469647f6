package io.greenbridge.outbound;

/**
 * One contact's answer in {@code POST /api/greenhouse/push}: {@code outcome} is created, linked, updated,
 * unchanged, skipped, pending or failed; {@code message} says why for skipped, pending and failed (Greenhouse's own
 * words for a 422). {@code pending}: Greenhouse accepted a create without returning the record; a later poll links it.
 */
public record PushResult(String contactId, String outcome, Long greenhouseId, String message) {
    static final String PENDING = "pending";

    static PushResult of(String contactId, String outcome, Long greenhouseId) {
        return new PushResult(contactId, outcome, greenhouseId, null);
    }

    static PushResult skipped(String contactId, Long greenhouseId, String why) {
        return new PushResult(contactId, "skipped", greenhouseId, why);
    }

    boolean failed() {
        return "failed".equals(outcome);
    }
}
