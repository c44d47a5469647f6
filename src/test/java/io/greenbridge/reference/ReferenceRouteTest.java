package io.greenbridge.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.routes.RouteModel;
import io.greenbridge.sandbox.SandboxTest;

/**
 * routes/reference-sync.yaml step by step (ids are the steps' JMX names): the link check comes before any Beamery
 * create, and only a record it finds new reaches the create call. Advised routes: a context of its own.
 */
@CamelSpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = "greenbridge.routes.redeliveries=1") // never share the flow tests' context
class ReferenceRouteTest extends SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @Autowired
    CamelContext camel;

    @Test
    void referenceRunVisitsEveryTable() {
        assertThat(RouteModel.ids(camel, "reference-sync")).containsSubsequence("sync-users", "sync-sources",
                "sync-departments", "list-greenhouse-offices", "cache-offices", "list-greenhouse-rejection-reasons",
                "cache-rejection-reasons", "list-greenhouse-candidate-tags", "cache-candidate-tags");
        assertThat(RouteModel.route(camel, "reference-sync").getRouteConfigurationId()).isEqualTo("greenbridge-errors");
    }

    @Test
    void usersAreMatchedOneByOneAfterBothListsAreRead() {
        assertThat(RouteModel.ids(camel, "reference-users")).containsSubsequence("list-beamery-users",
                "remember-beamery-users", "list-greenhouse-users", "cache-greenhouse-users", "each-greenhouse-user",
                "match-user-by-email", "count-user", "report-unmatched-users");
        assertThat(RouteModel.step(camel, "reference-users", "match-user-by-email").enclosing())
                .containsExactly("each-greenhouse-user");
    }

    @Test
    void theLinkCheckGuardsEveryBeameryCreate() {
        for (String kind : List.of("source", "department")) {
            String route = "reference-" + kind + "s";
            assertThat(RouteModel.ids(camel, route)).as(route).containsSubsequence("list-beamery-" + kind + "s",
                    "remember-beamery-" + kind + "s", "list-greenhouse-" + kind + "s", "cache-" + kind + "s",
                    "each-greenhouse-" + kind, "check-" + kind + "-link", "link-or-create-" + kind, "create-" + kind,
                    "link-created-" + kind, "count-" + kind);
            // the create runs only in the branch for records the check found new, inside the per-record split
            assertThat(RouteModel.step(camel, route, "create-" + kind).enclosing()).as(route)
                    .containsSubsequence("each-greenhouse-" + kind, "link-or-create-" + kind, kind + "-is-new");
            assertThat(RouteModel.step(camel, route, "check-" + kind + "-link").enclosing())
                    .containsExactly("each-greenhouse-" + kind);

            String create = "reference-create-" + kind;
            assertThat(RouteModel.ids(camel, create)).containsExactly("map-" + kind, "post-beamery-" + kind);
            ToDefinition post = (ToDefinition) RouteModel.step(camel, create, "post-beamery-" + kind).definition();
            assertThat(post.getEndpointUri()).startsWith("beamery:call").contains("method=POST")
                    .containsAnyOf("path=/" + kind, "path=%2F" + kind);
            assertThat(((ToDefinition) RouteModel.step(camel, create, "map-" + kind).definition()).getEndpointUri())
                    .isEqualTo("mapping:reference-" + kind);
        }
    }

    @Test
    void onlyARecordTheCheckFindsNewReachesTheBeameryCreate() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long linked = GREENHOUSE.store().addSource("Linked " + tag, "Attend events");
        assertThat(JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body()).path("status").asText())
                .isEqualTo("succeeded");
        long fresh = GREENHOUSE.store().addSource("Fresh " + tag, "Attend events");

        AdviceWith.adviceWith(camel, "reference-create-source",
                a -> a.weaveById("post-beamery-source").replace().to("mock:beamery-create-source"));
        MockEndpoint create = camel.getEndpoint("mock:beamery-create-source", MockEndpoint.class);
        create.whenAnyExchangeReceived(e -> e.getMessage().setBody(JSON.readTree("{\"id\":\"src-mock-" + tag + "\"}")));

        JsonNode run = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());

        assertThat(run.path("status").asText()).isEqualTo("succeeded");
        List<JsonNode> ours = create.getExchanges().stream().map(e -> e.getMessage().getBody(JsonNode.class))
                .filter(b -> b.path("name").asText().endsWith(tag)).toList();
        assertThat(ours).containsExactly(JSON.readTree(
                "{\"name\":\"Fresh " + tag + "\",\"externalId\":\"gh-source-" + fresh + "\"}"));
        assertThat(jdbc.queryForObject("SELECT beamery_id FROM record_links WHERE kind = 'source' AND greenhouse_id = ?",
                String.class, String.valueOf(fresh))).isEqualTo("src-mock-" + tag);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_links WHERE kind = 'source' AND greenhouse_id = ?",
                Integer.class, String.valueOf(linked))).isEqualTo(1);
    }
}
