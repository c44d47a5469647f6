package io.greenbridge.candidate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.store.LinkStore;

/**
 * The note steps of routes/contacts-inbound.yaml: Greenhouse notes → private Beamery notes, each once (link kind
 * {@code note}: Greenhouse note id → Beamery note id; notes that came from Beamery are already linked, so they never
 * echo back). Only notes of type NOTE that are not admin-only are copied: admin-only notes would reach people
 * Greenhouse hides them from. The body is mappings/contact-note.jsonata.
 */
@Component("candidateNotes")
public class CandidateNotes {
    static final String LINK_KIND = "note";
    private static final String NOTE_ID = "greenhouseNoteId";

    private final LinkStore links;
    private final ReferenceLookup reference;

    public CandidateNotes(LinkStore links, ReferenceLookup reference) {
        this.links = links;
        this.reference = reference;
    }

    /** Split {@code each-new-note}: the candidate's notes to copy (NOTE, not admin-only, not blank, not copied yet). */
    public List<JsonNode> toCopy(Exchange exchange) {
        CandidateData data = exchange.getProperty(CandidateLoader.CANDIDATE, CandidateData.class);
        return data.notes().stream()
                .filter(n -> "NOTE".equalsIgnoreCase(n.path("type").asText("NOTE")))
                .filter(n -> !"admin_only_visible".equals(n.path("visibility").asText()))
                .filter(n -> !n.path("body").asText("").isBlank())
                .filter(n -> links.byGreenhouseId(LINK_KIND, n.path("id").asText()).isEmpty())
                .toList();
    }

    /** Step {@code note-author}: the note's id, and $author for the mapping when its author is a Beamery user. */
    public void author(Exchange exchange) {
        JsonNode note = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(NOTE_ID, note.path("id").asText());
        Map<String, Object> bindings = new LinkedHashMap<>();
        reference.beameryUser(note.path("user_id")).ifPresent(u -> bindings.put("author", u));
        exchange.setProperty(MappingComponent.BINDINGS, bindings);
    }

    /** Step {@code link-note}: the body is Beamery's answer (the note). */
    public void linked(Exchange exchange) {
        links.put(LINK_KIND, exchange.getProperty(NOTE_ID, String.class), exchange.getMessage().getBody(JsonNode.class)
                .path("id").asText(), null);
    }
}
