package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.RoutesBuilder;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.greenbridge.sandbox.SandboxTest;

/**
 * Every shipped file in routes/ parses, and every route and route configuration it declares is loaded and
 * running in the application's CamelContext (so a broken or unloaded route file fails the build, not a release).
 * Every step of every file carries an explicit id (the id is the step's JMX processor name).
 */
class RouteFilesTest extends SandboxTest {

    @Autowired
    CamelContext camel;

    record Loaded(List<RouteDefinition> routes, List<String> configurations) {
    }

    private static final Pattern CONFIGURATION_ID = Pattern.compile("(?m)^- routeConfiguration:\\s*\\n\\s+id:\\s*(\\S+)");

    Loaded load(Path file) throws Exception {
        Loaded out = new Loaded(new ArrayList<>(), new ArrayList<>());
        Matcher m = CONFIGURATION_ID.matcher(Files.readString(file));
        while (m.find()) {
            out.configurations().add(m.group(1));
        }
        for (RoutesBuilder b : PluginHelper.getRoutesLoader(camel)
                .findRoutesBuilders(ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()))) {
            RouteBuilder builder = (RouteBuilder) b;
            builder.setCamelContext(camel);
            builder.configure();
            out.routes().addAll(builder.getRouteCollection().getRoutes());
        }
        return out;
    }

    static List<Path> shippedFiles() throws Exception {
        try (Stream<Path> files = Files.list(Path.of("routes"))) {
            return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void everyShippedRouteFileIsLoadedAndRunning() throws Exception {
        List<Path> files = shippedFiles();
        assertThat(files).extracting(p -> p.getFileName().toString())
                .contains("reference-sync.yaml", "error-handling.yaml", "greenhouse-events.yaml");
        try (Stream<Path> all = Files.list(Path.of("routes"))) {
            assertThat(all.map(p -> p.getFileName().toString()).filter(n -> !n.endsWith(".yaml")))
                    .as("only *.yaml files are loaded (camel.main.routes-include-pattern)").isEmpty();
        }
        for (Path file : files) {
            Loaded loaded = load(file);
            assertThat(loaded.routes().size() + loaded.configurations().size()).as(file + " declares something").isPositive();
            for (RouteDefinition route : loaded.routes()) {
                assertThat(route.hasCustomIdAssigned()).as("a route in " + file + " has an explicit id").isTrue();
                assertThat(camel.getRouteController().getRouteStatus(route.getId()))
                        .as(file + ": route " + route.getId() + " runs in the application").isEqualTo(ServiceStatus.Started);
                if (route.getRouteConfigurationId() != null) {
                    assertThat(camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                            .getRouteConfigurationDefinition(route.getRouteConfigurationId()))
                            .as(file + ": route configuration " + route.getRouteConfigurationId()).isNotNull();
                }
            }
            for (String config : loaded.configurations()) {
                assertThat(camel.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class)
                        .getRouteConfigurationDefinition(config)).as(file + ": route configuration " + config).isNotNull();
            }
            for (RouteDefinition route : loaded.routes()) {
                RouteModel.steps(camel, route.getId()).forEach(s -> assertThat(s.definition().hasCustomIdAssigned())
                        .as(file + ": a step of route " + route.getId() + " (" + s.definition() + ") has no id").isTrue());
            }
        }
    }

    @Test
    void aBrokenRouteFileIsRefused() throws Exception {
        Path dir = Files.createTempDirectory("broken-routes");
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, Files.readString(Path.of("routes/reference-sync.yaml")).replace("- bean:", "- beann:"));
        assertThatThrownBy(() -> load(broken)).hasMessageContaining("beann");
    }
}
