package io.greenbridge.candidate;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryValues;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.RemoteCallException;

/**
 * Greenhouse candidate → Beamery contact from Java (the held-people release, the lifecycle events, replays): the
 * pipeline is the route {@code direct:candidate-sync} in routes/contacts-inbound.yaml; this bean sends one candidate
 * into it with the rules to apply and reads back what it did.
 */
@Component
public class CandidateSync {
    public static final String ROUTE = "direct:candidate-sync";
    /** Header: the Greenhouse candidate id (text). */
    public static final String CANDIDATE_ID = "candidateId";
    /** Exchange properties: what started the sync, and whether private / confidential candidates are blocked. */
    public static final String TRIGGER = "trigger";
    public static final String BLOCK_PRIVATE = "blockPrivate";
    public static final String BLOCK_CONFIDENTIAL = "blockConfidential";
    /** Headers the pipeline leaves: outcome, the contact, and why (a skip's reason or the match's). */
    public static final String OUTCOME = "outcome";
    public static final String CONTACT_ID = "contactId";
    public static final String REASON = "outcomeReason";

    private final ProducerTemplate camel;
    private final GreenbridgeProperties.Candidates settings;

    public CandidateSync(ProducerTemplate camel, GreenbridgeProperties props) {
        this.camel = camel;
        this.settings = props.candidates();
    }

    /** The rules one sync applies; {@link #defaults(String)} takes them from greenbridge.candidates.*. */
    public record Context(String trigger, boolean blockPrivate, boolean blockConfidential) {
        public Context withBlockConfidential(boolean block) {
            return new Context(trigger, blockPrivate, block);
        }

        public Context withBlockPrivate(boolean block) {
            return new Context(trigger, block, blockConfidential);
        }

        void applyTo(Exchange exchange) {
            exchange.setProperty(TRIGGER, trigger);
            exchange.setProperty(BLOCK_PRIVATE, blockPrivate);
            exchange.setProperty(BLOCK_CONFIDENTIAL, blockConfidential);
        }
    }

    /**
     * What a sync did: {@code created}, {@code linked} (auto-merged by email), {@code updated},
     * {@code unchanged} or {@code skipped} (with the reason: anonymized, held, private, confidential, gone…).
     */
    public record Outcome(String outcome, String contactId, String reason) {
    }

    public Context defaults(String trigger) {
        return new Context(trigger, settings.blockPrivate(), settings.blockConfidential());
    }

    /** Route step {@code candidate-rules}: the configured rules, for the event named by the header GreenhouseAction. */
    public void useDefaults(Exchange exchange) {
        defaults(exchange.getMessage().getHeader("GreenhouseAction", "event", String.class)).applyTo(exchange);
    }

    /** Reads the candidate from Harvest and syncs it; a candidate Greenhouse no longer has is skipped. */
    public Outcome syncCandidate(long greenhouseId, Context context) {
        return run(String.valueOf(greenhouseId), context, null);
    }

    /** Syncs a candidate already read from Harvest. */
    public Outcome sync(CandidateData data, Context context) {
        return run(data.greenhouseId(), context, data);
    }

    private Outcome run(String greenhouseId, Context context, CandidateData data) {
        Exchange done = camel.send(ROUTE, ex -> {
            context.applyTo(ex);
            ex.getMessage().setHeader(CANDIDATE_ID, greenhouseId);
            if (data != null) {
                ex.setProperty(CandidateLoader.PREFETCHED, data);
            }
        });
        if (done.getException() != null) {
            throw done.getException() instanceof RuntimeException r ? r
                    : new RemoteCallException("greenbridge", "sync of candidate " + greenhouseId, 0,
                            String.valueOf(done.getException()), true);
        }
        var m = done.getMessage();
        return new Outcome(m.getHeader(OUTCOME, String.class), m.getHeader(CONTACT_ID, String.class),
                m.getHeader(REASON, String.class));
    }

    static List<String> emails(JsonNode candidate) {
        return BeameryValues.strings(candidate.path("email_addresses"));
    }
}
