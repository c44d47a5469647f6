package io.greenbridge.mapping;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * Every mapping in mappings/ with a sample beside it ({@code <name>.sample.json}, optional
 * {@code <name>.bindings.json}) must produce {@code <name>.expected.json}; and edits reload without a restart.
 */
class MappingSamplesTest {
    static final ObjectMapper JSON = new ObjectMapper();

    static Stream<String> mappingsWithSamples() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("mappings"))) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sample.json"))
                    .map(n -> n.substring(0, n.length() - ".sample.json".length())).sorted().toList().stream();
        }
    }

    static JsonataMappings mappings(Path dir) {
        return new JsonataMappings(new GreenbridgeProperties(null, null, null, null, dir.toString(), null, null, null, null,
                null, null, null, null));
    }

    @ParameterizedTest(allowZeroInvocations = true)
    @MethodSource("mappingsWithSamples")
    void sampleProducesExpectedOutput(String name) throws Exception {
        Path dir = Path.of("mappings");
        JsonNode input = JSON.readTree(dir.resolve(name + ".sample.json").toFile());
        Map<String, Object> bindings = new LinkedHashMap<>();
        Path b = dir.resolve(name + ".bindings.json");
        if (Files.exists(b)) {
            JSON.readTree(b.toFile()).fields().forEachRemaining(e -> bindings.put(e.getKey(), e.getValue()));
        }
        JsonNode expected = JSON.readTree(dir.resolve(name + ".expected.json").toFile());
        assertThat(mappings(dir).apply(name, input, bindings)).isEqualTo(expected);
    }

    @Test
    void editedMappingAppliesWithoutRestartAndABrokenEditKeepsThePreviousVersion() throws Exception {
        Path dir = Files.createTempDirectory("mappings");
        Path file = dir.resolve("greeting.jsonata");
        Files.writeString(file, "{ \"title\": name }");
        JsonataMappings m = mappings(dir);
        JsonNode in = JSON.readTree("{\"name\":\"Engineer\"}");
        assertThat(m.apply("greeting", in).path("title").asText()).isEqualTo("Engineer");

        Files.writeString(file, "{ \"title\": $uppercase(name) }");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 2000));
        assertThat(m.apply("greeting", in).path("title").asText()).isEqualTo("ENGINEER");

        Files.writeString(file, "{ \"title\": $uppercase(name ");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 4000));
        assertThat(m.apply("greeting", in).path("title").asText()).isEqualTo("ENGINEER");
    }

    @Test
    void bindingsAreVisibleAsVariables() throws Exception {
        Path dir = Files.createTempDirectory("mappings");
        Files.writeString(dir.resolve("owner.jsonata"), "{ \"ownerId\": $users[email = $lowercase($$.owner)].id }");
        JsonNode users = JSON.readTree("[{\"id\":\"u1\",\"email\":\"a@x.io\"},{\"id\":\"u2\",\"email\":\"b@x.io\"}]");
        JsonNode out = mappings(dir).apply("owner", JSON.readTree("{\"owner\":\"B@X.IO\"}"), Map.of("users", users));
        assertThat(out.path("ownerId").asText()).isEqualTo("u2");
        assertThat(List.of(out.size())).containsExactly(1);
    }
}
