package io.greenbridge.outbound;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.greenbridge.support.Hashes;

/**
 * The part of a Beamery contact that Greenhouse cares about, and its hash. Everything else (updatedAt, version,
 * integrations with the Greenhouse id and URL written back, notes) can change without making the contact "changed".
 */
public final class ContactProjection {
    /** The contact-outbound mapping reads only these fields. */
    static final List<String> FIELDS = List.of("firstName", "lastName", "primaryEmail", "emails", "phoneNumbers", "links",
            "location", "country", "postCode", "primaryExperience", "experience", "tags", "globalTags", "consent",
            "vacancies", "assignedTo");
    private static final ObjectMapper SORTED = new ObjectMapper().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private ContactProjection() {
    }

    public static ObjectNode of(JsonNode contact) {
        ObjectNode out = SORTED.createObjectNode();
        for (String field : FIELDS) {
            JsonNode value = contact.path(field);
            if (!value.isMissingNode() && !value.isNull()) {
                out.set(field, value);
            }
        }
        return out;
    }

    /** SHA-256 of the projection with object keys sorted, so key order in Beamery's answer does not matter. */
    public static String hash(JsonNode contact) {
        try {
            Object canonical = SORTED.treeToValue(of(contact), Object.class);
            return Hashes.sha256Hex(SORTED.writeValueAsString(canonical));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
