package io.greenbridge.outbound;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.mapping.JsonataMappings;
import io.greenbridge.reference.UserDirectory;
import io.greenbridge.store.LinkStore;

/**
 * Applies {@code mappings/contact-outbound.jsonata} to a Beamery contact with its bindings: the Greenhouse jobs of
 * the contact's linked vacancies, the referrer (its "assigned to" user) and the consent custom-field keys.
 */
@Component
public class OutboundMapping {
    static final String NAME = "contact-outbound";
    /** Fields that are lists in Greenhouse; JSONata may hand back a single item as a bare value. */
    static final List<String> LIST_FIELDS = List.of("email_addresses", "phone_numbers", "addresses", "website_addresses",
            "social_media_addresses", "tags", "custom_fields", "applications");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final JsonataMappings mappings;
    private final LinkStore links;
    private final UserDirectory users;
    private final GreenbridgeProperties.Outbound config;

    public OutboundMapping(JsonataMappings mappings, LinkStore links, UserDirectory users,
                           GreenbridgeProperties properties) {
        this.mappings = mappings;
        this.links = links;
        this.users = users;
        this.config = properties.outbound();
    }

    /** The Greenhouse candidate body for this contact (list fields always arrays). */
    public ObjectNode candidate(JsonNode contact) {
        Map<String, Object> bindings = new HashMap<>();
        bindings.put("jobs", linkedJobs(contact));
        bindings.put("referrerId", users.greenhouseUserId(contact.path("assignedTo").asText(null)).orElse(null));
        bindings.put("consentStatusField", config.consentStatusField());
        bindings.put("consentDateField", config.consentDateField());
        JsonNode mapped = mappings.apply(NAME, contact, bindings);
        ObjectNode body = mapped.isObject() ? (ObjectNode) mapped : JSON.createObjectNode();
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
        return body;
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
