package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What changed between the candidate body last sent to Greenhouse and the one the contact maps to now: the profile
 * fields for one {@code PATCH /v3/candidates/{id}} (custom fields per key, cleared with {@code delete_value}), tags
 * to apply and remove, and the applications whose stage moved. Without a baseline everything counts as changed.
 */
record CandidateChanges(ObjectNode profile, List<String> tagsAdded, List<String> tagsRemoved,
                        Map<String, JsonNode> stageMoves) {
    /** Profile fields sent with PATCH; names are never cleared (Greenhouse requires them). */
    static final List<String> PROFILE_FIELDS = List.of("first_name", "last_name", "company", "title", "email_addresses",
            "phone_numbers", "addresses", "website_addresses", "social_media_addresses");
    private static final Set<String> REQUIRED = Set.of("first_name", "last_name");
    private static final ObjectMapper JSON = new ObjectMapper();

    boolean isEmpty() {
        return profile.isEmpty() && tagsAdded.isEmpty() && tagsRemoved.isEmpty() && stageMoves.isEmpty();
    }

    static CandidateChanges between(JsonNode sent, ObjectNode now) {
        JsonNode before = sent == null ? JSON.createObjectNode() : sent;
        ObjectNode profile = JSON.createObjectNode();
        for (String field : PROFILE_FIELDS) {
            JsonNode was = before.path(field);
            JsonNode is = now.path(field);
            if (sent != null && Objects.equals(was, is)) {
                continue;
            }
            if (!is.isMissingNode() && !is.isNull()) {
                profile.set(field, is);
            } else if (!was.isMissingNode() && !REQUIRED.contains(field)) {
                profile.set(field, was.isArray() ? JSON.createArrayNode() : JSON.nullNode());
            }
        }
        ArrayNode customFields = customFieldChanges(sent == null ? null : before.path("custom_fields"), now.path("custom_fields"));
        if (!customFields.isEmpty()) {
            profile.set("custom_fields", customFields);
        }
        Set<String> tagsBefore = names(before.path("tags"));
        Set<String> tagsNow = names(now.path("tags"));
        List<String> added = new ArrayList<>();
        now.path("tags").forEach(t -> {
            if (!tagsBefore.contains(key(t.asText()))) {
                added.add(t.asText());
            }
        });
        List<String> removed = new ArrayList<>();
        before.path("tags").forEach(t -> {
            if (!tagsNow.contains(key(t.asText()))) {
                removed.add(t.asText());
            }
        });
        return new CandidateChanges(profile, added, removed, stageMoves(before.path("applications"), now.path("applications")));
    }

    private static ArrayNode customFieldChanges(JsonNode sent, JsonNode now) {
        Map<String, JsonNode> before = byNameKey(sent);
        Map<String, JsonNode> after = byNameKey(now);
        ArrayNode out = JSON.createArrayNode();
        after.forEach((key, field) -> {
            if (sent == null || !Objects.equals(before.get(key), field)) {
                out.add(field);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k))
                .forEach(k -> out.addObject().put("name_key", k).put("delete_value", "true"));
        return out;
    }

    /** Applications on the same vacancy whose stage is not the one sent: vacancy id → the application now. */
    private static Map<String, JsonNode> stageMoves(JsonNode sent, JsonNode now) {
        Map<String, JsonNode> before = new LinkedHashMap<>();
        sent.forEach(a -> before.put(a.path("vacancy_id").asText(), a));
        Map<String, JsonNode> moves = new LinkedHashMap<>();
        for (JsonNode a : now) {
            JsonNode was = before.get(a.path("vacancy_id").asText());
            if (was != null && !(Objects.equals(was.path("initial_stage_id"), a.path("initial_stage_id"))
                    && Objects.equals(was.path("initial_stage_name"), a.path("initial_stage_name")))) {
                moves.put(a.path("vacancy_id").asText(), a);
            }
        }
        return moves;
    }

    private static Map<String, JsonNode> byNameKey(JsonNode fields) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        if (fields != null) {
            fields.forEach(f -> out.put(f.path("name_key").asText(), f));
        }
        return out;
    }

    private static Set<String> names(JsonNode tags) {
        Set<String> out = new LinkedHashSet<>();
        tags.forEach(t -> out.add(key(t.asText())));
        return out;
    }

    private static String key(String tag) {
        return tag.trim().toLowerCase(Locale.ROOT);
    }
}
