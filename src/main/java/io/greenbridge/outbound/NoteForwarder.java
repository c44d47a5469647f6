package io.greenbridge.outbound;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.reference.UserDirectory;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * New Beamery notes on linked contacts go to Greenhouse ({@code POST /v3/notes}) with their visibility: a private
 * note stays private, a public one is public. Each note once: the {@code note} link (Greenhouse note id → Beamery
 * note id) is written with it, and notes Greenbridge itself brought from Greenhouse (already linked, or carrying a
 * {@code gh-} external id) are never sent back.
 */
@Component
public class NoteForwarder {
    static final String DEAD_LETTER_SOURCE = "outbound-note";

    private final BeameryClient beamery;
    private final HarvestClient harvest;
    private final LinkStore links;
    private final AnonymizationGuard guard;
    private final UserDirectory users;
    private final DeadLetterStore deadLetters;
    private final ApplicationLinks applications;
    private final String actingUserId;

    public NoteForwarder(BeameryClient beamery, HarvestClient harvest, LinkStore links, AnonymizationGuard guard,
                         UserDirectory users, DeadLetterStore deadLetters, ApplicationLinks applications,
                         GreenbridgeProperties properties) {
        this.beamery = beamery;
        this.harvest = harvest;
        this.links = links;
        this.guard = guard;
        this.users = users;
        this.deadLetters = deadLetters;
        this.applications = applications;
        this.actingUserId = properties.greenhouse().userId();
    }

    /** Notes created at or after {@code since}, oldest first, each reported to {@code sink}. */
    public void forwardSince(Instant since, NoteSink sink) {
        beamery.listNotes(since, null).forEach(note -> {
            Instant created = Instant.parse(note.path("createdAt").asText());
            try {
                sink.accept(forward(note).orElse(null), created, false);
            } catch (RemoteCallException e) {
                if (e.retryable()) {
                    sink.accept("failed", created, true);
                    return;
                }
                deadLetters.record(DEAD_LETTER_SOURCE, note.path("id").asText(),
                        "Note " + note.path("id").asText() + " of Beamery contact " + note.path("contactId").asText(), e, null);
                sink.accept("failed", created, false);
            }
        });
    }

    /** What the flow learns from each note: its outcome (null: not due), its creation time, and whether to retry it. */
    @FunctionalInterface
    public interface NoteSink {
        void accept(String outcome, Instant createdAt, boolean retry);
    }

    /** Sends one note when it is due; empty when it is not ours to send (or already sent). */
    Optional<String> forward(JsonNode note) {
        String noteId = note.path("id").asText();
        if (links.byBeameryId("note", noteId).isPresent() || note.path("externalId").asText("").startsWith("gh-")) {
            return Optional.empty();
        }
        Optional<LinkStore.Link> candidate = links.byBeameryId("candidate", note.path("contactId").asText());
        if (candidate.isEmpty() || guard.isAnonymizedGreenhouse(candidate.get().greenhouseId())) {
            return Optional.empty();
        }
        // v3 POST /notes as public v3 clients send it: candidate_id, application_id, user_id, body, visibility, note_type
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("candidate_id", Long.parseLong(candidate.get().greenhouseId()));
        // a Beamery note names no vacancy: the application is known only when the contact has exactly one
        applications.onlyApplicationOf(note.path("contactId").asText()).ifPresent(a -> body.put("application_id", a));
        body.put("user_id", users.greenhouseUserId(note.path("authorId").asText(null))
                .orElseGet(() -> Long.parseLong(actingUserId)));
        body.put("body", note.path("content").asText());
        body.put("visibility", note.path("private").asBoolean(false) ? "private" : "public");
        body.put("note_type", "NOTE");
        JsonNode created = harvest.post("notes", body);
        links.put("note", created.path("id").asText(), noteId, null);
        return Optional.of("created");
    }

    /** The dead-letter replay: sends the note again when it still exists. */
    boolean replay(String noteId) {
        return beamery.find("/note/" + noteId).map(note -> forward(note).isPresent() || links.byBeameryId("note", noteId).isPresent())
                .orElse(false);
    }
}
