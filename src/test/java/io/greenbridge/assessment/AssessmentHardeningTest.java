package io.greenbridge.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.AssessmentCaller.Answer;
import io.greenbridge.sandbox.AssessmentPlatformSimulator;
import io.greenbridge.sandbox.GreenhouseCallbackReceiver;
import io.greenbridge.support.DataKeys;
import io.micrometer.core.instrument.MeterRegistry;

/** Issues 14/16 on the assessment side: SSRF, field checks, rate limits, sealed secrets, bounded reports and replies. */
class AssessmentHardeningTest extends AssessmentTestBase {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    DataKeys dataKeys;
    @Autowired
    AssessmentOutbox outbox;
    @Autowired
    ResponseErrors responseErrors;
    @Autowired
    MeterRegistry meters;

    @Test
    void sendTestRefusesCallbackUrlsOffTheAllowlistBadPortsCredentialsAndOverlongOnes() {
        Company acme = newCompany();
        GreenhouseCallbackReceiver elsewhere = receiver();
        List<String> hostile = List.of(
                elsewhere.callbackUrl("ssrf-1"),                       // loopback, but not on the allowlist
                "http://127.0.0.1:99999/x",                             // no such port
                "http://127.0.0.1:0/x",
                "http://169.254.169.254/latest/meta-data/",
                "https://user:pw@app.greenhouse.io/integrations/x",   // userinfo
                "https://app.greenhouse.io@127.0.0.1:" + DEAD_PORT + "/x",
                "http://app.greenhouse.io/integrations/x",              // http to a non-loopback host
                "https://app.greenhouse.io:8443/x",                     // another port than the entry's
                "https://app.greenhouse.io.evil.example/x",
                "https://greenhouse.io.evil.example/x",
                "ftp://app.greenhouse.io/x",
                "https://app.greenhouse.io/" + "a".repeat(2100));
        for (String url : hostile) {
            Answer answer = acme.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(), url));
            assertThat(answer.status()).as(url).isEqualTo(400);
            assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
            assertThat(answer.json().path("field").asText()).as(url).isEqualTo("url");
            assertThat(answer.json().path("message").asText()).as(url).startsWith("url");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invitations WHERE company_id = ?", Integer.class, acme.id())).isZero();
        Answer greenhouse = acme.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(),
                "https://app.greenhouse.io/integrations/testing_partners/take_home_tests/12345"));
        assertThat(greenhouse.status()).isEqualTo(200);
        assertThat(elsewhere.calls()).isEmpty();
        elsewhere.close();
    }

    @Test
    void aStoredCallbackWhoseHostIsNoLongerAllowedIsNotCalledAndDiesWithAReason() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("moved-1"));
        GreenhouseCallbackReceiver elsewhere = receiver();
        jdbc.update("UPDATE invitations SET callback_url = ? WHERE id = ?", elsewhere.callbackUrl("moved-1"),
                steve.partnerInterviewId());

        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> deadCallback(steve.partnerInterviewId()));
        assertThat(jdbc.queryForObject("SELECT last_error FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ?",
                String.class, steve.partnerInterviewId())).contains("callback-hosts");
        assertThat(jdbc.queryForObject("SELECT attempts FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ?",
                Integer.class, steve.partnerInterviewId())).isEqualTo(1); // permanent: not retried
        assertThat(elsewhere.calls()).isEmpty();
        elsewhere.close();
    }

    @Test
    void aRedirectingCallbackIsNotFollowed() {
        Company acme = newCompany();
        Invited steve = invite(acme, HOSTILE.url("/redirect/redirected-1"));

        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> deadCallback(steve.partnerInterviewId()));
        assertThat(HOSTILE.requests()).contains("PATCH /redirect/redirected-1 HTTP/1.1");
        assertThat(GREENHOUSE.calls()).noneMatch(c -> c.path().endsWith("/redirected-1"));
        assertThat(jdbc.queryForObject("SELECT reason FROM dead_letters WHERE ref = ?", String.class,
                steve.partnerInterviewId())).contains("307");
    }

    @Test
    void theCallbackCarriesTheCompanyKeyAsBasicUsernameKeptSealedAndForgottenAfterwards() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("auth-1"));
        String sealed = jdbc.queryForObject("SELECT callback_credential FROM invitations WHERE id = ?", String.class,
                steve.partnerInterviewId());
        assertThat(sealed).isNotNull().doesNotContain(acme.key().key());
        assertThat(dataKeys.decrypt(sealed)).isEqualTo(acme.key().key());

        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).until(() -> GREENHOUSE.accepted("auth-1") == 1);
        List<GreenhouseCallbackReceiver.Call> calls = GREENHOUSE.calls().stream().filter(c -> c.path().endsWith("/auth-1")).toList();
        assertThat(calls).extracting(GreenhouseCallbackReceiver.Call::basicUsername).containsOnly(acme.key().key());
        await().atMost(Duration.ofSeconds(5)).until(() -> jdbc.queryForObject(
                "SELECT callback_credential FROM invitations WHERE id = ?", String.class, steve.partnerInterviewId()) == null);
    }

    @Test
    void aReplyThatNeverEndsIsCutAndOneThatTricklesEndsAtTheDeadline() {
        GreenhouseCallback callback = new GreenhouseCallback(Duration.ofSeconds(2));
        long start = System.nanoTime();
        callback.markCompleted(HOSTILE.url("/stream/1"), "gbk_key"); // 200, body discarded past the cap
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        long written = HOSTILE.bytesWritten.get();
        await().pollDelay(Duration.ofMillis(300)).atMost(Duration.ofSeconds(3))
                .until(() -> HOSTILE.bytesWritten.get() < written + 64L * 1024 * 1024); // the stream was hung up on

        long trickle = System.nanoTime();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> callback.markCompleted(HOSTILE.url("/trickle/1"), "gbk_key"))
                .isInstanceOf(io.greenbridge.support.RemoteCallException.class).hasMessageContaining("within 2 s");
        assertThat(Duration.ofNanos(System.nanoTime() - trickle)).isLessThan(Duration.ofSeconds(6));
    }

    @Test
    void sendTestFieldsAreCheckedBeforeAnythingIsStored() throws Exception {
        Company acme = newCompany();
        List<String[]> cases = List.of(
                new String[] {"candidate.first_name", "first_name", "a".repeat(401)},
                new String[] {"candidate.first_name", "first_name", "Steve\r\nClick https://evil.example now"},
                new String[] {"candidate.first_name", "first_name", "Visit www.evil.example"},
                new String[] {"candidate.last_name", "last_name", "Jobs\u0007"},
                new String[] {"candidate.last_name", "last_name", "see http://evil.example"},
                new String[] {"candidate.email", "email", "a".repeat(250) + "@example.org"},
                new String[] {"candidate.email", "email", "x@example.org\r\nBcc: everyone@example.org"},
                new String[] {"candidate.email", "email", "\"Steve\" <x@example.org>"},
                new String[] {"partner_test_id", "partner_test_id", "p".repeat(201)});
        for (String[] c : cases) {
            ObjectNode body = (ObjectNode) JSON.readTree(sendTestBody("plum-discovery", uniqueEmail(), GREENHOUSE.callbackUrl("v")));
            ObjectNode holder = c[0].startsWith("candidate.") ? (ObjectNode) body.get("candidate") : body;
            holder.put(c[1], c[2]);

            Answer answer = acme.greenhouse().sendTest(body.toString());

            assertThat(answer.status()).as(c[2]).isEqualTo(400);
            assertThat(answer.json().path("field").asText()).as(c[2]).isEqualTo(c[0]);
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invitations WHERE company_id = ?", Integer.class, acme.id())).isZero();
        Answer longId = acme.greenhouse().testStatus("i".repeat(65));
        assertThat(longId.status()).isEqualTo(400);
        assertThat(longId.json().path("field").asText()).isEqualTo("partner_interview_id");
    }

    @Test
    void tenantAdminRefusesOverlongNamesBadIdsAndDuplicateTestIdsWith400() {
        List<String> bodies = List.of(
                "{\"name\":\"" + "c".repeat(401) + "\"}",
                "{\"name\":\"Acme\\nInc\"}",
                "{\"name\":\"Acme\",\"tests\":[{\"id\":\"t1\",\"name\":\"" + "n".repeat(401) + "\"}]}",
                "{\"name\":\"Acme\",\"tests\":[{\"id\":\"" + "i".repeat(401) + "\",\"name\":\"T\"}]}",
                "{\"name\":\"Acme\",\"tests\":[{\"id\":\"has space\",\"name\":\"T\"}]}",
                "{\"name\":\"Acme\",\"tests\":[{\"id\":\"t1\",\"name\":\"A\"},{\"id\":\"t1\",\"name\":\"B\"}]}");
        for (String body : bodies) {
            Answer answer = AssessmentCaller.admin(base(), ADMIN, "/api/companies", body);
            assertThat(answer.status()).as(body).isEqualTo(400);
            assertThat(answer.json().path("error").asText()).isEqualTo("invalid_request");
            assertThat(answer.json().path("field").asText()).as(body).isNotBlank();
        }
        Company acme = newCompany();
        Answer dup = AssessmentCaller.adminPut(base(), ADMIN, "/api/companies/" + acme.id() + "/tests",
                "[{\"id\":\"t1\",\"name\":\"A\"},{\"id\":\"t1\",\"name\":\"B\"}]");
        assertThat(dup.status()).isEqualTo(400);
        assertThat(dup.json().path("message").asText()).contains("t1", "twice");
        Answer longUser = AssessmentCaller.admin(base(), ADMIN, "/api/companies/" + acme.id() + "/users",
                "{\"email\":\"" + "u".repeat(300) + "@example.org\"}");
        assertThat(longUser.status()).isEqualTo(400);
    }

    @Test
    void responseErrorTagsComeFromAClosedSetBodiesAreCappedAndOldReportsPruned() {
        Company acme = newCompany();
        for (int i = 0; i < 30; i++) {
            assertThat(acme.greenhouse().responseError("{\"api_call\":\"made-up-" + i + "\",\"errors\":[\"x\"]}").status())
                    .isEqualTo(200);
        }
        Set<String> tags = meters.find("greenbridge.assessment.response_errors").counters().stream()
                .map(c -> c.getId().getTag("api_call")).collect(Collectors.toSet());
        assertThat(tags).isSubsetOf("list_tests", "send_test", "test_status", "other").contains("other");

        List<String> errors = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            errors.add("\"" + "e".repeat(500) + "\"");
        }
        assertThat(acme.greenhouse().responseError("{\"api_call\":\"test_status\",\"errors\":[" + String.join(",", errors)
                + "],\"candidate_email\":\"x@example.org\"}").status()).isEqualTo(200);
        Integer longest = jdbc.queryForObject("SELECT MAX(LENGTH(body)) FROM response_errors WHERE company_id = ?",
                Integer.class, acme.id());
        assertThat(longest).isLessThanOrEqualTo(ResponseErrors.MAX_STORED_BYTES);

        Answer bad = acme.greenhouse().responseError("{\"api_call\":\"" + "a".repeat(41) + "\",\"errors\":[]}");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().path("field").asText()).isEqualTo("api_call");
        Answer noErrors = acme.greenhouse().responseError("{\"api_call\":\"test_status\",\"errors\":\"oops\"}");
        assertThat(noErrors.status()).isEqualTo(400);
        assertThat(noErrors.json().path("field").asText()).isEqualTo("errors");

        jdbc.update("INSERT INTO response_errors (company_id, api_call, errors, body, received_at) VALUES (?, ?, ?, ?, ?)",
                acme.id(), "test_status", "[]", "{}", OffsetDateTime.now(ZoneOffset.UTC).minusDays(31));
        int before = jdbc.queryForObject("SELECT COUNT(*) FROM response_errors WHERE company_id = ?", Integer.class, acme.id());
        assertThat(responseErrors.prune()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM response_errors WHERE company_id = ?", Integer.class, acme.id()))
                .isEqualTo(before - 1);
    }

    @Test
    void sendTestIsRateLimitedPerRecipientAndPerCompanyWith429AndRetryAfter() {
        Company acme = newCompany();
        String email = uniqueEmail();
        String first = null;
        for (int i = 0; i < PER_RECIPIENT; i++) {
            Answer ok = acme.greenhouse().sendTest(sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("rl-r-" + i)));
            assertThat(ok.status()).isEqualTo(200);
            first = first == null ? ok.json().path("partner_interview_id").asText() : first;
        }
        Answer limited = acme.greenhouse().sendTest(sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("rl-r-x")));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("error").asText()).isEqualTo("rate_limited");
        assertThat(Long.parseLong(limited.header("Retry-After"))).isBetween(1L, 3600L);
        Answer otherCompany = newCompany().greenhouse().sendTest(sendTestBody("plum-discovery", email.toUpperCase(),
                GREENHOUSE.callbackUrl("rl-r-y")));
        assertThat(otherCompany.status()).isEqualTo(429); // the recipient's limit holds across companies
        Answer retry = acme.greenhouse().sendTest(sendTestBody("plum-discovery", email, GREENHOUSE.callbackUrl("rl-r-0")));
        assertThat(retry.status()).isEqualTo(200); // an identical retry is answered, not counted
        assertThat(retry.json().path("partner_interview_id").asText()).isEqualTo(first);

        Company globex = newCompany();
        for (int i = 0; i < PER_COMPANY; i++) {
            assertThat(globex.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(),
                    GREENHOUSE.callbackUrl("rl-c-" + i))).status()).isEqualTo(200);
        }
        Answer tooMany = globex.greenhouse().sendTest(sendTestBody("plum-discovery", uniqueEmail(), GREENHOUSE.callbackUrl("rl-c-x")));
        assertThat(tooMany.status()).isEqualTo(429);
        assertThat(tooMany.header("Retry-After")).isNotBlank();

        Answer status = new AssessmentCaller(base(), null).withKey(null).fetch(base() + "/api/status");
        assertThat(status.status()).isEqualTo(401); // admin only
        JsonNode volume = statusAsAdmin().path("assessmentInvitations").path(globex.id());
        assertThat(volume.path("sent").asInt()).isEqualTo(PER_COMPANY);
        assertThat(volume.path("sentInWindow").asInt()).isEqualTo(PER_COMPANY);
        assertThat(volume.path("refusedByLimit").asInt()).isEqualTo(1);
    }

    @Test
    void resultsAfterTheInvitationExpiredAndItsGraceAreRefused() {
        Company acme = newCompany();
        Invited late = invite(acme, GREENHOUSE.callbackUrl("late-1"));
        Invited inGrace = invite(acme, GREENHOUSE.callbackUrl("grace-1"));
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        jdbc.update("UPDATE invitations SET expires_at = ? WHERE id = ?", now.minusHours(25), late.partnerInterviewId());
        jdbc.update("UPDATE invitations SET expires_at = ? WHERE id = ?", now.minusHours(1), inGrace.partnerInterviewId());

        String results = PLATFORM.resultsJson(late.token());
        var refused = PLATFORM.post(results, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, results));

        assertThat(refused.statusCode()).isEqualTo(410);
        assertThat(refused.body()).contains("\"error\":\"invitation_expired\"");
        assertThat(PLATFORM.complete(inGrace.token())).isEqualTo(200);
        assertThat(acme.greenhouse().testStatus(late.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("expired");
    }

    @Test
    void resultsAreVerifiedOverTheExactBytesAndAnOversizeBodyIs413() {
        Invited steve = invite(newCompany(), GREENHOUSE.callbackUrl("bytes-1"));
        byte[] prefix = ("{\"token\":\"" + steve.token() + "\",\"note\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[prefix.length + 3];
        System.arraycopy(prefix, 0, body, 0, prefix.length);
        body[prefix.length] = (byte) 0xFF; // not UTF-8
        body[prefix.length + 1] = '"';
        body[prefix.length + 2] = '}';

        var signed = PLATFORM.postBytes(body, AssessmentPlatformSimulator.signature(SECRET, body));

        assertThat(signed.statusCode()).isNotEqualTo(401).isEqualTo(400); // the signature held; the JSON did not
        assertThat(signed.body()).doesNotContain("invalid_signature");

        byte[] big = new byte[1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        var oversize = PLATFORM.postBytes(big, AssessmentPlatformSimulator.signature(SECRET, big));
        assertThat(oversize.statusCode()).isEqualTo(413);
        assertThat(oversize.body()).contains("\"error\"");
    }

    @Test
    void aDeadInvitationEmailKeepsNoTokenAndItsReplaySendsAFreshOne() throws Exception {
        String sealed = outbox.seal("the-token");
        assertThat(sealed).doesNotContain("the-token");
        assertThat(outbox.unseal(sealed)).isEqualTo("the-token");
        String ghost = "missing-" + UUID.randomUUID();
        outbox.enqueue(AssessmentOutbox.INVITATION_EMAIL, ghost, sealed);
        await().atMost(Duration.ofSeconds(10)).until(() -> "dead".equals(jdbc.queryForObject(
                "SELECT status FROM outbox WHERE kind = 'invitation-email' AND ref = ?", String.class, ghost)));
        assertThat(jdbc.queryForObject("SELECT payload FROM outbox WHERE kind = 'invitation-email' AND ref = ?",
                String.class, ghost)).isNull();

        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("replay-1"));
        // the first e-mail sent first: a worker still holding the row would overwrite the dead status below
        await().atMost(Duration.ofSeconds(10)).until(() -> "done".equals(jdbc.queryForObject(
                "SELECT status FROM outbox WHERE kind = 'invitation-email' AND ref = ?", String.class, steve.partnerInterviewId())));
        jdbc.update("UPDATE outbox SET status = 'dead', payload = NULL WHERE kind = 'invitation-email' AND ref = ?",
                steve.partnerInterviewId());

        assertThat(outbox.requeue(AssessmentOutbox.INVITATION_EMAIL, steve.partnerInterviewId())).isTrue();

        await().atMost(Duration.ofSeconds(10)).until(() -> mailsTo(steve.email()).size() == 2);
        String fresh = tokenIn(mailsTo(steve.email()).get(1));
        assertThat(fresh).isNotEqualTo(steve.token());
        assertThat(acme.greenhouse().fetch("/a/" + steve.token()).status()).isEqualTo(404);
        assertThat(acme.greenhouse().open("/a/" + fresh).status()).isEqualTo(200);
    }

    @Test
    void theDocumentedPlatformUrlFormBuildsTheCandidatesPlatformLink() {
        String token = Secrets.random256();
        assertThat(CandidateLanding.platformLink("https://platform.example/take/{token}", token))
                .isEqualTo("https://platform.example/take/" + token);
        assertThat(CandidateLanding.platformLink("https://platform.example/take?token={token}&lang=en", "a_b-1"))
                .isEqualTo("https://platform.example/take?token=a_b-1&lang=en");
    }

    private JsonNode statusAsAdmin() {
        try {
            var http = java.net.http.HttpClient.newHttpClient();
            var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/status"))
                    .header("Authorization", "Bearer " + ADMIN).GET().build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean deadCallback(String id) {
        return jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ? AND status = 'dead'",
                Integer.class, id) == 1;
    }

    private static GreenhouseCallbackReceiver receiver() {
        try {
            return new GreenhouseCallbackReceiver();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
