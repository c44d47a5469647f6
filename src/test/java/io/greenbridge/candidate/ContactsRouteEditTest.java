package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ToDefinition;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.greenbridge.routes.EditableFiles;
import io.greenbridge.routes.RouteModel;

/**
 * While the app runs, an engineer edits the contact create call's path in routes/contacts-inbound.yaml, a body field
 * in mappings/contact-inbound.jsonata, and inserts a filter step (skip candidates with one tag): each acts on the
 * next webhook, no restart. routes/ and mappings/ are copies in a temp dir.
 */
class ContactsRouteEditTest extends ContactsTestSupport {
    static final EditableFiles.Dirs DIRS = EditableFiles.copies();
    static final Path ROUTES = DIRS.routes();
    static final Path MAPPINGS = DIRS.mappings();

    @DynamicPropertySource
    static void editableDirs(DynamicPropertyRegistry registry) {
        DIRS.register(registry);
    }

    @Autowired
    CamelContext camel;

    @Test
    void editsToTheCreatePathTheMappedBodyAndAnInsertedFilterApplyToTheNextEventWithoutARestart() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long before = candidate("Before", email("before"));
        sync(before);
        assertThat(contactOf(before).path("creationSource").asText()).isEqualTo("Greenhouse");

        // 1. the create call's path (route file) and a body field (mapping file)
        EditableFiles.edit(ROUTES.resolve("contacts-inbound.yaml"), "path: /contact\n", "path: /contact/\n");
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> createUri().matches(".*path=(/|%2F)contact(/|%2F).*"));
        EditableFiles.edit(MAPPINGS.resolve("contact-inbound.jsonata"), "\"creationSource\": \"Greenhouse\"", "\"creationSource\": \"Greenhouse " + tag + "\"");
        BEAMERY.clearRequestLog();
        long after = candidate("After", email("after"));

        sync(after);

        List<String> calls = BEAMERY.requests().stream().map(r -> r.method() + " " + r.path()).toList();
        assertThat(calls).contains("POST /contact/").doesNotContain("POST /contact");
        assertThat(contactOf(after).path("creationSource").asText()).isEqualTo("Greenhouse " + tag);

        // 2. a filter step inserted from YAML: candidates tagged NoSync-<tag> are skipped before matching
        EditableFiles.edit(ROUTES.resolve("contacts-inbound.yaml"), """
                              - bean:
                                  id: match-contact
                """, """
                              - filter:
                                  id: skip-tagged-candidate
                                  simple: "${exchangeProperty.candidate.candidate().path('tags').toString()} contains 'NoSync-%s'"
                                  steps:
                                    - setHeader:
                                        id: skipped-by-tag
                                        name: outcome
                                        constant: skipped
                                    - stop:
                                        id: stop-tagged-candidate
                              - bean:
                                  id: match-contact
                """.formatted(tag));
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions()
                .until(() -> RouteModel.ids(camel, "candidate-sync").contains("skip-tagged-candidate"));
        long skipped = GH.candidate("Skipped", tag).email(email("skipped")).tags("NoSync-" + tag).create();
        long kept = GH.candidate("Kept", tag).email(email("kept")).tags("Other-" + tag).create();

        sync(skipped);
        sync(kept);

        assertThat(matcher.linkedContact(String.valueOf(skipped))).isEmpty();
        assertThat(contactsWithEmail(GH.get("candidates", skipped).path("email_addresses").get(0).path("value").asText())).isEmpty();
        assertThat(matcher.linkedContact(String.valueOf(kept))).isPresent();
    }

    /** The operator's path: a webhook into the inbox, processed by the route. */
    private void sync(long candidate) {
        assertThat(deliver("update_candidate", payloads.updateCandidate(candidate))).isEqualTo(200);
        awaitInboxIdle();
    }

    private String createUri() {
        return ((ToDefinition) RouteModel.step(camel, "candidate-sync", "create-contact").definition()).getEndpointUri();
    }
}
