package io.greenbridge.outbound;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.store.LinkStore;

/**
 * The steps around {@code mapping:contact-outbound} (routes/contacts-outbound.yaml, route map-contact): its bindings
 * (the Greenhouse jobs of the contact's linked vacancies, the referrer — its "assigned to" user — and the consent
 * custom-field keys) and the list fields of the result.
 */
@Component
public class OutboundMapping {
    /** Property: the contact's mapped candidate body. */
    static final String CANDIDATE = "candidate";
    /** Fields that are lists in Greenhouse; JSONata may hand back a single item as a bare value. */
    static final List<String> LIST_FIELDS = List.of("email_addresses", "phone_numbers", "addresses", "website_addresses",
            "social_media_addresses", "tags", "custom_fields", "applications");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LinkStore links;
    private final GreenhouseUserMatcher users;
    private final GreenbridgeProperties.Outbound config;

    public OutboundMapping(LinkStore links, GreenhouseUserMatcher users,
                           GreenbridgeProperties properties) {
        this.links = links;
        this.users = users;
        this.config = properties.outbound();
    }

    /** Step: the mapping's $variables for the contact (property contact) as property mappingBindings. */
    public void bind(Exchange exchange) {
        JsonNode contact = exchange.getProperty(GreenhousePush.CONTACT, JsonNode.class);
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("jobs", linkedJobs(contact));
        bindings.put("referrerId", users.greenhouseUserId(contact.path("assignedTo").asText(null)).orElse(null));
        bindings.put("consentStatusField", config.consentStatusField());
        bindings.put("consentDateField", config.consentDateField());
        exchange.setProperty(MappingComponent.BINDINGS, bindings);
    }

    /** Step: the mapped candidate (body) with list fields always arrays, kept as property {@value #CANDIDATE}. */
    public void keep(Exchange exchange) {
        JsonNode mapped = exchange.getMessage().getBody(JsonNode.class);
        ObjectNode body = mapped != null && mapped.isObject() ? (ObjectNode) mapped : JSON.createObjectNode();
        for (String field : LIST_FIELDS) {
            JsonNode value = body.path(field);
            if (!value.isArray()) {
                ArrayNode list = JSON.createArrayNode();
                if (!value.isMissingNode() && !value.isNull()) {
                    list.add(value);
                }
                body.set(field, list);
            }
        }
        exchange.setProperty(CANDIDATE, body);
        exchange.getMessage().setBody(body);
    }

    /** Beamery vacancy id → Greenhouse job id, for the contact's vacancies that mirror a Greenhouse job. */
    Map<String, Long> linkedJobs(JsonNode contact) {
        Map<String, Long> jobs = new HashMap<>();
        for (JsonNode vacancy : contact.path("vacancies")) {
            String id = vacancy.path("id").asText("");
            if (!id.isEmpty()) {
                links.byBeameryId("job", id).ifPresent(l -> jobs.put(id, Long.valueOf(l.greenhouseId())));
            }
        }
        return jobs;
    }
}
