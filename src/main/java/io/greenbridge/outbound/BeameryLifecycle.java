package io.greenbridge.outbound;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Outbound.AnonymizationMode;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncCounts;

/**
 * Merges and anonymizations done in Beamery, carried to Greenhouse: the steps of routes contact-lifecycle,
 * contact-merge and contact-anonymize (routes/contacts-outbound.yaml). A merge of two linked contacts merges the
 * duplicate candidate into the primary's ({@code POST /v3/candidates/{primary}/merge}) and the links follow the
 * surviving contact. An anonymization is remembered by the guard (the contact is never pushed again) and, in
 * {@code bidirectional} mode only, anonymizes the candidate ({@code PATCH /v3/candidates/{id}/anonymize}).
 * The outcome of each is header {@value SyncCounts#OUTCOME} (absent: nothing was due).
 */
@Component("beameryLifecycle")
public class BeameryLifecycle {
    /** Header overriding greenbridge.outbound.anonymization-mode for one contact. */
    static final String MODE = "anonymizationMode";
    private static final String SECONDARY = "secondaryContactId";
    private static final String PRIMARY_CONTACT = "primaryContactId";
    private static final String CARRIED = "anonymizationCarried";
    private static final String ANONYMIZED_ID = "anonymizedGreenhouseId";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkStore links;
    private final ApplicationLinks applications;
    private final OutboundState state;
    private final AnonymizationGuard guard;
    private final DeadLetterStore deadLetters;
    private final ProducerTemplate camel;
    private final AnonymizationMode mode;
    private final boolean greenhouseMerge;

    public BeameryLifecycle(LinkStore links, ApplicationLinks applications, OutboundState state, AnonymizationGuard guard,
                            DeadLetterStore deadLetters, @Lazy ProducerTemplate camel, GreenbridgeProperties properties) {
        this.links = links;
        this.applications = applications;
        this.state = state;
        this.guard = guard;
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.mode = properties.outbound().anonymizationMode();
        this.greenhouseMerge = properties.outbound().greenhouseMergeOn(properties.mode());
    }

    /** True when the contact was merged away or anonymized, so it is not synced as an edit. */
    public boolean isLifecycleChange(JsonNode contact) {
        return contact.hasNonNull("mergedIn") || contact.hasNonNull("archivedAt");
    }

    /** Handles a merged-away or anonymized contact (also the dead-letter replay); the outcome, empty when nothing was due. */
    public Optional<String> handle(JsonNode contact) {
        return run("direct:contact-lifecycle", contact, null);
    }

    /** Also the replay of a failed Greenhouse anonymization. */
    Optional<String> anonymized(JsonNode contact, AnonymizationMode mode) {
        return run("direct:contact-anonymize", contact, mode);
    }

    private Optional<String> run(String route, JsonNode contact, AnonymizationMode mode) {
        Exchange done = camel.send(route, ex -> {
            ex.getMessage().setBody(contact);
            ex.getMessage().setHeader(GreenhousePush.CONTACT_ID, contact.path("id").asText());
            if (mode != null) {
                ex.getMessage().setHeader(MODE, mode);
            }
        });
        if (done.getException() instanceof RuntimeException e) {
            throw e;
        }
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        return Optional.ofNullable(done.getMessage().getHeader(SyncCounts.OUTCOME, String.class));
    }

    // ---- route steps ---------------------------------------------------------------------------------------

    /** Predicate (doCatch): anything but an outage is dead-lettered; an outage fails the run, the next poll retries. */
    public boolean refused(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        return !(e instanceof RemoteCallException r && r.retryable());
    }

    /** Step (doCatch): the merge or anonymization is dead-lettered, counted failed. */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        JsonNode contact = exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class);
        String contactId = contact.path("id").asText();
        boolean merge = contact.hasNonNull("mergedIn");
        deadLetters.record(GreenhousePush.DEAD_LETTER_SOURCE, contactId, (merge ? "Merge" : "Anonymization")
                + " of Beamery contact " + contactId + " in Greenhouse", e, contactId);
        exchange.getMessage().setHeader(SyncCounts.OUTCOME, "failed");
    }

    /**
     * Step: header mergeAction — forget (the merged-away contact had no candidate), adopt (the survivor had none: it
     * takes the duplicate's; headers contactId/greenhouseId for link-candidate), switched-off, merge (headers
     * primaryGreenhouseId, duplicateGreenhouseId; body: the input of mappings/greenhouse-merge.jsonata) or same.
     */
    public void planMerge(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode contact = in.getBody(JsonNode.class);
        String secondaryId = contact.path("id").asText();
        String primaryId = contact.get("mergedIn").asText();
        in.setHeader(SECONDARY, secondaryId);
        in.setHeader(PRIMARY_CONTACT, primaryId);
        Optional<LinkStore.Link> duplicate = links.byBeameryId(CandidateMatch.LINK_KIND, secondaryId);
        if (duplicate.isEmpty()) {
            in.setHeader("mergeAction", "forget");
            return;
        }
        String duplicateId = duplicate.get().greenhouseId();
        in.setHeader("duplicateGreenhouseId", duplicateId);
        Optional<LinkStore.Link> primary = links.byBeameryId(CandidateMatch.LINK_KIND, primaryId);
        if (primary.isEmpty()) {
            in.setHeader("mergeAction", "adopt");
            in.setHeader(GreenhousePush.CONTACT_ID, primaryId);
            in.setHeader(GreenhousePush.GREENHOUSE_ID, Long.parseLong(duplicateId));
        } else if (primary.get().greenhouseId().equals(duplicateId)) {
            in.setHeader("mergeAction", "same");
        } else {
            in.setHeader("primaryGreenhouseId", primary.get().greenhouseId());
            // the merge direction of POST /v3/candidates/{id}/merge is unconfirmed: never guessed silently
            in.setHeader("mergeAction", greenhouseMerge ? "merge" : "switched-off");
            in.setBody(JSON.createObjectNode().put("duplicateCandidateId", duplicateId));
        }
    }

    /** Step: the merged-away contact had no candidate: only its echo state goes. */
    public void forget(Exchange exchange) {
        state.forget(secondary(exchange));
    }

    /** Step: greenbridge.outbound.greenhouse-merge is off: reported for a person to merge, nothing merged. */
    public void mergeSwitchedOff(Exchange exchange) {
        Message in = exchange.getMessage();
        String secondaryId = secondary(exchange);
        String primaryId = in.getHeader(PRIMARY_CONTACT, String.class);
        String duplicateId = in.getHeader("duplicateGreenhouseId", String.class);
        deadLetters.record(GreenhousePush.DEAD_LETTER_SOURCE, secondaryId, "Merge of Beamery contact " + secondaryId
                + " into " + primaryId + " not carried to Greenhouse", "greenbridge.outbound.greenhouse-merge is off:"
                + " merge Greenhouse candidate " + duplicateId + " into " + in.getHeader("primaryGreenhouseId")
                + " by hand (its merge_candidate webhook then fixes the links), or switch it on and replay", null, null, secondaryId);
        state.forget(secondaryId);
        in.setHeader(SyncCounts.OUTCOME, "skipped"); // the duplicate candidate stays linked to the merged-away contact
    }

    /** Step: the duplicate candidate is gone in Greenhouse: so is its link. */
    public void unlinkDuplicate(Exchange exchange) {
        links.remove(CandidateMatch.LINK_KIND, exchange.getMessage().getHeader("duplicateGreenhouseId", String.class));
    }

    /** Step: the application links follow the surviving contact. */
    public void finishMerge(Exchange exchange) {
        String secondaryId = secondary(exchange);
        applications.move(secondaryId, exchange.getMessage().getHeader(PRIMARY_CONTACT, String.class));
        state.forget(secondaryId);
        exchange.getMessage().setHeader(SyncCounts.OUTCOME, "updated");
    }

    /**
     * Step: header anonymizeAction — none (remembered already), carry (bidirectional mode and a candidate not yet
     * anonymized: header greenhouseId) or local.
     */
    public void planAnonymization(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode contact = in.getBody(JsonNode.class);
        String contactId = contact.path("id").asText();
        exchange.setProperty(GreenhousePush.CONTACT, contact);
        if (guard.isAnonymizedBeamery(contactId)) {
            in.setHeader("anonymizeAction", "none");
            return;
        }
        AnonymizationMode asked = in.getHeader(MODE, mode, AnonymizationMode.class);
        String greenhouseId = links.byBeameryId(CandidateMatch.LINK_KIND, contactId).map(LinkStore.Link::greenhouseId)
                .orElseGet(() -> contact.path("integrations").path("greenhouse").path("id").asText(null));
        boolean carry = greenhouseId != null && asked == AnonymizationMode.BIDIRECTIONAL && !guard.isAnonymizedGreenhouse(greenhouseId);
        exchange.setProperty(ANONYMIZED_ID, greenhouseId);
        exchange.setProperty(CARRIED, carry);
        in.setHeader("anonymizeAction", carry ? "carry" : "local");
        if (carry) {
            in.setHeader(GreenhousePush.GREENHOUSE_ID, greenhouseId);
        }
    }

    /** Step: the guard remembers the person (never pushed again); updated when Greenhouse was anonymized too. */
    public void recordAnonymization(Exchange exchange) {
        JsonNode contact = exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class);
        String contactId = contact.path("id").asText();
        guard.record(exchange.getProperty(ANONYMIZED_ID, String.class), contactId, CandidateMatch.allEmails(contact), "beamery");
        state.forget(contactId);
        exchange.getMessage().setHeader(SyncCounts.OUTCOME, exchange.getProperty(CARRIED, false, Boolean.class) ? "updated" : "skipped");
    }

    private static String secondary(Exchange exchange) {
        String secondary = exchange.getMessage().getHeader(SECONDARY, String.class);
        return secondary != null ? secondary : exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
    }
}
