package io.greenbridge.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import org.apache.camel.CamelContext;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.greenbridge.routes.RouteModel;
import io.greenbridge.sandbox.AssessmentCaller;

/**
 * routes/assessment-partner.yaml step by step (ids are the steps' JMX names): every Greenhouse call authenticates
 * the company key first, send_test checks the fields and the callback allowlist before anything is created, the
 * results' HMAC is checked before anything is read, and the outbox checks the allowlist again before each PATCH.
 * Advised routes: a context of its own.
 */
@CamelSpringBootTest
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
@TestPropertySource(properties = "greenbridge.routes.redeliveries=1") // never share the other assessment tests' context
class AssessmentRouteTest extends AssessmentTestBase {
    private static boolean advised;

    @Autowired
    CamelContext camel;

    private MockEndpoint creates;
    private MockEndpoint stores;
    private MockEndpoint emails;
    private MockEndpoint done;

    @BeforeEach
    void watchSteps() throws Exception {
        if (!advised) {
            AdviceWith.adviceWith(camel, "assessment-send-test",
                    a -> a.weaveById("create-invitation-and-queue-email").before().to("mock:invitation-create"));
            AdviceWith.adviceWith(camel, "assessment-results",
                    a -> a.weaveById("store-results-and-queue-callback").before().to("mock:results-store"));
            AdviceWith.adviceWith(camel, "assessment-outbox", a -> {
                a.weaveById("send-invitation-email").after().to("mock:email-sent");
                a.weaveById("mark-done").after().to("mock:outbox-done");
            });
            advised = true;
        }
        creates = camel.getEndpoint("mock:invitation-create", MockEndpoint.class);
        stores = camel.getEndpoint("mock:results-store", MockEndpoint.class);
        emails = camel.getEndpoint("mock:email-sent", MockEndpoint.class);
        done = camel.getEndpoint("mock:outbox-done", MockEndpoint.class);
    }

    @Test
    void everyGreenhouseCallAuthenticatesTheCompanyKeyFirst() {
        for (String route : List.of("assessment-list-tests", "assessment-send-test", "assessment-test-status",
                "assessment-response-error")) {
            assertThat(RouteModel.ids(camel, route).get(0)).as(route).startsWith("authenticate-");
        }
        assertThat(RouteModel.ids(camel, "assessment-send-test")).containsSubsequence("authenticate-company-key",
                "read-send-test-json", "validate-send-test-fields", "check-callback-url-allowlist", "refuse-invalid-request",
                "check-test-offered", "answer-repeated-send", "check-send-limits", "create-invitation-and-queue-email");
        assertThat(RouteModel.ids(camel, "assessment-test-status")).containsSubsequence("authenticate-test-status-key",
                "find-company-invitation", "reply-test-status");
        assertThat(RouteModel.ids(camel, "assessment-response-error")).containsSubsequence(
                "authenticate-response-error-key", "read-response-error-json", "validate-response-error", "record-response-error");
    }

    @Test
    void theResultsSignatureIsCheckedOverTheRawBytesBeforeAnythingElse() {
        assertThat(RouteModel.route(camel, "assessment-results").getInput().getEndpointUri()).contains("useStreaming=true");
        assertThat(RouteModel.ids(camel, "assessment-results").get(0)).isEqualTo("verify-signature");
        assertThat(RouteModel.ids(camel, "assessment-results")).containsSubsequence("verify-signature", "read-results-json",
                "find-invitation-by-token", "validate-results", "store-results-and-queue-callback");
    }

    @Test
    void theOutboxChecksTheAllowlistAgainBeforeEachPatchAndMarksEachRow() {
        assertThat(RouteModel.ids(camel, "assessment-outbox")).containsSubsequence("claim-due", "each-due-item",
                "deliver-item", "load-invitation", "email-or-callback", "mark-done", "delivery-failed", "mark-retry-or-dead");
        assertThat(RouteModel.ids(camel, "assessment-outbox")).containsSubsequence("check-callback-url-again",
                "patch-greenhouse-callback");
        assertThat(RouteModel.step(camel, "assessment-outbox", "patch-greenhouse-callback").enclosing())
                .containsSubsequence("each-due-item", "deliver-item", "email-or-callback", "greenhouse-callback");
        assertThat(RouteModel.step(camel, "assessment-outbox", "send-invitation-email").enclosing())
                .containsSubsequence("email-or-callback", "invitation-email", "send-unless-revoked", "invitation-open");
        assertThat(RouteModel.step(camel, "assessment-outbox", "mark-retry-or-dead").enclosing())
                .containsSubsequence("deliver-item", "delivery-failed");
    }

    @Test
    void aCallbackUrlOffTheAllowlistNeverReachesTheCreateStep() {
        Company acme = newCompany();
        int before = creates.getReceivedCounter();
        AssessmentCaller.Answer refused = acme.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(),
                "https://attacker.example/callback"));
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.json().path("field").asText()).isEqualTo("url");
        AssessmentCaller.Answer unknownTest = acme.greenhouse().sendTest(sendTestBody("no-such-test", uniqueEmail(),
                GREENHOUSE.callbackUrl("route-1")));
        assertThat(unknownTest.json().path("error").asText()).isEqualTo("unknown_test");
        assertThat(creates.getReceivedCounter()).isEqualTo(before);

        int emailsBefore = emails.getReceivedCounter();
        Invited invited = invite(acme, GREENHOUSE.callbackUrl("route-2"));
        assertThat(creates.getReceivedCounter()).isEqualTo(before + 1);
        // the e-mail went out through the outbox route's send step, and its row was marked done after it
        assertThat(emails.getReceivedCounter()).isGreaterThan(emailsBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> done.getExchanges().stream()
                .map(e -> e.getMessage().getBody(AssessmentOutbox.Item.class))
                .anyMatch(i -> i != null && i.ref().equals(invited.partnerInterviewId())));
    }

    @Test
    void unsignedResultsNeverReachTheStoreStep() throws Exception {
        int before = stores.getReceivedCounter();
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(base() + "/api/assessment/results"))
                .header("Content-Type", "application/json").header("X-Signature", "sha256 " + "0".repeat(64))
                .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"x\",\"score\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.body()).contains("invalid_signature");
        assertThat(stores.getReceivedCounter()).isEqualTo(before);
    }
}
