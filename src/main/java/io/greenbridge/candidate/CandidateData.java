package io.greenbridge.candidate;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A Greenhouse candidate as Harvest v3 has it now: the candidate, its applications (with
 * {@code rejection_reason_id} filled from {@code rejection_details} when rejected), its notes and attachments,
 * and the jobs of its applications. Every path (webhook, backfill, reconciliation) syncs from this.
 */
public record CandidateData(JsonNode candidate, List<JsonNode> applications, List<JsonNode> notes,
                            List<JsonNode> attachments, List<JsonNode> jobs) {

    public long id() {
        return candidate.path("id").asLong();
    }

    public String greenhouseId() {
        return String.valueOf(id());
    }
}
