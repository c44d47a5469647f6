package io.greenbridge.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.sandbox.SandboxTest;

/**
 * While the app runs, an engineer edits the note body of the contacts-out flow (mappings/greenhouse-note.jsonata)
 * and the Harvest path of its note write (routes/contacts-outbound.yaml, step post-note): the next poll sends the new
 * body, then calls the new path. routes/ and mappings/ are copies in a temp dir.
 */
class ContactsOutboundRouteEditTest extends SandboxTest {
    static final Path ROUTES;
    static final Path MAPPINGS;
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        try {
            ROUTES = RouteEditTest.copy(Path.of("routes"));
            MAPPINGS = RouteEditTest.copy(Path.of("mappings"));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    @DynamicPropertySource
    static void editableDirs(DynamicPropertyRegistry registry) {
        registry.add("GREENBRIDGE_ROUTES_DIR", ROUTES::toString);
        registry.add("GREENBRIDGE_MAPPINGS_DIR", MAPPINGS::toString);
    }

    @Autowired
    CamelContext camel;

    @Test
    void editsToTheNoteMappingAndTheNotePathApplyToTheNextPoll() throws Exception {
        String email = "edit." + System.nanoTime() + "@example.com";
        String contact = BEAMERY.createContact(JSON.createObjectNode().put("firstName", "Edna").put("lastName", "Edit")
                .put("primaryEmail", email).set("emails", JSON.createArrayNode().add(email)));
        var pushed = admin("POST", "/api/greenhouse/push", "{\"contactIds\":[\"" + contact + "\"]}");
        assertThat(JSON.readTree(pushed.body()).path("results").get(0).path("outcome").asText()).as(pushed.body()).isEqualTo("created");
        String author = BEAMERY.addUser("editor." + System.nanoTime() + "@greenbridge.example", "Ed", "Itor", "recruiter");

        // 1. the body: mappings/greenhouse-note.jsonata
        RouteEditTest.edit(MAPPINGS.resolve("greenhouse-note.jsonata"), "\"body\": $string(content),",
                "\"body\": \"[from Beamery] \" & $string(content),");
        BEAMERY.addNote(contact, author, "Edited body", false);
        poll();
        assertThat(GREENHOUSE.store().bodies("POST notes")).extracting(b -> b.path("body").asText())
                .contains("[from Beamery] Edited body");

        // 2. the path: step post-note of routes/contacts-outbound.yaml
        RouteEditTest.edit(ROUTES.resolve("contacts-outbound.yaml"), "                      path: /notes\n",
                "                      path: /notes/from-beamery\n");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> ((ToDefinition) RouteModel
                .step(camel, "forward-note", "post-note").definition()).getEndpointUri().contains("from-beamery"));
        int mark = GREENHOUSE.requests().size();
        BEAMERY.addNote(contact, author, "Edited path", false);
        poll();

        assertThat(GREENHOUSE.requests().stream().skip(mark).map(r -> r.method() + " " + r.path()))
                .contains("POST /v3/notes/from-beamery").doesNotContain("POST /v3/notes");
    }

    private void poll() throws Exception {
        var run = admin("POST", "/api/sync/beamery?wait=true", null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);
    }
}
