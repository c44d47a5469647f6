package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.stereotype.Component;

import io.greenbridge.ops.StatusContributor;

/** The assessment partner's part of {@code GET /api/status}: invitations, outbox and Greenhouse's error reports. */
@Component
public class AssessmentStatus implements StatusContributor {
    private final Invitations invitations;
    private final AssessmentOutbox outbox;
    private final ResponseErrors responseErrors;

    public AssessmentStatus(Invitations invitations, AssessmentOutbox outbox, ResponseErrors responseErrors) {
        this.invitations = invitations;
        this.outbox = outbox;
        this.responseErrors = responseErrors;
    }

    @Override
    public String section() {
        return "assessment";
    }

    @Override
    public Map<String, Object> status() {
        return snapshot();
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
