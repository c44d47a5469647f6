package io.greenbridge.outbound;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;
import io.greenbridge.sync.SyncCounts;

/**
 * The steps of route forward-note (routes/contacts-outbound.yaml): new Beamery notes on linked contacts go to
 * Greenhouse ({@code POST /v3/notes}, body mappings/greenhouse-note.jsonata) with their visibility. Each note once:
 * the {@code note} link (Greenhouse note id → Beamery note id) is written with it, and notes Greenbridge itself
 * brought from Greenhouse (already linked, or carrying a {@code gh-} external id) are never sent back.
 */
@Component("noteForwarder")
public class NoteForwarder {
    static final String DEAD_LETTER_SOURCE = "outbound-note";
    /** Property: the Beamery note being forwarded. */
    static final String NOTE = "note";
    private static final String NOTE_ID = "noteId";

    private final BeameryClient beamery;
    private final LinkStore links;
    private final GreenhouseUserMatcher users;
    private final DeadLetterStore deadLetters;
    private final ApplicationLinks applications;
    private final ProducerTemplate camel;
    private final String actingUserId;

    public NoteForwarder(BeameryClient beamery, LinkStore links, GreenhouseUserMatcher users, DeadLetterStore deadLetters,
                         ApplicationLinks applications, @Lazy ProducerTemplate camel, GreenbridgeProperties properties) {
        this.beamery = beamery;
        this.links = links;
        this.users = users;
        this.deadLetters = deadLetters;
        this.applications = applications;
        this.camel = camel;
        this.actingUserId = properties.greenhouse().userId();
    }

    /** Step: the note (body) as property note; headers noteId and greenhouseId (the contact's candidate, if linked). */
    public void prepare(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode note = in.getBody(JsonNode.class);
        exchange.setProperty(NOTE, note);
        in.removeHeader(SyncCounts.OUTCOME);
        in.removeHeader(OutboundCursors.NOTE_RETRY);
        in.removeHeader(GreenhousePush.GREENHOUSE_ID);
        in.setHeader(NOTE_ID, note.path("id").asText());
        links.byBeameryId(CandidateMatch.LINK_KIND, note.path("contactId").asText())
                .ifPresent(l -> in.setHeader(GreenhousePush.GREENHOUSE_ID, Long.valueOf(l.greenhouseId())));
    }

    /** Predicate: sent already, or brought from Greenhouse by Greenbridge. */
    public boolean sentOrFromGreenhouse(Exchange exchange) {
        JsonNode note = exchange.getProperty(NOTE, JsonNode.class);
        return links.byBeameryId("note", note.path("id").asText()).isPresent()
                || note.path("externalId").asText("").startsWith("gh-");
    }

    /**
     * Step: $candidateId, $applicationId (a Beamery note names no vacancy: known only when the contact has exactly
     * one application) and $userId (the author's Greenhouse user, else GREENHOUSE_USER_ID) for the note mapping.
     */
    public void bind(Exchange exchange) {
        JsonNode note = exchange.getProperty(NOTE, JsonNode.class);
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("candidateId", exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID, Long.class));
        applications.onlyApplicationOf(note.path("contactId").asText()).ifPresent(a -> bindings.put("applicationId", a));
        bindings.put("userId", users.greenhouseUserId(note.path("authorId").asText(null))
                .orElseGet(() -> Long.parseLong(actingUserId)));
        exchange.setProperty(MappingComponent.BINDINGS, bindings);
    }

    /** Step: Harvest's answer to POST /v3/notes becomes the note's link. */
    public void linked(Exchange exchange) {
        JsonNode created = exchange.getMessage().getBody(JsonNode.class);
        links.put("note", created.path("id").asText(), exchange.getMessage().getHeader(NOTE_ID, String.class), null);
        exchange.getMessage().setHeader(SyncCounts.OUTCOME, "created");
    }

    /** Step (doCatch): an outage is sent again by a later poll; a refusal is dead-lettered. Counted failed. */
    public void failed(Exchange exchange) {
        RemoteCallException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RemoteCallException.class);
        Message in = exchange.getMessage();
        in.setHeader(SyncCounts.OUTCOME, "failed");
        if (e.retryable()) {
            in.setHeader(OutboundCursors.NOTE_RETRY, true);
            return;
        }
        JsonNode note = exchange.getProperty(NOTE, JsonNode.class);
        deadLetters.record(DEAD_LETTER_SOURCE, note.path("id").asText(),
                "Note " + note.path("id").asText() + " of Beamery contact " + note.path("contactId").asText(), e, null);
    }

    /** The dead-letter replay: sends the note again when it still exists. */
    boolean replay(String noteId) {
        Optional<JsonNode> note = beamery.find("/note/" + noteId);
        if (note.isEmpty()) {
            return false;
        }
        Exchange done = camel.send("direct:forward-note", ex -> ex.getMessage().setBody(note.get()));
        if (done.getException() instanceof RuntimeException e) {
            throw e;
        }
        return "created".equals(done.getMessage().getHeader(SyncCounts.OUTCOME)) || links.byBeameryId("note", noteId).isPresent();
    }
}
