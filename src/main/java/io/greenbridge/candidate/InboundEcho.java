package io.greenbridge.candidate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.outbound.OutboundState;

/**
 * Echo suppression, inbound side: the contact as Greenbridge left it is recorded ({@link OutboundState#recordInbound}),
 * so the Beamery → Greenhouse poll does not send Greenhouse's own change back. Built from Beamery's answers to the
 * writes, never read back: the POST/PATCH reply is the contact; each vacancy PUT answers with its link
 * ({@code vacancyId, stage, rejectionReason}), folded into the contact's {@code vacancies} as Beamery shows them
 * ({@code id, value} = the vacancy's title, stage, rejectionReason). A title not on the contact yet is read once per
 * vacancy and kept for {@value #TITLE_MINUTES} minutes.
 */
@Component("inboundEcho")
public class InboundEcho {
    private static final long TITLE_MINUTES = 10;
    private final OutboundState state;
    private final BeameryClient beamery;
    private final Map<String, Title> titles = new ConcurrentHashMap<>();

    private record Title(String value, long until) {
    }

    public InboundEcho(OutboundState state, BeameryClient beamery) {
        this.state = state;
        this.beamery = beamery;
    }

    /** Filter {@code echo-state-needed}: the contact or one of its vacancy links was written. */
    public boolean needed(Exchange exchange) {
        return exchange.getProperty(ContactLinks.WRITTEN) != null || !answers(exchange).isEmpty();
    }

    /** Step {@code links-already-read}: the contact was read after the vacancy PUTs, so it holds them already. */
    public void linksIncluded(Exchange exchange) {
        answers(exchange).clear();
    }

    /** Step {@code record-inbound-echo}. */
    public void record(Exchange exchange) {
        ObjectNode contact = exchange.getProperty(ContactLinks.WRITTEN, ObjectNode.class).deepCopy();
        ArrayNode vacancies = contact.withArray("vacancies");
        for (JsonNode answer : answers(exchange)) {
            String vacancyId = answer.path("vacancyId").asText();
            ObjectNode link = contact.objectNode().put("id", vacancyId);
            int at = indexOf(vacancies, vacancyId);
            JsonNode title = at >= 0 ? vacancies.get(at).path("value") : null;
            if (title == null || title.isMissingNode()) {
                link.put("value", title(vacancyId));
            } else {
                link.set("value", title);
            }
            link.set("stage", answer.path("stage").isMissingNode() ? contact.nullNode() : answer.get("stage"));
            link.set("rejectionReason", answer.path("rejectionReason").isMissingNode() ? contact.nullNode() : answer.get("rejectionReason"));
            if (at >= 0) {
                vacancies.set(at, link);
            } else {
                vacancies.add(link);
            }
        }
        state.recordInbound(exchange.getMessage().getHeader(CandidateSync.CONTACT_ID, String.class), contact);
    }

    @SuppressWarnings("unchecked")
    private static List<JsonNode> answers(Exchange exchange) {
        List<JsonNode> written = exchange.getProperty(ApplicationVacancyLinks.WRITTEN, List.class);
        return written == null ? new java.util.ArrayList<>() : written;
    }

    private String title(String vacancyId) {
        long now = System.nanoTime();
        Title known = titles.get(vacancyId);
        if (known != null && known.until() - now > 0) {
            return known.value();
        }
        String value = beamery.findVacancy(vacancyId).map(v -> v.path("title").asText(null)).orElse(null);
        titles.put(vacancyId, new Title(value, now + Duration.ofMinutes(TITLE_MINUTES).toNanos()));
        return value;
    }

    private static int indexOf(ArrayNode links, String id) {
        for (int i = 0; i < links.size(); i++) {
            if (id.equals(links.get(i).path("id").asText())) {
                return i;
            }
        }
        return -1;
    }
}
