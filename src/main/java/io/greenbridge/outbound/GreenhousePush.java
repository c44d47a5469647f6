package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Lazy;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.support.RemoteCallException;

/**
 * "Add to Greenhouse" and the sync of later edits, one Beamery contact in, one {@link PushResult} out: the pipeline
 * is {@code direct:sync-contact} in routes/contacts-outbound.yaml (push: routes/greenhouse-push.yaml). This bean
 * starts it from Java (the poll's batch, dead-letter replay) and holds the steps that answer: a skip with its
 * reason, a result, a failure (dead-lettered, source {@code outbound}; a caller error is not retried until the
 * contact changes).
 */
@Component("greenhousePush")
public class GreenhousePush {
    static final String DEAD_LETTER_SOURCE = "outbound";
    /** Headers and properties the per-contact steps share. */
    static final String CONTACT_ID = "contactId";
    static final String GREENHOUSE_ID = "greenhouseId";
    static final String PUSH_KIND = "pushKind";
    static final String HASH = "projectionHash";
    static final String CONTACT = "contact";
    static final String EXPLICIT = "explicit";
    static final String CONTACT_MISSING = "contactMissing";
    private static final Logger LOG = LoggerFactory.getLogger(GreenhousePush.class);

    private final ProducerTemplate camel;
    private final OutboundState state;
    private final DeadLetterStore deadLetters;

    public GreenhousePush(@Lazy ProducerTemplate camel, OutboundState state, DeadLetterStore deadLetters) {
        this.camel = camel;
        this.state = state;
        this.deadLetters = deadLetters;
    }

    /** A contact to sync and, when it is new to Greenhouse, how to create it. */
    public record Work(JsonNode contact, PushKind kind) {
    }

    /** Works a batch of contacts already read from Beamery (the poll), a few at a time; results in order. */
    @SuppressWarnings("unchecked")
    List<PushResult> syncAll(List<Work> work) {
        return camel.requestBody("direct:sync-contacts", new ArrayList<>(work), List.class);
    }

    /**
     * One contact through the pipeline.
     * @param explicit a person asked (push endpoint, replay): a projection that failed before is tried again,
     *                 and a failure Greenhouse may recover from is dead-lettered too (the poll retries those itself)
     */
    PushResult sync(JsonNode contact, PushKind kind, boolean explicit) {
        Exchange done = camel.send("direct:sync-contact", ex -> {
            ex.getMessage().setBody(contact);
            ex.getMessage().setHeader(PUSH_KIND, kind.name());
            ex.setProperty(EXPLICIT, explicit);
        });
        if (done.getException() != null) {
            throw new IllegalStateException(done.getException());
        }
        return done.getMessage().getBody(PushResult.class);
    }

    // ---- route steps ---------------------------------------------------------------------------------------

    /** Step: every id once, in the order asked. */
    public List<String> distinct(List<String> contactIds) {
        return new ArrayList<>(new LinkedHashSet<>(contactIds));
    }

    /** Step: the contact (body) becomes property {@value #CONTACT}, with its id and projection hash as headers. */
    public void prepare(Exchange exchange) {
        JsonNode contact = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(CONTACT, contact);
        exchange.getMessage().setHeader(CONTACT_ID, contact.path("id").asText());
        exchange.getMessage().setHeader(HASH, ContactProjection.hash(contact));
        exchange.getMessage().removeHeader(GREENHOUSE_ID);
    }

    /** Step: the contact is skipped for the reason the guard named. */
    public void skip(Exchange exchange, String guard) {
        String contactId = exchange.getMessage().getHeader(CONTACT_ID, String.class);
        Long greenhouseId = exchange.getMessage().getHeader(GREENHOUSE_ID, Long.class);
        JsonNode contact = exchange.getProperty(CONTACT, JsonNode.class);
        String why = switch (guard) {
            case "unknown-contact" -> {
                exchange.setProperty(CONTACT_MISSING, true);
                yield "Beamery has no contact " + contactId + ".";
            }
            case "anonymized-contact" -> "The contact is anonymized in Beamery; it is never pushed.";
            case "merged-away" -> "The contact was merged into " + contact.get("mergedIn").asText() + "; push that contact.";
            case "refused-before" -> "Greenhouse refused this version of the contact;"
                    + " it is tried again when the contact changes or its dead letter is replayed.";
            case "anonymized-candidate" -> "The candidate is anonymized in Greenhouse.";
            case "anonymized-person" -> "The person was anonymized; they are not pushed again.";
            case "linked-elsewhere" -> "Greenhouse candidate " + greenhouseId + " with this email is already linked to"
                    + " Beamery contact " + exchange.getMessage().getHeader(CandidateMatch.OTHER_CONTACT) + "; merge the two contacts in Beamery.";
            default -> throw new IllegalArgumentException("no guard " + guard);
        };
        exchange.getMessage().setBody(PushResult.skipped(contactId, greenhouseId, why));
    }

    /** Step: the contact's answer with this outcome. */
    public void result(Exchange exchange, String outcome) {
        exchange.getMessage().setBody(PushResult.of(exchange.getMessage().getHeader(CONTACT_ID, String.class), outcome,
                exchange.getMessage().getHeader(GREENHOUSE_ID, Long.class)));
    }

    /** Step (doCatch): the contact failed; its answer says why in Greenhouse's words. */
    public void failed(Exchange exchange) {
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        while (e instanceof org.apache.camel.RuntimeCamelException && e.getCause() != null) {
            e = e.getCause(); // Camel's wrapper around what the step threw
        }
        String contactId = exchange.getMessage().getHeader(CONTACT_ID, String.class);
        Long greenhouseId = exchange.getMessage().getHeader(GREENHOUSE_ID, Long.class);
        String hash = exchange.getMessage().getHeader(HASH, String.class);
        boolean explicit = exchange.getProperty(EXPLICIT, false, Boolean.class);
        boolean retryable = e instanceof RemoteCallException r && r.retryable();
        String message = GreenhouseMessages.of(e);
        if (!retryable && hash != null) {
            state.recordFailed(contactId, hash);
        }
        if (!retryable || explicit) {
            deadLetters.record(DEAD_LETTER_SOURCE, contactId, "Push of Beamery contact " + contactId + " to Greenhouse",
                    e, contactId);
        } else {
            LOG.warn("Push of contact {} will be retried by the next poll: {}", contactId, message);
        }
        exchange.getMessage().setBody(new PushResult(contactId, "failed", greenhouseId, message));
    }
}
