package io.greenbridge.outbound;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.store.LinkStore;

/**
 * The steps of {@code add-applications} (routes/contacts-outbound.yaml): an application for every linked vacancy
 * of the contact that has none yet ({@code application} link {@code <contactId>/<vacancyId>}).
 */
@Component("candidateApplications")
public class CandidateApplications {
    private static final String ADDED = "applicationsAdded";
    /** Property: the mapped application of this split round. */
    private static final String APPLICATION = "application";
    private final LinkStore links;

    public CandidateApplications(LinkStore links) {
        this.links = links;
    }

    /** Step: the mapped candidate's applications become the body; none added yet. */
    public JsonNode start(Exchange exchange) {
        exchange.setProperty(ADDED, new AtomicInteger());
        return CandidateUpdates.candidate(exchange).path("applications");
    }

    /** Predicate: no Greenhouse application is linked for this vacancy yet. */
    public boolean isNew(Exchange exchange) {
        exchange.setProperty(APPLICATION, exchange.getMessage().getBody(JsonNode.class));
        return links.byBeameryId("application", ref(exchange)).isEmpty();
    }

    /** Step: $candidateId for mappings/greenhouse-application.jsonata. */
    public void bind(Exchange exchange) {
        exchange.setProperty(MappingComponent.BINDINGS,
                Map.of("candidateId", exchange.getMessage().getHeader(GreenhousePush.GREENHOUSE_ID, Long.class)));
    }

    /** Step: Harvest's answer to POST /v3/applications, linked to the contact's vacancy. */
    public void link(Exchange exchange) {
        JsonNode created = exchange.getMessage().getBody(JsonNode.class);
        links.put("application", created.path("id").asText(), ref(exchange), null);
        exchange.getProperty(ADDED, AtomicInteger.class).incrementAndGet();
    }

    static int added(Exchange exchange) {
        AtomicInteger added = exchange.getProperty(ADDED, AtomicInteger.class);
        return added == null ? 0 : added.get();
    }

    private static String ref(Exchange exchange) {
        JsonNode application = exchange.getProperty(APPLICATION, JsonNode.class);
        return exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class) + "/"
                + application.path("vacancy_id").asText();
    }
}
