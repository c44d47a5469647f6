package io.greenbridge.candidate;

import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.contact.ContactMatcher;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.store.LinkKinds;
import io.greenbridge.store.LinkStore;
import io.greenbridge.support.RemoteCallException;

/**
 * The bookkeeping steps of route {@code candidate-merged} (routes/contacts-inbound.yaml), merge_candidate:
 * header {@value #DUPLICATE_ID}'s contact is merged into header {@value CandidateSync#CANDIDATE_ID}'s (the survivor)
 * in Beamery and the links move to the survivor. Each side's contact is the linked one, else the live Beamery contact
 * carrying that Greenhouse id (so a survivor contact made by Beamery's native connector is found, not left beside
 * the duplicate's). With {@code greenbridge.candidates.beamery-merge} off, Beamery's merge is not called: the
 * survivor keeps its own contact, the duplicate's link goes, and a dead letter asks for the merge by hand (or a
 * replay once on).
 */
@Component
public class ContactMerge {
    private static final Logger LOG = LoggerFactory.getLogger(ContactMerge.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Dead letters of merges left to a person (greenbridge.candidates.beamery-merge off); ref is duplicate&gt;survivor. */
    public static final String MERGE_DEAD_LETTER_SOURCE = "contact-merge";
    public static final String DUPLICATE_ID = "duplicateId";
    public static final String DUPLICATE_CONTACT = "duplicateContactId";
    public static final String SURVIVOR_CONTACT = "survivorContactId";
    static final String ROUTE = "direct:candidate-merged";

    private final ContactMatcher matcher;
    private final LinkStore links;
    private final JdbcTemplate jdbc;
    private final DeadLetterStore deadLetters;
    private final ProducerTemplate camel;
    private final boolean beameryMerge;

    public ContactMerge(ContactMatcher matcher, LinkStore links, DataSource dataSource, DeadLetterStore deadLetters,
                        ProducerTemplate camel, GreenbridgeProperties props) {
        this.matcher = matcher;
        this.links = links;
        this.jdbc = new JdbcTemplate(dataSource);
        this.deadLetters = deadLetters;
        this.camel = camel;
        this.beameryMerge = props.candidates().beameryMergeOn(props.mode());
    }

    /** Step {@code contacts-of-merged-candidates}: headers {@value #DUPLICATE_CONTACT} and {@value #SURVIVOR_CONTACT}. */
    public void contacts(Exchange exchange) {
        Message m = exchange.getMessage();
        m.setHeader(DUPLICATE_CONTACT, contactOf(m.getHeader(DUPLICATE_ID, String.class)).orElse(null));
        m.setHeader(SURVIVOR_CONTACT, contactOf(m.getHeader(CandidateSync.CANDIDATE_ID, String.class)).orElse(null));
    }

    /** Step {@code link-survivor-contact}: the survivor's contact is linked to the survivor (it may have been found). */
    public void linkSurvivor(Exchange exchange) {
        Message m = exchange.getMessage();
        matcher.link(m.getHeader(CandidateSync.CANDIDATE_ID, String.class), m.getHeader(SURVIVOR_CONTACT, String.class));
    }

    /** Filter {@code merged-in-beamery-already}: the duplicate's contact as read (body) was merged into the survivor's. */
    public boolean mergedAlready(Exchange exchange) {
        JsonNode duplicate = exchange.getMessage().getBody(JsonNode.class);
        return duplicate != null
                && exchange.getMessage().getHeader(SURVIVOR_CONTACT, String.class).equals(duplicate.path("mergedIn").asText(null));
    }

    /** Choice {@code beamery-merge-on}: greenbridge.candidates.beamery-merge. */
    public boolean beameryMergeOn() {
        return beameryMerge;
    }

    /** Step {@code merge-input}: the input of mappings/contact-merge.jsonata. */
    public JsonNode mergeInput(Exchange exchange) {
        Message m = exchange.getMessage();
        ObjectNode in = JSON.createObjectNode();
        in.put("survivorContactId", m.getHeader(SURVIVOR_CONTACT, String.class));
        in.put("duplicateContactId", m.getHeader(DUPLICATE_CONTACT, String.class));
        return in;
    }

    /** Step {@code move-file-links}: attachment links are keyed by contact; after Beamery's merge the files live on the survivor. */
    public void moveFileLinks(Exchange exchange) {
        String from = exchange.getMessage().getHeader(DUPLICATE_CONTACT, String.class);
        String to = exchange.getMessage().getHeader(SURVIVOR_CONTACT, String.class);
        for (String kind : List.of(LinkKinds.ATTACHMENT, LinkKinds.ATTACHMENT_SOURCE)) {
            jdbc.query("SELECT greenhouse_id, beamery_id FROM record_links WHERE kind = ? AND greenhouse_id LIKE ?", rs -> {
                String key = rs.getString(1);
                links.put(kind, to + key.substring(from.length()), rs.getString(2), null);
                links.remove(kind, key);
            }, kind, from + ":%");
        }
    }

    /** Step {@code merge-left-to-a-person}: beamery-merge off; a dead letter asks for the merge by hand. */
    public void leftToAPerson(Exchange exchange) {
        Message m = exchange.getMessage();
        String dup = m.getHeader(DUPLICATE_ID, String.class);
        String survivor = m.getHeader(CandidateSync.CANDIDATE_ID, String.class);
        String loser = m.getHeader(DUPLICATE_CONTACT, String.class);
        String winner = m.getHeader(SURVIVOR_CONTACT, String.class);
        String why = "greenbridge.candidates.beamery-merge is off: merge Beamery contact " + loser
                + " into " + winner + " by hand, or switch it on and replay this dead letter";
        deadLetters.record(MERGE_DEAD_LETTER_SOURCE, dup + ">" + survivor, "Merge of Greenhouse candidate " + dup
                + " into " + survivor + " not carried to Beamery", why, null, null, null);
        LOG.warn("Merge of candidate {} into {}: contact {} not merged into {} ({})", dup, survivor, loser, winner,
                "beamery-merge off");
    }

    /** Step {@code survivor-takes-duplicate-contact}: the duplicate's contact becomes the survivor's. */
    public void survivorTakesContact(Exchange exchange) {
        Message m = exchange.getMessage();
        matcher.link(m.getHeader(CandidateSync.CANDIDATE_ID, String.class), m.getHeader(DUPLICATE_CONTACT, String.class));
    }

    /** Step {@code unlink-duplicate}. */
    public void unlinkDuplicate(Exchange exchange) {
        matcher.unlink(exchange.getMessage().getHeader(DUPLICATE_ID, String.class));
    }

    /** The dead-letter replay of a merge left to a person: runs the merge route again (carried out when switched on). */
    public boolean replay(String ref) {
        String[] ids = ref.split(">");
        if (ids.length != 2 || !ids[0].matches("\\d+") || !ids[1].matches("\\d+")) {
            return false;
        }
        Exchange done = camel.send(ROUTE, ex -> {
            ex.getMessage().setHeader("GreenhouseAction", "merge_candidate");
            ex.getMessage().setHeader(DUPLICATE_ID, ids[0]);
            ex.getMessage().setHeader(CandidateSync.CANDIDATE_ID, ids[1]);
        });
        if (done.getException() != null) {
            throw done.getException() instanceof RuntimeException r ? r
                    : new RemoteCallException("greenbridge", "merge of candidate " + ref, 0, String.valueOf(done.getException()), true);
        }
        return true;
    }

    /** The linked contact, else the live one carrying this Greenhouse id in Beamery (decided from Beamery's records). */
    private Optional<String> contactOf(String greenhouseId) {
        Optional<String> linked = matcher.linkedContact(greenhouseId);
        return linked.isPresent() ? linked : matcher.carrying(greenhouseId).map(c -> c.path("id").asText());
    }
}
