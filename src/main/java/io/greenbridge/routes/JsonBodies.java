package io.greenbridge.routes;

import java.io.IOException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;

import io.greenbridge.support.PermanentFailureException;

/** Message bodies as JSON: a JsonNode as it is, a String parsed, a Map/List/record converted; null stays null. */
public final class JsonBodies {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {
    }

    public static JsonNode of(Object body, String endpoint) {
        if (body == null || body instanceof NullNode) {
            return null;
        }
        if (body instanceof JsonNode node) {
            return node;
        }
        if (body instanceof byte[] bytes) {
            body = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        if (body instanceof String text) {
            if (text.isBlank()) {
                return null;
            }
            try {
                return JSON.readTree(text);
            } catch (IOException e) {
                throw new PermanentFailureException(endpoint + " needs a JSON body: " + e.getMessage());
            }
        }
        return JSON.valueToTree(body);
    }
}
