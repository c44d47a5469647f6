package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.sandbox.SandboxTest;

/**
 * While the app runs, an engineer edits the reference route's Beamery path, a mapping's body, inserts a filter
 * step and breaks a mapping; and the contacts-out note body (mapping) and Harvest path (route) — each visible on
 * the next run, no restart. routes/ and mappings/ are copies in a
 * temp dir (GREENBRIDGE_ROUTES_DIR, GREENBRIDGE_MAPPINGS_DIR).
 */
class RouteEditTest extends SandboxTest {
    static final EditableFiles.Dirs DIRS = EditableFiles.copies();
    static final Path ROUTES = DIRS.routes();
    static final Path MAPPINGS = DIRS.mappings();
    private static final ObjectMapper JSON = new ObjectMapper();

    @DynamicPropertySource
    static void editableDirs(DynamicPropertyRegistry registry) {
        DIRS.register(registry);
    }

    @Autowired
    CamelContext camel;

    @Test
    void editsToTheRouteAndItsMappingApplyToTheNextRunWithoutARestart() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long before = GREENHOUSE.store().addSource("Before " + tag, "Attend events");
        assertThat(run().path("status").asText()).isEqualTo("succeeded");
        assertThat(BEAMERY.sources()).anySatisfy(s -> assertThat(s.toString())
                .contains("Before " + tag).contains("gh-source-" + before));

        // 1. the create call's path (route file) and body (mapping file)
        EditableFiles.edit(ROUTES.resolve("reference-sync.yaml"), "              path: /source\n", "              path: /department\n");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> postPath("reference-create-source").contains("department"));
        EditableFiles.edit(MAPPINGS.resolve("reference-source.jsonata"), "\"gh-source-\"", "\"edited-source-\"");
        BEAMERY.clearRequestLog();
        long after = GREENHOUSE.store().addSource("After " + tag, "Attend events");

        assertThat(run().path("status").asText()).isEqualTo("succeeded");

        List<String> calls = BEAMERY.requests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(calls).contains("POST /department").doesNotContain("POST /source");
        assertThat(BEAMERY.departments()).anySatisfy(d -> assertThat(d.path("name").asText()).isEqualTo("After " + tag))
                .filteredOn(d -> d.path("name").asText().equals("After " + tag)).singleElement()
                .satisfies(d -> assertThat(d.path("externalId").asText()).isEqualTo("edited-source-" + after));
        assertThat(BEAMERY.sources()).noneSatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("After " + tag));

        // 2. a filter step inserted from YAML: skip one source by name
        EditableFiles.edit(ROUTES.resolve("reference-sync.yaml"), """
                              - bean:
                                  id: check-source-link
                """, """
                              - filter:
                                  id: skip-one-source
                                  simple: "${body.path('name').asText()} == 'Skip %s'"
                                  steps:
                                    - stop:
                                        id: stop-skipped-source
                              - bean:
                                  id: check-source-link
                """.formatted(tag));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> RouteModel.ids(camel, "reference-sources").contains("skip-one-source"));
        long skip = GREENHOUSE.store().addSource("Skip " + tag, "Attend events");
        long keep = GREENHOUSE.store().addSource("Keep " + tag, "Attend events");

        assertThat(run().path("status").asText()).isEqualTo("succeeded");

        assertThat(BEAMERY.departments()).extracting(d -> d.path("name").asText()).contains("Keep " + tag)
                .doesNotContain("Skip " + tag);
        assertThat(linked("source", skip)).isZero();
        assertThat(linked("source", keep)).isOne();

        // 3. a mapping edit Beamery refuses (no name): that record is dead-lettered with the reason, the rest goes on
        EditableFiles.edit(MAPPINGS.resolve("reference-source.jsonata"), "\"name\": $trim(name),", "");
        long broken = GREENHOUSE.store().addSource("Broken " + tag, "Attend events");
        long department = GREENHOUSE.store().addDepartment("Dept " + tag);

        JsonNode third = run();

        assertThat(third.path("status").asText()).isEqualTo("succeeded");
        assertThat(third.path("failed").asInt()).isEqualTo(1);
        Map<String, Object> letter = jdbc.queryForMap("SELECT * FROM dead_letters WHERE ref = ?", "source " + broken);
        assertThat(letter.get("SOURCE")).isEqualTo("reference");
        assertThat(letter.get("HTTP_STATUS")).isEqualTo(400);
        assertThat(String.valueOf(letter.get("REASON"))).contains("name is required");
        assertThat(linked("department", department)).as("the departments after the failed source still ran").isOne();
    }

    @Test
    void editsToTheOutboundNoteMappingAndNotePathApplyToTheNextPoll() throws Exception {
        String email = "edit." + System.nanoTime() + "@example.com";
        String contact = BEAMERY.createContact(JSON.createObjectNode().put("firstName", "Edna").put("lastName", "Edit")
                .put("primaryEmail", email).set("emails", JSON.createArrayNode().add(email)));
        var pushed = admin("POST", "/api/greenhouse/push", "{\"contactIds\":[\"" + contact + "\"]}");
        assertThat(JSON.readTree(pushed.body()).path("results").get(0).path("outcome").asText()).as(pushed.body()).isEqualTo("created");
        String author = BEAMERY.addUser("editor." + System.nanoTime() + "@greenbridge.example", "Ed", "Itor", "recruiter");

        // 1. the body: mappings/greenhouse-note.jsonata
        EditableFiles.edit(MAPPINGS.resolve("greenhouse-note.jsonata"), "\"body\": $string(content),",
                "\"body\": \"[from Beamery] \" & $string(content),");
        BEAMERY.addNote(contact, author, "Edited body", false);
        pollBeamery();
        assertThat(GREENHOUSE.store().bodies("POST notes")).extracting(b -> b.path("body").asText())
                .contains("[from Beamery] Edited body");

        // 2. the path: step post-note of routes/contacts-outbound.yaml
        EditableFiles.edit(ROUTES.resolve("contacts-outbound.yaml"), "                      path: /notes\n",
                "                      path: /candidate_notes\n");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> ((ToDefinition) RouteModel
                .step(camel, "forward-note", "post-note").definition()).getEndpointUri().contains("candidate_notes"));
        int mark = GREENHOUSE.requests().size();
        BEAMERY.addNote(contact, author, "Edited path", false);
        pollBeamery();

        assertThat(GREENHOUSE.requests().stream().skip(mark).map(r -> r.method() + " " + r.path()))
                .contains("POST /v3/candidate_notes").doesNotContain("POST /v3/notes");
    }

    private void pollBeamery() throws Exception {
        var run = admin("POST", "/api/sync/beamery?wait=true", null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    }

    private JsonNode run() throws Exception {
        return JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());
    }

    private int linked(String kind, long ghId) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM record_links WHERE kind = ? AND greenhouse_id = ?",
                Integer.class, kind, String.valueOf(ghId));
    }

    private String postPath(String route) {
        return ((ToDefinition) RouteModel.steps(camel, route).stream().filter(s -> s.id().startsWith("post-beamery-"))
                .findFirst().orElseThrow().definition()).getEndpointUri();
    }
}
