package io.greenbridge.assessment;

import java.time.OffsetDateTime;
import java.util.Map;

/** What the assessment platform reported for an invitation: trait scores, overall score, profile link, times. */
public record AssessmentResult(
        double score,
        String profileUrl,
        Map<String, Number> traits,
        OffsetDateTime startedAt,
        OffsetDateTime completedAt) {
}
