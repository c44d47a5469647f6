package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

/** The assessment partner's part of {@code GET /api/status}: invitations, outbox and Greenhouse's error reports. */
@Component
public class AssessmentStatus {
    private final Invitations invitations;
    private final AssessmentOutbox outbox;
    private final ResponseErrors responseErrors;

    public AssessmentStatus(Invitations invitations, AssessmentOutbox outbox, ResponseErrors responseErrors) {
        this.invitations = invitations;
        this.outbox = outbox;
        this.responseErrors = responseErrors;
    }

    /**
     * {@code {"invitations": {"sent": n, "started": n, "complete": n, ...}, "outbox": {"invitation-email.pending": n,
     * "greenhouse-callback.dead": n, ...}, "responseErrors": n, "lastResponseErrorAt": "<ISO-8601>|null"}}.
     */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("invitations", invitations.countsByStatus());
        out.put("outbox", outbox.counts());
        out.put("responseErrors", responseErrors.count());
        OffsetDateTime last = responseErrors.lastReceivedAt();
        out.put("lastResponseErrorAt", last == null ? null : AssessmentPartnerApi.iso(last));
        return out;
    }
}
