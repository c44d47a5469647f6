package io.greenbridge.beamery;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads Beamery fields that come either as plain strings or as objects with a {@code value} (emails, phones, links). */
public final class BeameryValues {
    private BeameryValues() {
    }

    /** The non-blank plain values of {@code node}: a string, an array of strings, or an array of {@code {value}} objects. */
    public static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (node.isArray()) {
            node.forEach(item -> add(out, item));
        } else {
            add(out, node);
        }
        return out;
    }

    private static void add(List<String> out, JsonNode item) {
        JsonNode value = item.isObject() ? item.path("value") : item;
        if (value.isValueNode() && !value.isNull() && !value.asText().isBlank()) {
            out.add(value.asText().trim());
        }
    }
}
