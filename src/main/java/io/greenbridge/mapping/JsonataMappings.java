package io.greenbridge.mapping;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * The JSONata field mappings in {@code mappings/} (GREENBRIDGE_MAPPINGS_DIR). A file is compiled again when
 * it changes on disk, so engineers' edits apply without a restart; an edit that does not compile keeps the
 * previous version running and says why in the log.
 */
@Component
public class JsonataMappings {
    private static final Logger LOG = LoggerFactory.getLogger(JsonataMappings.class);

    private final Path dir;
    private final ObjectMapper json = new ObjectMapper();
    private final Map<String, Compiled> cache = new ConcurrentHashMap<>();

    /** The last source that compiled. jsonata-java 0.9.7 keeps state in a parsed expression (lambdas chain their
     *  frames across evaluations, so a reused expression slows down run after run): each evaluation parses anew. */
    private record Compiled(FileTime modified, String source) {
    }

    public JsonataMappings(GreenbridgeProperties props) {
        this.dir = Path.of(props.mappingsDir() == null ? "mappings" : props.mappingsDir());
    }

    /** Applies {@code mappings/<name>.jsonata} to the input, with {@code bindings} as $variables. */
    public JsonNode apply(String name, JsonNode input, Map<String, Object> bindings) {
        Jsonata expression = expression(name);
        Object in = json.convertValue(input, Object.class);
        Jsonata.Frame frame = expression.createFrame();
        bindings.forEach((k, v) -> frame.bind(k, v instanceof JsonNode n ? json.convertValue(n, Object.class) : v));
        return json.valueToTree(expression.evaluate(in, frame));
    }

    public JsonNode apply(String name, JsonNode input) {
        return apply(name, input, Map.of());
    }

    Jsonata expression(String name) {
        Path file = dir.resolve(name + ".jsonata");
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(file);
        } catch (IOException e) {
            throw new IllegalStateException("mapping " + file + " is missing", e);
        }
        Compiled current = cache.get(name);
        if (current != null && current.modified().equals(modified)) {
            return Jsonata.jsonata(current.source());
        }
        try {
            String source = Files.readString(file);
            Jsonata compiled = Jsonata.jsonata(source);
            cache.put(name, new Compiled(modified, source));
            if (current != null) {
                LOG.info("Mapping {} reloaded", file);
            }
            return compiled;
        } catch (IOException | RuntimeException e) {
            if (current == null) {
                throw new IllegalStateException("mapping " + file + " does not compile: " + e.getMessage(), e);
            }
            LOG.warn("Mapping {} does not compile, keeping the previous version: {}", file, e.getMessage());
            cache.put(name, new Compiled(modified, current.source()));
            return Jsonata.jsonata(current.source());
        }
    }
}
