package io.greenbridge.candidate;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.store.LinkStore;

/**
 * Greenhouse notes → private Beamery notes, each once (link kind {@code note}: Greenhouse note id → Beamery
 * note id; notes that came from Beamery are already linked, so they never echo back). Only notes of type NOTE
 * that are not admin-only are copied: admin-only notes would reach people Greenhouse hides them from.
 */
@Component
public class CandidateNotes {
    static final String LINK_KIND = "note";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateNotes.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BeameryClient beamery;
    private final LinkStore links;
    private final ReferenceLookup reference;

    public CandidateNotes(BeameryClient beamery, LinkStore links, ReferenceLookup reference) {
        this.beamery = beamery;
        this.links = links;
        this.reference = reference;
    }

    /** Returns how many notes were created. */
    public int sync(CandidateData data, String contactId) {
        int created = 0;
        for (JsonNode note : data.notes()) {
            String type = note.path("type").asText("NOTE");
            if (!"NOTE".equalsIgnoreCase(type) || "admin_only_visible".equals(note.path("visibility").asText())
                    || note.path("body").asText("").isBlank()) {
                continue;
            }
            String noteId = note.path("id").asText();
            if (links.byGreenhouseId(LINK_KIND, noteId).isPresent()) {
                continue;
            }
            ObjectNode body = JSON.createObjectNode().put("content", note.get("body").asText()).put("private", true)
                    .put("externalId", "gh-note-" + noteId);
            if (note.hasNonNull("created_at")) {
                body.put("createdAt", note.get("created_at").asText());
            }
            reference.beameryUser(note.path("user_id")).ifPresent(u -> body.put("authorId", u));
            JsonNode createdNote = beamery.createNote(contactId, body);
            links.put(LINK_KIND, noteId, createdNote.path("id").asText(), null);
            created++;
        }
        if (created > 0) {
            LOG.debug("Candidate {}: {} notes copied", data.greenhouseId(), created);
        }
        return created;
    }
}
