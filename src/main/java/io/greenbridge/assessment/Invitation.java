package io.greenbridge.assessment;

import java.time.OffsetDateTime;

/** One candidate's copy of a test; {@code id} is the partner_interview_id Greenhouse knows it by. */
public record Invitation(
        String id,
        String companyId,
        String partnerTestId,
        String candidateEmail,
        String candidateFirstName,
        String candidateLastName,
        String callbackUrl,
        String sentBy,
        String status,
        OffsetDateTime createdAt,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt,
        OffsetDateTime expiresAt) {

    public static final String SENT = "sent";
    public static final String STARTED = "started";
    public static final String COMPLETE = "complete";
    public static final String REVOKED = "revoked";
    public static final String EXPIRED = "expired";

    public boolean expired(OffsetDateTime now) {
        return !COMPLETE.equals(status) && now.isAfter(expiresAt);
    }

    /** The state callers see: the stored one, or {@code expired} once an unfinished link has run out. */
    public String visibleStatus(OffsetDateTime now) {
        return expired(now) && !REVOKED.equals(status) ? EXPIRED : status;
    }
}
