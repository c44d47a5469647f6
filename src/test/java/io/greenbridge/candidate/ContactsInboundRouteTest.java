package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.SplitDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.outbound.ContactProjection;
import io.greenbridge.outbound.OutboundState;
import io.greenbridge.routes.RouteModel;

/**
 * routes/contacts-inbound.yaml step by step (ids are the steps' JMX names): every guard stands between the load and
 * the first Beamery write, in today's order, all inside the candidate claim; a candidate a guard stops never reaches
 * the create call. Advised routes: a context of its own.
 */
@CamelSpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = {"greenbridge.routes.redeliveries=1", // never share the flow tests' context
        "greenbridge.candidates.delete-action=anonymize"})
class ContactsInboundRouteTest extends ContactsTestSupport {
    static final List<String> GUARDS = List.of("guard-candidate-gone", "guard-anonymized-greenhouse-id",
            "guard-anonymized-linked-contact", "guard-private-or-confidential", "guard-held-or-anonymized-email");

    @Autowired
    CamelContext camel;
    @Autowired
    AnonymizationGuard guard;
    @Autowired
    OutboundState outboundState;

    @Test
    void eventsAreDispatchedByActionToTheCandidatePipelineOrTheLifecycleRoutes() {
        assertThat(RouteModel.ids(camel, "greenhouse-candidate-event")).containsSubsequence("candidate-rules",
                "dispatch-by-action", "application-event", "application-candidate-id", "sync-candidate-of-application",
                "candidate-event", "sync-updated-candidate", "application-deleted-event", "candidate-deleted-event",
                "delete-contact", "candidate-merged-event", "merge-contacts", "candidate-anonymized-event",
                "anonymize-contact", "other-candidate-event");
        for (String step : List.of("sync-candidate-of-application", "sync-updated-candidate", "sync-candidate-of-deleted-application")) {
            assertThat(uri("greenhouse-candidate-event", step)).isEqualTo("direct:candidate-sync");
        }
    }

    @Test
    void theGuardsStandInOrderBetweenTheLoadAndTheFirstWriteAllInsideTheClaim() {
        List<String> ids = RouteModel.ids(camel, "candidate-sync");
        assertThat(ids).containsSubsequence("hold-candidate-claim", "linked-contact", "load-candidate");
        assertThat(ids).containsSubsequence(GUARDS);
        assertThat(ids).containsSubsequence("load-candidate", GUARDS.get(0));
        assertThat(ids).containsSubsequence(GUARDS.get(GUARDS.size() - 1), "match-contact", "guard-anonymized-email-match",
                "mapping-input", "map-contact", "mapped-contact", "write-contact", "new-contact", "guard-no-email",
                "create-body", "create-contact", "link-created-contact", "email-matched-contact",
                "patch-email-matched-contact", "link-email-matched-contact", "linked-contact-update", "contact-changed",
                "patch-linked-contact", "link-updated-contact", "linked-contact-deleted", "forget-deleted-contact",
                "each-vacancy-link", "map-vacancy-link", "vacancy-link-changed", "put-contact-vacancy", "link-vacancy",
                "vacancy-link-refused", "note-pending-jobs", "echo-state-needed", "record-inbound-echo", "each-new-note",
                "note-author", "map-note", "post-contact-note", "link-note", "copy-attachments");
        // everything after the claim runs inside it
        for (RouteModel.Step step : RouteModel.steps(camel, "candidate-sync")) {
            if (!"hold-candidate-claim".equals(step.id())) {
                assertThat(step.enclosing()).as(step.id()).startsWith("hold-candidate-claim");
            }
        }
        // each guard ends the pipeline when it holds
        for (String guardId : List.of("guard-candidate-gone", "guard-anonymized-greenhouse-id", "guard-anonymized-linked-contact",
                "guard-private-or-confidential", "guard-held-or-anonymized-email", "guard-anonymized-email-match", "guard-no-email")) {
            assertThat(RouteModel.steps(camel, "candidate-sync").stream().filter(s -> s.enclosing().contains(guardId))
                    .map(RouteModel.Step::id)).as(guardId).singleElement().asString().startsWith("stop-");
        }
        assertThat(RouteModel.step(camel, "candidate-sync", "create-contact").enclosing())
                .containsSubsequence("write-contact", "new-contact");
    }

    @Test
    void everyBeameryWriteIsDeclaredInTheRouteWithItsPathAndItsBodyFromAMapping() {
        assertThat(uri("candidate-sync", "map-contact")).isEqualTo("mapping:contact-inbound");
        assertThat(uri("candidate-sync", "map-vacancy-link")).isEqualTo("mapping:contact-vacancy");
        assertThat(uri("candidate-sync", "create-contact")).startsWith("beamery:call").contains("method=POST")
                .containsAnyOf("path=/contact", "path=%2Fcontact");
        for (String patch : List.of("patch-email-matched-contact", "patch-linked-contact")) {
            assertThat(uri("candidate-sync", patch)).startsWith("beamery:call").contains("method=PATCH").contains("contactId");
        }
        assertThat(uri("candidate-sync", "map-note")).isEqualTo("mapping:contact-note");
        assertThat(uri("candidate-sync", "post-contact-note")).startsWith("beamery:call").contains("method=POST").contains("note");
        assertThat(uri("candidate-sync", "put-contact-vacancy")).startsWith("beamery:call").contains("method=PUT")
                .contains("vacancies").contains("vacancyId");
    }

    @Test
    void deleteAndAnonymizeCheckGreenhouseFirstAndWriteTheTombstoneBeforeBeameryIsCalled() {
        assertThat(RouteModel.ids(camel, "candidate-deleted")).containsSubsequence("hold-claim-of-deleted-candidate",
                "find-deleted-candidate", "guard-still-in-greenhouse", "sync-candidate-still-in-greenhouse",
                "stop-stale-delete", "linked-contact-of-deleted", "erase-copies-of-deleted",
                "deleted-candidate-without-contact", "delete-action-anonymize", "anonymize-deleted-candidates-contact",
                "unlink-deleted-candidate");
        assertThat(RouteModel.ids(camel, "candidate-anonymized")).containsSubsequence("hold-claim-of-anonymized-candidate",
                "find-anonymized-candidate", "linked-contact-of-anonymized", "erase-copies-of-anonymized",
                "anonymize-contact-if-linked", "tombstone-without-contact", "anonymize-anonymized-candidates-contact");
        assertThat(RouteModel.ids(camel, "anonymize-linked-contact")).containsSubsequence("tombstone-not-written-yet",
                "get-contact-to-anonymize", "write-tombstone", "post-contact-anonymize", "contact-anonymized");
        assertThat(uri("anonymize-linked-contact", "post-contact-anonymize")).startsWith("beamery:call")
                .contains("method=POST").contains("anonymize");
        for (String route : List.of("candidate-deleted", "candidate-anonymized")) {
            String claim = RouteModel.ids(camel, route).get(0);
            assertThat(claim).startsWith("hold-claim-of-");
            RouteModel.steps(camel, route).stream().skip(1)
                    .forEach(step -> assertThat(step.enclosing()).as(step.id()).startsWith(claim));
        }
    }

    @Test
    void withDeleteActionAnonymizeADeletedCandidatesContactIsTombstonedAnonymizedAndUnlinked() {
        String mail = email("deleted-anon");
        long candidate = candidate("DeletedAnon", mail);
        String contactId = candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).contactId();
        long stale = candidate("StillHere", email("still-here"));
        deliver("delete_candidate", payloads.deleteCandidate(stale)); // a stale delivery: Greenhouse still has it
        GH.deleteCandidate(candidate);

        deliver("delete_candidate", payloads.deleteCandidate(candidate));
        awaitInboxIdle();

        assertThat(matcher.linkedContact(String.valueOf(candidate))).isEmpty();
        assertThat(BEAMERY.isAnonymized(contactId)).isTrue();
        assertThat(guard.isAnonymizedGreenhouse(String.valueOf(candidate))).isTrue();
        assertThat(guard.anyEmailAnonymized(List.of(mail))).as("the tombstone holds the contact's email").isTrue();
        assertThat(matcher.linkedContact(String.valueOf(stale))).as("the stale delete synced instead").isPresent();
    }

    @Test
    void backfillAndReconciliationDriveTheSamePipelineOnCamelsThreadPool() {
        assertThat(RouteModel.ids(camel, "candidate-backfill")).containsSubsequence("start-backfill",
                "list-greenhouse-candidates", "each-chunk-of-candidates", "read-chunk-children", "sync-chunk",
                "remember-backfill-position", "finish-backfill");
        assertThat(RouteModel.ids(camel, "candidate-reconcile")).containsSubsequence("reconcile-window",
                "list-changed-candidates", "collect-changed-candidates", "list-changed-applications",
                "collect-candidates-of-changed-applications", "each-chunk-to-check", "read-candidates", "sync-candidates",
                "advance-reconcile-cursor");
        assertThat(uri("candidate-backfill", "sync-chunk")).isEqualTo("direct:candidate-batch");
        assertThat(uri("candidate-reconcile", "sync-candidates")).isEqualTo("direct:candidate-batch");
        SplitDefinition split = (SplitDefinition) RouteModel.step(camel, "candidate-batch", "each-loaded-candidate").definition();
        assertThat(split.getParallelProcessing()).isEqualTo("true");
        assertThat(split.getExecutorService()).isEqualTo("candidate-batch");
        assertThat(uri("candidate-batch", "sync-loaded-candidate")).isEqualTo("direct:candidate-sync");
        assertThat(RouteModel.step(camel, "candidate-batch", "dead-letter-candidate").enclosing()).contains("candidate-failed");
    }

    @Test
    void aCandidateAGuardStopsNeverReachesTheCreateCall() throws Exception {
        AdviceWith.adviceWith(camel, "candidate-sync",
                a -> a.weaveById("create-contact").before().to("mock:reached-create-contact"));
        MockEndpoint create = camel.getEndpoint("mock:reached-create-contact", MockEndpoint.class);
        String tag = UUID.randomUUID().toString().substring(0, 8);

        String anonymizedMail = email("anon-" + tag);
        long anonymized = candidate("Anonymized", anonymizedMail);
        guard.record(String.valueOf(anonymized), null, List.of(anonymizedMail), "greenhouse");
        long hidden = GH.candidate("Private", tag).email(email("private")).privateCandidate(true).create();
        long reAdded = candidate("ReAdded", anonymizedMail); // an anonymized person's email: held
        long plain = candidate("Plain", email("plain-" + tag));

        assertThat(candidateSync.syncCandidate(anonymized, candidateSync.defaults("test")))
                .isEqualTo(new CandidateSync.Outcome("skipped", null, "anonymized"));
        assertThat(candidateSync.syncCandidate(hidden, candidateSync.defaults("test")))
                .isEqualTo(new CandidateSync.Outcome("skipped", null, "private"));
        assertThat(candidateSync.syncCandidate(reAdded, candidateSync.defaults("test")))
                .isEqualTo(new CandidateSync.Outcome("skipped", null, "held"));
        assertThat(candidateSync.syncCandidate(999_000_000L + anonymized % 1000, candidateSync.defaults("test")).reason())
                .isEqualTo("gone");
        assertThat(create.getReceivedCounter()).as("no guarded candidate reached the create call").isZero();

        long reads = BEAMERY.requestCount("GET /contact/");
        CandidateSync.Outcome created = candidateSync.syncCandidate(plain, candidateSync.defaults("test"));

        assertThat(created.outcome()).isEqualTo("created");
        assertThat(create.getReceivedCounter()).isOne();
        JsonNode body = create.getExchanges().get(0).getMessage().getBody(JsonNode.class);
        assertThat(body.path("creationSource").asText()).as("the create body comes from the mapping").isEqualTo("Greenhouse");
        assertThat(body.path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(plain));
        assertThat(BEAMERY.requestCount("GET /contact/")).as("no read after the write").isEqualTo(reads);
    }

    @Test
    void theEchoStateComesFromTheWriteRepliesAndIsTheContactAsBeameryHoldsIt() {
        long job = jobWithVacancy(unique("Echo job"));
        long candidate = candidate("Echo", email("echo"));
        long app = GH.apply(candidate, job);
        long reads = BEAMERY.requestCount("GET /contact/");

        String contactId = candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).contactId(); // POST + PUT

        assertThat(vacancyLink(BEAMERY.contact(contactId).orElseThrow(), vacancyOf(job))).isNotNull();
        assertThat(outboundState.get(contactId).inboundHash()).as("create reply + vacancy link reply")
                .isEqualTo(ContactProjection.hash(BEAMERY.contact(contactId).orElseThrow()));
        GH.updateCandidate(candidate, c -> c.put("title", "Echo Engineer"));
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("updated");
        assertThat(outboundState.get(contactId).inboundHash()).as("patch reply")
                .isEqualTo(ContactProjection.hash(BEAMERY.contact(contactId).orElseThrow()));
        assertThat(BEAMERY.requestCount("GET /contact/")).as("no read after a contact write").isEqualTo(reads);

        GH.move(app, null); // only the vacancy link changes: the one case that reads the contact
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("unchanged");
        assertThat(outboundState.get(contactId).inboundHash())
                .isEqualTo(ContactProjection.hash(BEAMERY.contact(contactId).orElseThrow()));
        assertThat(BEAMERY.requestCount("GET /contact/")).isEqualTo(reads + 1);
    }

    private String uri(String route, String step) {
        return ((ToDefinition) RouteModel.step(camel, route, step).definition()).getEndpointUri();
    }
}
