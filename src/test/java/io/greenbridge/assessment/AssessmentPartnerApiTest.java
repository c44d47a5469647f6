package io.greenbridge.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.AssessmentCaller.Answer;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.mail.internet.MimeMessage;
import io.greenbridge.support.Hashes;

/** The four endpoints Greenhouse calls, the keys that guard them and the invitation email. */
class AssessmentPartnerApiTest extends AssessmentTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    AssessmentStatus status;

    @Autowired
    MeterRegistry meters;

    @Test
    void listTestsAnswersTheCompanysConfiguredTests() {
        Company acme = newCompany();

        Answer tests = acme.greenhouse().listTests();

        assertThat(tests.status()).isEqualTo(200);
        assertThat(tests.json().isArray()).isTrue();
        assertThat(tests.json()).hasSize(2);
        assertThat(tests.json().get(0).path("partner_test_id").asText()).isEqualTo("plum-discovery");
        assertThat(tests.json().get(0).path("partner_test_name").asText()).isEqualTo("Plum Discovery Survey");

        Answer reconfigured = put("/api/companies/" + acme.id() + "/tests", "{\"tests\":[{\"id\":\"42\",\"name\":\"Leadership\"}]}");
        assertThat(reconfigured.status()).isEqualTo(200);
        JsonNode now = acme.greenhouse().listTests().json();
        assertThat(now).hasSize(1);
        assertThat(now.get(0).path("partner_test_id").asText()).isEqualTo("42");
        assertThat(now.get(0).path("partner_test_name").asText()).isEqualTo("Leadership");
    }

    @Test
    void everyCallWithoutAValidKeyIsRefusedWith401() {
        Company acme = newCompany();
        String email = uniqueEmail();
        String interview = acme.greenhouse().sendTest(sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("401")))
                .json().path("partner_interview_id").asText();
        AssessmentCaller none = acme.greenhouse().withKey(null);
        AssessmentCaller wrong = acme.greenhouse().withKey("gbk_not-a-key-of-anyone");

        assertThat(AssessmentCaller.adminDelete(base(), ADMIN, "/api/api-keys/" + acme.key().keyId()).status()).isEqualTo(204);
        AssessmentCaller revoked = acme.greenhouse();

        for (AssessmentCaller caller : List.of(none, wrong, revoked)) {
            for (Answer answer : List.of(caller.listTests(),
                    caller.sendTest(sendTestBody("plum-discovery", uniqueEmail(), GREENHOUSE.callbackUrl("401b"))),
                    caller.testStatus(interview), caller.responseError("{\"api_call\":\"list_tests\",\"errors\":[]}"),
                    caller.get("/api/employer/invitations"))) {
                assertThat(answer.status()).isEqualTo(401);
                assertThat(answer.json().path("error").asText()).isEqualTo("unauthorized");
            }
        }
        assertThat(none.listTests().header("WWW-Authenticate")).startsWith("Basic");
    }

    @Test
    void aNewKeyOfTheSameCompanyWorksAfterAnotherIsRevoked() {
        Company acme = newCompany();
        AssessmentCaller.Key second = AssessmentCaller.issueKey(base(), ADMIN, acme.id(), "second@acme.example");
        AssessmentCaller.adminDelete(base(), ADMIN, "/api/api-keys/" + acme.key().keyId());

        assertThat(acme.greenhouse().listTests().status()).isEqualTo(401);
        assertThat(acme.greenhouse().withKey(second.key()).listTests().status()).isEqualTo(200);
    }

    @Test
    void keysAreShownOnceShortEnoughForGreenhouseAndStoredOnlyHashed() {
        Company acme = newCompany();
        String key = acme.key().key();

        assertThat(key.length()).isLessThan(171);
        assertThat(key).startsWith("gbk_");
        String stored = jdbc.queryForObject("SELECT key_hash FROM api_keys WHERE id = ?", String.class, acme.key().keyId());
        assertThat(stored).isEqualTo(Hashes.sha256Hex(key)).doesNotContain(key.substring(4));
        Integer plain = jdbc.queryForObject("SELECT COUNT(*) FROM api_keys WHERE key_hash = ? OR key_prefix = ?",
                Integer.class, key, key);
        assertThat(plain).isZero();
    }

    @Test
    void oneCompanyNeverSeesAnothersTestsInvitationsOrResults() {
        Company acme = newCompany();
        Company globex = newCompany();
        put("/api/companies/" + globex.id() + "/tests", "[{\"id\":\"globex-only\",\"name\":\"Globex Test\"}]");
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("iso-1"));

        assertThat(globex.greenhouse().listTests().body()).doesNotContain("plum-discovery");
        assertThat(acme.greenhouse().listTests().body()).doesNotContain("globex-only");
        Answer foreignStatus = globex.greenhouse().testStatus(steve.partnerInterviewId());
        assertThat(foreignStatus.status()).isEqualTo(404);
        assertThat(foreignStatus.json().path("error").asText()).isEqualTo("not_found");
        Answer foreignTest = globex.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(), GREENHOUSE.callbackUrl("iso-2")));
        assertThat(foreignTest.status()).isEqualTo(400);
        assertThat(foreignTest.json().path("error").asText()).isEqualTo("unknown_test");
        assertThat(globex.greenhouse().get("/api/employer/invitations/" + steve.partnerInterviewId()).status()).isEqualTo(404);
        assertThat(globex.greenhouse().get("/api/employer/invitations").json().path("invitations")).isEmpty();
        assertThat(globex.greenhouse().post("/api/employer/invitations/" + steve.partnerInterviewId() + "/revoke").status())
                .isEqualTo(404);
        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);
        assertThat(globex.greenhouse().testStatus(steve.partnerInterviewId()).status()).isEqualTo(404);
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("complete");
        // the same Greenhouse callback url at another company is another invitation, not a "retry"
        Answer globexSend = globex.greenhouse().sendTest(sendTestBody("globex-only", uniqueEmail(), GREENHOUSE.callbackUrl("iso-1")));
        assertThat(globexSend.json().path("partner_interview_id").asText()).isNotEqualTo(steve.partnerInterviewId());
    }

    @Test
    void sendTestNamesEachMissingRequiredField() throws Exception {
        Company acme = newCompany();
        List<String> required = List.of("partner_test_id", "candidate.first_name", "candidate.last_name",
                "candidate.email", "candidate.greenhouse_profile_url", "url");
        for (String field : required) {
            for (boolean asNull : new boolean[] {false, true}) {
                ObjectNode body = (ObjectNode) JSON.readTree(sendTestBody("plum-discovery", uniqueEmail(), GREENHOUSE.callbackUrl("m")));
                ObjectNode holder = field.startsWith("candidate.") ? (ObjectNode) body.get("candidate") : body;
                String name = field.startsWith("candidate.") ? field.substring(10) : field;
                if (asNull) {
                    holder.putNull(name);
                } else {
                    holder.remove(name);
                }

                Answer answer = acme.greenhouse().sendTest(body.toString());

                assertThat(answer.status()).as(field).isEqualTo(400);
                assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
                assertThat(answer.json().path("message").asText()).isEqualTo(field + " is required.");
            }
        }
        Answer noCandidate = acme.greenhouse().sendTest("{\"partner_test_id\":\"plum-discovery\",\"url\":\"https://gh.example/x\"}");
        assertThat(noCandidate.json().path("message").asText()).contains("candidate.first_name", "candidate.email");
        assertThat(acme.greenhouse().sendTest("not json").json().path("error").asText()).isEqualTo("invalid_json");
        assertThat(acme.greenhouse().sendTest(sendTestBody("plum-discovery", "not-an-email", "https://gh.example/x"))
                .json().path("message").asText()).contains("candidate.email is not an email address");
        assertThat(acme.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(), "ftp://gh.example/x"))
                .json().path("message").asText()).contains("url must be an http(s) URL");
        Integer invitations = jdbc.queryForObject("SELECT COUNT(*) FROM invitations WHERE company_id = ?", Integer.class, acme.id());
        assertThat(invitations).isZero();
    }

    @Test
    void sendTestRefusesATestIdTheCompanyDoesNotOffer() {
        Answer answer = newCompany().greenhouse().sendTest(sendTestBody("no-such-test", uniqueEmail(), GREENHOUSE.callbackUrl("u")));

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().path("error").asText()).isEqualTo("unknown_test");
        assertThat(answer.json().path("message").asText()).contains("no-such-test", "list_tests");
    }

    @Test
    void sendTestAnswersAtOnceAndEmailsTheCandidateTheNoLoginLink() throws Exception {
        Company acme = newCompany();
        String email = uniqueEmail();

        Answer sent = acme.greenhouse().sendTest(sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("mail-1")));

        assertThat(sent.status()).isEqualTo(200);
        assertThat(sent.json().size()).isEqualTo(1);
        String id = sent.json().path("partner_interview_id").asText();
        assertThat(id).isNotBlank();
        MimeMessage mail = awaitMailTo(email);
        assertThat(mail.getSubject()).contains("Plum Discovery Survey");
        assertThat(mail.getFrom()[0].toString()).isEqualTo("assessments@greenbridge.local");
        String text = body(mail);
        assertThat(text).contains("Hello Steve", "\"Plum Discovery Survey\"", PUBLIC_BASE + "/a/", "no login needed");
        String token = tokenIn(mail);
        assertThat(token.length()).isGreaterThanOrEqualTo(43); // 256 random bits, URL-safe base64
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invitations WHERE token_hash = ?", Integer.class, token)).isZero();
        assertThat(acme.greenhouse().testStatus(id).body()).isEqualTo("{\"partner_status\":\"sent\"}");
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox WHERE ref = ? AND status = 'done' AND payload IS NULL", Integer.class, id) == 1);
    }

    @Test
    void aRetriedIdenticalSendTestReturnsTheSameInterviewAndSendsOneEmail() throws Exception {
        Company acme = newCompany();
        String email = uniqueEmail();
        String body = sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("retry-1"));

        List<CompletableFuture<Answer>> racing = new ArrayList<>();
        IntStream.range(0, 6).forEach(i -> racing.add(CompletableFuture.supplyAsync(() -> acme.greenhouse().sendTest(body))));
        List<String> ids = racing.stream().map(CompletableFuture::join).peek(a -> assertThat(a.status()).isEqualTo(200))
                .map(a -> a.json().path("partner_interview_id").asText()).distinct().toList();
        String again = acme.greenhouse().sendTest(body).json().path("partner_interview_id").asText();

        assertThat(ids).hasSize(1);
        assertThat(again).isEqualTo(ids.get(0));
        awaitMailTo(email);
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox WHERE ref = ? AND status = 'done'", Integer.class, again) == 1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE ref = ?", Integer.class, again)).isEqualTo(1);
        assertThat(mailsTo(email)).hasSize(1);
    }

    @Test
    void testStatusOfAnUnknownInterviewIs404WithAJsonError() {
        Answer answer = newCompany().greenhouse().testStatus("does-not-exist");

        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.header("Content-Type")).startsWith("application/json");
        assertThat(answer.json().path("error").asText()).isEqualTo("not_found");
        assertThat(answer.json().path("message").asText()).contains("does-not-exist");
    }

    @Test
    void responseErrorIsStoredCountedAndAcknowledged() {
        Company acme = newCompany();
        int before = (Integer) status.snapshot().get("responseErrors");
        double counted = meters.find("greenbridge.assessment.response_errors").counters().stream()
                .mapToDouble(c -> c.count()).sum();

        Answer answer = acme.greenhouse().responseError("""
                {"api_call": "test_status", "errors": ["partner_profile_url is required when partner_status is complete"],
                 "partner_test_id": "plum-discovery", "partner_interview_id": "abc", "candidate_email": "x@example.org"}""");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().path("status").asInt()).isEqualTo(200);
        assertThat(status.snapshot().get("responseErrors")).isEqualTo(before + 1);
        assertThat(status.snapshot().get("lastResponseErrorAt")).isNotNull();
        assertThat(meters.find("greenbridge.assessment.response_errors").counters().stream().mapToDouble(c -> c.count()).sum())
                .isEqualTo(counted + 1);
        JsonNode stored = JSON.valueToTree(jdbc.queryForMap(
                "SELECT api_call, partner_interview_id FROM response_errors WHERE company_id = ?", acme.id()));
        assertThat(stored.toString()).containsIgnoringCase("test_status").contains("abc");
    }

    @Test
    void adminTenantEndpointsAnswerJsonErrors() {
        assertThat(AssessmentCaller.admin(base(), "wrong", "/api/companies", "{\"name\":\"X\"}").status()).isEqualTo(401);
        Answer noName = AssessmentCaller.admin(base(), ADMIN, "/api/companies", "{}");
        assertThat(noName.status()).isEqualTo(400);
        assertThat(noName.json().path("error").asText()).isEqualTo("invalid_request");
        assertThat(AssessmentCaller.admin(base(), ADMIN, "/api/companies", "{\"name\":\"X\",\"tests\":[{\"id\":\"\"}]}").status())
                .isEqualTo(400);
        Answer unknownCompany = AssessmentCaller.admin(base(), ADMIN, "/api/companies/nope/users", "{\"email\":\"a@b.c\"}");
        assertThat(unknownCompany.status()).isEqualTo(404);
        assertThat(unknownCompany.json().path("error").asText()).isEqualTo("not_found");
        assertThat(AssessmentCaller.admin(base(), ADMIN, "/api/users/nope/api-keys", "").status()).isEqualTo(404);
        assertThat(AssessmentCaller.adminDelete(base(), ADMIN, "/api/api-keys/nope").status()).isEqualTo(404);
        String defaults = AssessmentCaller.admin(base(), ADMIN, "/api/companies", "{\"name\":\"Defaults Inc\"}").json().path("id").asText();
        AssessmentCaller.Key key = AssessmentCaller.issueKey(base(), ADMIN, defaults, "r@defaults.example");
        assertThat(new AssessmentCaller(base(), key.key()).listTests().body())
                .isEqualTo("[{\"partner_test_id\":\"plum-discovery-survey\",\"partner_test_name\":\"Plum Discovery Survey\"}]");
    }

    private Answer put(String path, String json) {
        return AssessmentCaller.adminPut(base(), ADMIN, path, json);
    }
}
