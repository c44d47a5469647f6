package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.SplitDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.routes.RouteModel;

/**
 * routes/contacts-outbound.yaml and greenhouse-push.yaml step by step (ids are the steps' JMX names): the guards
 * come before any Greenhouse write and in today's order, the contact's claim encloses match, create and link, and
 * every write is a harvest:call declared with its method and path. AdviceWith: only a contact the guards let through
 * reaches the Greenhouse create. Advised routes: a context of its own.
 */
@CamelSpringBootTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = "greenbridge.routes.redeliveries=1") // never share the flow tests' context
class ContactsOutboundRouteTest extends OutboundTestSupport {
    @Autowired
    CamelContext camel;

    @Test
    void thePollCarriesLifecycleChangesFirstThenSyncsThenPendingThenNotes() {
        assertThat(RouteModel.route(camel, "beamery-contacts").getRouteConfigurationId()).isEqualTo("greenbridge-errors");
        assertThat(RouteModel.ids(camel, "beamery-contacts")).containsSubsequence("contacts-cursor", "list-edited-contacts",
                "each-edited-contact", "contact-seen", "classify-edited-contact", "lifecycle-change", "carry-lifecycle-change",
                "contact-in-greenhouse", "queue-linked-contact", "unlinked-contact", "matching-rule", "rule-matched",
                "queue-rule-match", "sync-queued-contacts", "count-and-advance-contacts-cursor", "list-pending-creates",
                "retry-each-pending-create", "push-pending-contact", "settle-pending-create", "notes-cursor",
                "list-new-notes", "each-new-beamery-note", "forward-each-note", "note-seen", "advance-notes-cursor");
        assertThat(RouteModel.step(camel, "beamery-contacts", "queue-rule-match").enclosing())
                .containsSubsequence("each-edited-contact", "classify-edited-contact", "unlinked-contact", "rule-matched");
        assertThat(uri("beamery-contacts", "list-edited-contacts")).startsWith("beamery:list")
                .contains("resource=contacts", "updated_at_op=gte");
    }

    @Test
    void everyGuardStandsBeforeTheWritesInTodaysOrder() {
        assertThat(RouteModel.step(camel, "sync-contact", "claim-contact").enclosing()).containsExactly("sync-unless-failed");
        assertThat(RouteModel.ids(camel, "sync-contact")).containsExactly("contact-to-sync", "sync-unless-failed", "claim-contact",
                "contact-failed", "answer-failed");
        assertThat(RouteModel.step(camel, "sync-contact", "answer-failed").enclosing())
                .as("a contact's failure is answered for that contact").containsExactly("sync-unless-failed", "contact-failed");
        assertThat(RouteModel.ids(camel, "sync-claimed-contact")).containsExactly("find-linked-candidate", "contact-guards",
                "guard-anonymized-contact", "skip-anonymized-contact", "guard-merged-away", "skip-merged-away",
                "guard-refused-before", "skip-refused-before", "guard-anonymized-candidate", "skip-anonymized-candidate",
                "linked-candidate", "update-linked-candidate", "guard-anonymized-person", "skip-anonymized-person",
                "new-to-greenhouse", "create-or-adopt-candidate");
        // echo suppression: an unchanged contact or Greenbridge's own write never reaches the PATCH
        assertThat(RouteModel.ids(camel, "update-candidate")).containsSubsequence("load-outbound-state", "echo-suppression",
                "guard-unchanged-since-sent", "guard-echo-of-own-write", "changed-in-beamery", "map-changed-contact",
                "diff-since-sent", "profile-changed", "patch-candidate", "record-update-sent");
        assertThat(RouteModel.step(camel, "update-candidate", "patch-candidate").enclosing())
                .containsExactly("echo-suppression", "changed-in-beamery", "profile-changed");
        // match before create; a pending create is never sent twice; the candidate's claim covers the link
        assertThat(RouteModel.ids(camel, "create-candidate")).containsSubsequence("map-new-contact", "match-by-email",
                "adopt-or-create", "guard-create-pending", "adopt-by-email", "create-new", "map-create-body",
                "post-candidate", "candidate-known", "claim-candidate");
        assertThat(RouteModel.step(camel, "create-candidate", "post-candidate").enclosing())
                .containsExactly("adopt-or-create", "create-new");
        assertThat(RouteModel.ids(camel, "link-new-candidate")).containsSubsequence("guard-linked-to-another-contact",
                "link-it", "link-and-write-back", "add-first-applications", "record-create-sent");
        assertThat(RouteModel.ids(camel, "contact-merge")).contains("guard-merge-switch-off", "merge-candidates");
        assertThat(RouteModel.step(camel, "contact-merge", "post-candidate-merge").enclosing())
                .containsSubsequence("merge-guards", "merge-candidates");
        assertThat(RouteModel.step(camel, "contact-anonymize", "patch-candidate-anonymize").enclosing())
                .containsExactly("anonymization-guards", "carry-to-greenhouse");
        assertThat(RouteModel.ids(camel, "forward-note")).containsSubsequence("note-candidate", "note-guards",
                "guard-note-from-greenhouse-or-sent", "guard-note-contact-not-linked", "guard-note-candidate-anonymized",
                "note-due", "map-greenhouse-note", "post-note", "link-greenhouse-note");
    }

    @Test
    void everyWriteIsDeclaredWithItsMethodPathAndMapping() {
        assertThat(uri("update-candidate", "patch-candidate")).startsWith("harvest:call").contains("method=PATCH")
                .containsAnyOf("path=/candidates/{greenhouseId}", "path=%2Fcandidates%2F%7BgreenhouseId%7D");
        assertThat(uri("create-candidate", "post-candidate")).startsWith("harvest:call").contains("method=POST")
                .containsAnyOf("path=/candidates", "path=%2Fcandidates");
        assertThat(uri("create-candidate", "map-create-body")).isEqualTo("mapping:candidate-create");
        assertThat(uri("add-applications", "post-application")).contains("method=POST").containsAnyOf("path=/applications", "path=%2Fapplications");
        assertThat(uri("add-applications", "map-application")).isEqualTo("mapping:greenhouse-application");
        assertThat(uri("forward-note", "post-note")).contains("method=POST").containsAnyOf("path=/notes", "path=%2Fnotes");
        assertThat(uri("forward-note", "map-greenhouse-note")).isEqualTo("mapping:greenhouse-note");
        assertThat(uri("contact-merge", "post-candidate-merge")).contains("method=POST");
        assertThat(uri("contact-anonymize", "patch-candidate-anonymize")).contains("method=PATCH");
        assertThat(uri("link-candidate", "write-greenhouse-id-to-contact")).startsWith("beamery:call").contains("method=PATCH");
        assertThat(uri("map-contact-outbound", "map-candidate")).isEqualTo("mapping:contact-outbound");
        assertThat(uri("push-contact", "load-beamery-contact")).startsWith("beamery:call").contains("method=GET", "absentOn404=true");
    }

    @Test
    void bulkWorkRunsOnTheCamelManagedPushPool() {
        for (String[] split : List.of(new String[] {"greenhouse-push", "each-pushed-contact"},
                new String[] {"sync-contacts", "sync-each-contact"},
                new String[] {"beamery-contacts", "retry-each-pending-create"})) {
            SplitDefinition s = (SplitDefinition) RouteModel.step(camel, split[0], split[1]).definition();
            assertThat(s.getParallelProcessing()).as(split[1]).isEqualTo("true");
            assertThat(s.getExecutorService()).as(split[1]).isEqualTo("greenhousePushPool");
        }
        assertThat(camel.getRegistry().lookupByName("greenhousePushPool")).isNotNull();
    }

    @Test
    @Order(Integer.MAX_VALUE) // advises create-candidate: after the tests that read its steps
    void onlyAContactTheGuardsLetThroughReachesTheGreenhouseCreate() throws Exception {
        AdviceWith.adviceWith(camel, "create-candidate",
                a -> a.weaveById("post-candidate").replace().to("mock:greenhouse-create"));
        MockEndpoint create = camel.getEndpoint("mock:greenhouse-create", MockEndpoint.class);
        create.whenAnyExchangeReceived(e -> {
            JsonNode body = e.getMessage().getBody(JsonNode.class);
            long id = GREENHOUSE.store().candidate(body.path("first_name").asText(), body.path("last_name").asText())
                    .email(body.path("email_addresses").get(0).path("value").asText()).create();
            e.getMessage().setBody(JSON.createObjectNode().put("id", id));
        });
        String anonymized = newContact("Guarded", "Anonymized");
        BEAMERY.anonymize(anonymized);
        String primary = newContact("Guarded", "Primary");
        String mergedAway = newContact("Guarded", "Duplicate");
        BEAMERY.merge(primary, mergedAway);
        String fresh = newContact("Fresh", "Through");

        List<JsonNode> results = push(anonymized, mergedAway, fresh, fresh);
        JsonNode again = pushOne(fresh);

        assertThat(results).extracting(r -> r.path("outcome").asText()).containsExactly("skipped", "skipped", "created");
        assertThat(again.path("outcome").asText()).as("unchanged since sent: no second create").isEqualTo("unchanged");
        assertThat(create.getExchanges()).singleElement().satisfies(e -> {
            JsonNode body = e.getMessage().getBody(JsonNode.class);
            assertThat(body.path("first_name").asText()).isEqualTo("Fresh");
            assertThat(body.path("applications").get(0).path("prospect").asBoolean()).as("a prospect").isTrue();
        });
        assertThat(links.byBeameryId("candidate", fresh)).get().extracting(l -> l.greenhouseId())
                .isEqualTo(results.get(2).path("greenhouseId").asText());
    }

    private String uri(String route, String step) {
        return ((ToDefinition) RouteModel.step(camel, route, step).definition()).getEndpointUri();
    }
}
