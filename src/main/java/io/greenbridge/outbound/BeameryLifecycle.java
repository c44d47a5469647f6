package io.greenbridge.outbound;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Outbound.AnonymizationMode;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * Merges and anonymizations done in Beamery, carried to Greenhouse. A merge of two linked contacts merges the
 * duplicate candidate into the primary's ({@code POST /v3/candidates/{primary}/merge}) and the links follow the
 * surviving contact. An anonymization is remembered by the guard (the contact is never pushed again) and, in
 * {@code bidirectional} mode only, anonymizes the candidate ({@code PATCH /v3/candidates/{id}/anonymize}).
 */
@Component
public class BeameryLifecycle {
    /** What a Beamery anonymization removes in Greenhouse: the person's data, not the hiring history. */
    static final List<String> ANONYMIZED_FIELDS = List.of("full_name", "current_company", "current_title", "tags",
            "phone_numbers", "email_addresses", "social_media_links", "websites", "addresses", "location",
            "custom_candidate_fields", "notes", "attachments", "headline", "education", "employment");

    private final HarvestClient harvest;
    private final LinkStore links;
    private final ApplicationLinks applications;
    private final CandidateWriter writer;
    private final OutboundState state;
    private final AnonymizationGuard guard;
    private final DeadLetterStore deadLetters;
    private final AnonymizationMode mode;
    private final boolean greenhouseMerge;

    public BeameryLifecycle(HarvestClient harvest, LinkStore links, ApplicationLinks applications, CandidateWriter writer,
                            OutboundState state, AnonymizationGuard guard, DeadLetterStore deadLetters,
                            GreenbridgeProperties properties) {
        this.harvest = harvest;
        this.links = links;
        this.applications = applications;
        this.writer = writer;
        this.state = state;
        this.guard = guard;
        this.deadLetters = deadLetters;
        this.mode = properties.outbound().anonymizationMode();
        this.greenhouseMerge = properties.outbound().greenhouseMergeOn(properties.mode());
    }

    /** True when the contact was merged away or anonymized, so it is not synced as an edit. */
    public boolean isLifecycleChange(JsonNode contact) {
        return contact.hasNonNull("mergedIn") || contact.hasNonNull("archivedAt");
    }

    /** Handles a merged-away or anonymized contact; the outcome for the run's counts, or empty when nothing was due. */
    public Optional<String> handle(JsonNode contact) {
        String contactId = contact.path("id").asText();
        try {
            if (contact.hasNonNull("mergedIn")) {
                return merged(contactId, contact.get("mergedIn").asText());
            }
            return anonymized(contact, mode);
        } catch (RuntimeException e) {
            boolean retryable = e instanceof RemoteCallException r && r.retryable();
            if (!retryable) {
                deadLetters.record(GreenhousePush.DEAD_LETTER_SOURCE, contactId,
                        (contact.hasNonNull("mergedIn") ? "Merge" : "Anonymization") + " of Beamery contact " + contactId
                                + " in Greenhouse", e, contactId);
                return Optional.of("failed");
            }
            throw e;
        }
    }

    private Optional<String> merged(String secondaryId, String primaryId) {
        Optional<LinkStore.Link> duplicate = links.byBeameryId("candidate", secondaryId);
        if (duplicate.isEmpty()) {
            state.forget(secondaryId);
            return Optional.empty();
        }
        String duplicateId = duplicate.get().greenhouseId();
        Optional<LinkStore.Link> primary = links.byBeameryId("candidate", primaryId);
        if (primary.isEmpty()) {
            // the surviving contact takes over the duplicate's candidate
            writer.link(Long.parseLong(duplicateId), primaryId);
        } else if (!primary.get().greenhouseId().equals(duplicateId)) {
            if (!greenhouseMerge) {
                // the merge direction of POST /v3/candidates/{id}/merge is unconfirmed: never guessed silently
                deadLetters.record(GreenhousePush.DEAD_LETTER_SOURCE, secondaryId, "Merge of Beamery contact " + secondaryId
                        + " into " + primaryId + " not carried to Greenhouse", "greenbridge.outbound.greenhouse-merge is off:"
                        + " merge Greenhouse candidate " + duplicateId + " into " + primary.get().greenhouseId()
                        + " by hand (its merge_candidate webhook then fixes the links), or switch it on and replay", null, null, secondaryId);
                state.forget(secondaryId);
                return Optional.of("skipped"); // the duplicate candidate stays linked to the merged-away contact
            }
            try {
                harvest.post("candidates/" + primary.get().greenhouseId() + "/merge",
                        Map.of("duplicate_candidate_id", Long.parseLong(duplicateId)));
            } catch (RemoteCallException e) {
                if (e.status() != 404) {
                    throw e;
                }
                // merged in Greenhouse already (a merge made there and carried the other way)
            }
            links.remove("candidate", duplicateId);
        }
        applications.move(secondaryId, primaryId);
        state.forget(secondaryId);
        return Optional.of("updated");
    }

    /** Also the replay of a failed Greenhouse anonymization. */
    Optional<String> anonymized(JsonNode contact, AnonymizationMode mode) {
        String contactId = contact.path("id").asText();
        if (guard.isAnonymizedBeamery(contactId)) {
            return Optional.empty();
        }
        String greenhouseId = links.byBeameryId("candidate", contactId).map(LinkStore.Link::greenhouseId)
                .orElseGet(() -> contact.path("integrations").path("greenhouse").path("id").asText(null));
        boolean carried = greenhouseId != null && mode == AnonymizationMode.BIDIRECTIONAL
                && !guard.isAnonymizedGreenhouse(greenhouseId);
        if (carried) {
            harvest.patch("candidates/" + greenhouseId + "/anonymize", Map.of("fields", ANONYMIZED_FIELDS));
        }
        guard.record(greenhouseId, contactId, CandidateWriter.emails(contact), "beamery");
        state.forget(contactId);
        return Optional.of(carried ? "updated" : "skipped");
    }
}
