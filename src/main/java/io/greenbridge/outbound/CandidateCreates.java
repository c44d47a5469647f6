package io.greenbridge.outbound;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The steps of {@code create-candidate} (routes/contacts-outbound.yaml): candidate or prospect, the candidate found
 * by email adopted instead of a second one, v3's asynchronous create ({@code {message}} without the record: looked up
 * by email, else {@code pending} and never created twice, {@link PendingCreates}). A missing id is never taken as 0.
 */
@Component("candidateCreates")
public class CandidateCreates {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateCreates.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROSPECT = "prospect";
    private static final String WAS_PENDING = "wasPending";
    private static final String LINKED_EXISTING = "linkedExisting";

    private final PendingCreates pending;

    public CandidateCreates(PendingCreates pending) {
        this.pending = pending;
    }

    /** Step: a prospect when the rule asks for one (then no job applications) or the contact is on no linked job. */
    public void kind(Exchange exchange) {
        PushKind kind = PushKind.valueOf(String.valueOf(exchange.getMessage().getHeader(GreenhousePush.PUSH_KIND, "AUTO")));
        ObjectNode candidate = CandidateUpdates.candidate(exchange);
        exchange.setProperty(PROSPECT, kind == PushKind.PROSPECT || candidate.path("applications").isEmpty());
        if (kind == PushKind.PROSPECT) {
            candidate.putArray("applications");
        }
        exchange.setProperty(WAS_PENDING, pending.isPending(contactId(exchange)));
    }

    /** Predicate: created already and Greenhouse has not made the record yet (nothing found by email). */
    public boolean awaitingGreenhouse(Exchange exchange) {
        return exchange.getMessage().getHeader(CandidateMatch.FOUND_ID) == null
                && exchange.getProperty(WAS_PENDING, false, Boolean.class);
    }

    /** Step: the candidate holding the contact's email is linked, not duplicated (or a pending create arrived). */
    public void adopt(Exchange exchange) {
        Message in = exchange.getMessage();
        in.setHeader(GreenhousePush.GREENHOUSE_ID, in.getHeader(CandidateMatch.FOUND_ID, Long.class));
        exchange.setProperty(LINKED_EXISTING, !exchange.getProperty(WAS_PENDING, false, Boolean.class));
        pending.clear(contactId(exchange));
    }

    /** Step: the input of mappings/candidate-create.jsonata: the mapped candidate and whether it is a prospect. */
    public void input(Exchange exchange) {
        ObjectNode input = JSON.createObjectNode();
        input.set("candidate", CandidateUpdates.candidate(exchange));
        input.put(PROSPECT, exchange.getProperty(PROSPECT, false, Boolean.class));
        exchange.getMessage().setBody(input);
    }

    /** Step: Harvest's answer to POST /v3/candidates; header greenhouseId when it holds the record. */
    public void created(Exchange exchange) {
        candidateId(exchange.getMessage().getBody(JsonNode.class)).ifPresent(id -> {
            exchange.getMessage().setHeader(GreenhousePush.GREENHOUSE_ID, id);
            pending.clear(contactId(exchange));
        });
    }

    /** Step: an asynchronous create, then looked up by email: linked when listed, else pending. */
    public void createdLater(Exchange exchange) {
        Long found = exchange.getMessage().getHeader(CandidateMatch.FOUND_ID, Long.class);
        String contactId = contactId(exchange);
        if (found != null) {
            exchange.getMessage().setHeader(GreenhousePush.GREENHOUSE_ID, found);
            pending.clear(contactId);
            return;
        }
        pending.mark(contactId);
        LOG.info("Push of contact {}: Greenhouse accepted the candidate without returning it; linked on a later poll", contactId);
        pending(exchange);
    }

    /** Step: the answer for a create Greenhouse has not finished. */
    public void pending(Exchange exchange) {
        exchange.getMessage().setBody(new PushResult(contactId(exchange), PushResult.PENDING, null, "Greenhouse accepted the"
                + " candidate but has not returned it yet (asynchronous create); Greenbridge finds it by email and links it"
                + " on the next poll."));
    }

    /** Step: created, or linked to a candidate Greenhouse had (it keeps its profile; later edits flow as usual). */
    public void result(Exchange exchange) {
        exchange.getMessage().setBody(PushResult.of(contactId(exchange),
                exchange.getProperty(LINKED_EXISTING, false, Boolean.class) ? "linked" : "created",
                exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID, Long.class)));
    }

    /** A Harvest record's id, when it has a real one. */
    static Optional<Long> candidateId(JsonNode record) {
        JsonNode id = record == null ? null : record.path("id");
        return id != null && id.canConvertToLong() && id.asLong() > 0 ? Optional.of(id.asLong()) : Optional.empty();
    }

    private static String contactId(Exchange exchange) {
        return exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
    }
}
