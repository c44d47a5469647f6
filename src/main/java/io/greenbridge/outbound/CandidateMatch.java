package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.store.LinkStore;

/**
 * Which Greenhouse candidate a Beamery contact is: the {@code candidate} link, else the Greenhouse id Beamery holds
 * in {@code integrations.greenhouse.id} (adopted as the link), else the candidate holding one of its emails
 * (routes/contacts-outbound.yaml, {@code find-candidate-by-email}); and the link itself once a candidate is known.
 */
@Component("candidateMatch")
public class CandidateMatch {
    static final String LINK_KIND = "candidate";
    /** Header: the candidate found by email. */
    static final String FOUND_ID = "foundId";
    /** Header: the contact another candidate link belongs to (guard linked-to-another-contact). */
    static final String OTHER_CONTACT = "otherContactId";
    private static final String EMAILS = "emails";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkStore links;
    private final String candidateUrl;

    public CandidateMatch(LinkStore links, GreenbridgeProperties properties) {
        this.links = links;
        this.candidateUrl = properties.outbound().candidateUrl();
    }

    /** Predicate: the poll syncs this contact's edits (it is, or Beamery says it is, in Greenhouse). */
    public boolean isLinked(Exchange exchange) {
        JsonNode contact = exchange.getMessage().getBody(JsonNode.class);
        return links.byBeameryId(LINK_KIND, contact.path("id").asText()).isPresent() || heldId(contact).matches("\\d+");
    }

    /** Step: header greenhouseId = the linked candidate; an id Beamery holds that no one else links is adopted. */
    public void linked(Exchange exchange) {
        Message in = exchange.getMessage();
        String contactId = in.getHeader(GreenhousePush.CONTACT_ID, String.class);
        Optional<LinkStore.Link> link = links.byBeameryId(LINK_KIND, contactId);
        if (link.isPresent()) {
            in.setHeader(GreenhousePush.GREENHOUSE_ID, Long.valueOf(link.get().greenhouseId()));
            return;
        }
        String held = heldId(exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class));
        if (held.matches("\\d+") && links.byGreenhouseId(LINK_KIND, held).isEmpty()) {
            links.put(LINK_KIND, held, contactId, null);
            in.setHeader(GreenhousePush.GREENHOUSE_ID, Long.valueOf(held));
        }
    }

    /** Step: property emails = the contact's emails, lower-cased, primary first, each once; no candidate found yet. */
    public void emails(Exchange exchange) {
        JsonNode contact = exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class);
        Set<String> emails = new LinkedHashSet<>();
        BeameryValues.strings(contact.path("primaryEmail")).forEach(e -> emails.add(e.toLowerCase(Locale.ROOT)));
        BeameryValues.strings(contact.path("emails")).forEach(e -> emails.add(e.toLowerCase(Locale.ROOT)));
        exchange.setProperty(EMAILS, new ArrayList<>(emails));
        exchange.getMessage().removeHeader(FOUND_ID);
    }

    /** Step (in the loop): header email = the email of this round. */
    public void nextEmail(Exchange exchange) {
        List<?> emails = exchange.getProperty(EMAILS, List.class);
        exchange.getMessage().setHeader("email", emails.get(exchange.getProperty(Exchange.LOOP_INDEX, Integer.class)));
    }

    /** Step: the first candidate Harvest lists (body: a streaming iterator; only its first page is read). */
    public void first(Exchange exchange) {
        Iterator<?> found = exchange.getMessage().getBody(Iterator.class);
        if (found != null && found.hasNext()) {
            CandidateCreates.candidateId((JsonNode) found.next())
                    .ifPresent(id -> exchange.getMessage().setHeader(FOUND_ID, id));
        }
    }

    /** Predicate: the candidate is linked to another contact already. */
    public boolean linkedElsewhere(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
        Optional<LinkStore.Link> other = links.byGreenhouseId(LINK_KIND,
                String.valueOf(exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID)));
        other.ifPresent(o -> exchange.getMessage().setHeader(OTHER_CONTACT, o.beameryId()));
        return other.isPresent() && !other.get().beameryId().equals(contactId);
    }

    /**
     * Step: links the candidate (header greenhouseId) to the contact (header contactId); the body becomes the input
     * of mappings/contact-greenhouse-link.jsonata (the Greenhouse id and URL written back onto the contact).
     */
    public void link(Exchange exchange) {
        Message in = exchange.getMessage();
        String candidateId = String.valueOf(in.getHeader(GreenhousePush.GREENHOUSE_ID));
        links.put(LINK_KIND, candidateId, in.getHeader(GreenhousePush.CONTACT_ID, String.class), null);
        in.setBody(JSON.createObjectNode().put("candidateId", candidateId));
        exchange.setProperty(MappingComponent.BINDINGS, Map.of("candidateUrl", candidateUrl));
    }

    static List<String> allEmails(JsonNode contact) {
        List<String> all = BeameryValues.strings(contact.path("emails"));
        all.addAll(BeameryValues.strings(contact.path("primaryEmail")));
        return all;
    }

    private static String heldId(JsonNode contact) {
        return contact.path("integrations").path("greenhouse").path("id").asText("");
    }
}
