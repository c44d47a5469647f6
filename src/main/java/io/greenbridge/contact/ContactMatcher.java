package io.greenbridge.contact;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * Finds the Beamery contact of a Greenhouse candidate (the dedupe and merge filters, in order):
 * <ol>
 * <li>the contact linked to the Greenhouse id (link kind {@code candidate});</li>
 * <li>only with {@code greenbridge.candidates.adopt-by-integration-search}: a live contact carrying this Greenhouse
 *     id in {@code integrations.greenhouse.id}, found by Beamery's integration search (adopts contacts of Beamery's
 *     native connector under another email; assumed filter). Off by default: it is a second read for every new
 *     candidate, and the email search below already finds the contacts we made (a restored store, a crash);</li>
 * <li>by email: a contact already carrying this Greenhouse id ({@code integrations.greenhouse.id}) is
 *     re-linked (recovers a crash between create and link);</li>
 * <li>by email: exactly one live contact with no Greenhouse id, and no contact with that email linked to
 *     another Greenhouse id → auto-merge into it;</li>
 * <li>otherwise (an email contact belongs to another Greenhouse id, or several contacts share the email, or
 *     none) → a new contact.</li>
 * </ol>
 * Merged-away contacts ({@code mergedIn}) never match; anonymized ones never match either but are reported,
 * so the caller can hold a person re-added after anonymization. Call it holding {@link CandidateLocks}.
 */
@Component
public class ContactMatcher {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ContactMatcher.class);

    private final LinkStore links;
    private final BeameryClient beamery;
    private final AnonymizationGuard guard;
    private final boolean adoptByIntegrationSearch;

    public ContactMatcher(LinkStore links, BeameryClient beamery, AnonymizationGuard guard, GreenbridgeProperties properties) {
        this.links = links;
        this.beamery = beamery;
        this.guard = guard;
        this.adoptByIntegrationSearch = properties.candidates().adoptByIntegrationSearch();
    }

    public enum Kind { LINKED, EMAIL, NEW }

    /**
     * @param contactId the contact to update (null for NEW)
     * @param anonymizedEmailMatch an anonymized Beamery contact has one of the emails
     * @param reason why, for logs and tests (never contains an email)
     */
    public record Match(Kind kind, String contactId, boolean anonymizedEmailMatch, String reason) {
    }

    public Match match(String greenhouseId, Collection<String> emails) {
        Optional<String> linked = linkedContact(greenhouseId);
        if (linked.isPresent()) {
            return new Match(Kind.LINKED, linked.get(), false, "linked");
        }
        Optional<JsonNode> carrying = adoptByIntegrationSearch ? carrying(greenhouseId) : Optional.empty();
        if (carrying.isPresent()) {
            return new Match(Kind.LINKED, carrying.get().path("id").asText(), false, "adopted: carries this Greenhouse id");
        }
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (String email : emails) {
            for (JsonNode c : beamery.findContactsByEmail(email)) {
                if (!c.hasNonNull("mergedIn")) {
                    found.putIfAbsent(c.path("id").asText(), c);
                }
            }
        }
        boolean anonymized = false;
        List<JsonNode> live = new java.util.ArrayList<>();
        for (JsonNode c : found.values()) {
            if (isAnonymized(c)) {
                anonymized = true;
            } else {
                live.add(c);
            }
        }
        for (JsonNode c : live) {
            if (greenhouseId.equals(greenhouseIdOn(c))) {
                return new Match(Kind.LINKED, c.path("id").asText(), anonymized, "carries this Greenhouse id");
            }
        }
        if (live.stream().anyMatch(c -> greenhouseIdOn(c) != null)) {
            return new Match(Kind.NEW, null, anonymized, "email belongs to another Greenhouse candidate");
        }
        if (live.size() == 1) {
            return new Match(Kind.EMAIL, live.get(0).path("id").asText(), anonymized, "one contact with this email and no Greenhouse id");
        }
        return new Match(Kind.NEW, null, anonymized, live.isEmpty() ? "no match" : "several contacts share the email");
    }

    /**
     * The live Beamery contact whose integrations carry this Greenhouse id ({@code GET /contacts?integration=greenhouse
     * &integrationId=}, an assumed filter). Checked on our side too, and only the first {@value #ADOPT_SCAN} answers
     * are read, so a tenant that ignores the filter costs one page, not a scan of every contact.
     */
    public Optional<JsonNode> carrying(String greenhouseId) {
        try {
            return beamery.list("/contacts", "contacts", Map.of("integration", "greenhouse", "integrationId", greenhouseId))
                    .limit(ADOPT_SCAN)
                    .filter(c -> greenhouseId.equals(greenhouseIdOn(c)) && !c.hasNonNull("mergedIn") && !isAnonymized(c))
                    .findFirst();
        } catch (RemoteCallException e) {
            if (e.retryable() || (e.status() != 400 && e.status() != 422)) {
                throw e;
            }
            // a tenant that refuses the assumed filter: match by link and email only, as before
            LOG.warn("Beamery refused the contact search by integration id (HTTP {}); adoption by Greenhouse id is off", e.status());
            return Optional.empty();
        }
    }

    static final int ADOPT_SCAN = 100;

    public Optional<String> linkedContact(String greenhouseId) {
        return links.byGreenhouseId(LinkKinds.CANDIDATE, greenhouseId).map(LinkStore.Link::beameryId);
    }

    /** The Greenhouse candidate linked to a Beamery contact. */
    public Optional<String> linkedCandidate(String contactId) {
        return links.byBeameryId(LinkKinds.CANDIDATE, contactId).map(LinkStore.Link::greenhouseId);
    }

    /** Links (or moves the link of) a Greenhouse candidate to a contact; write it right after creating one. */
    public void link(String greenhouseId, String contactId) {
        links.put(LinkKinds.CANDIDATE, greenhouseId, contactId, null);
    }

    public void unlink(String greenhouseId) {
        links.remove(LinkKinds.CANDIDATE, greenhouseId);
    }

    /** {@code integrations.greenhouse.id} of a Beamery contact, or null. */
    public static String greenhouseIdOn(JsonNode contact) {
        JsonNode id = contact.path("integrations").path("greenhouse").path("id");
        return id.isValueNode() && !id.isNull() && !id.asText().isBlank() ? id.asText() : null;
    }

    private boolean isAnonymized(JsonNode contact) {
        return contact.hasNonNull("archivedAt") || guard.isAnonymizedBeamery(contact.path("id").asText());
    }
}
