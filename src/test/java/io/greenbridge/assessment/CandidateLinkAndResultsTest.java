package io.greenbridge.assessment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.sandbox.AssessmentCaller;
import io.greenbridge.sandbox.AssessmentCaller.Answer;
import io.greenbridge.sandbox.AssessmentPlatformSimulator;
import io.greenbridge.sandbox.GreenhouseCallbackReceiver;

/** The candidate's link, the platform's signed results, the Greenhouse callback and what test_status answers. */
class CandidateLinkAndResultsTest extends AssessmentTestBase {
    @Autowired
    AssessmentStatus status;

    @Test
    void aValidLinkShowsAStartPageAndOnlyTheStartButtonMarksTheTestStartedAndLeadsToThePlatform() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("land-1"));

        Answer scanner = acme.greenhouse().fetch("/a/" + steve.token()); // a mail scanner's bare GET
        Answer page = acme.greenhouse().open("/a/" + steve.token());

        for (Answer a : List.of(scanner, page)) {
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.header("Content-Type")).startsWith("text/html");
            assertThat(a.body()).contains("<form method=\"post\" action=\"/a/" + steve.token() + "/start\">", ">Start<");
        }
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).body()).isEqualTo("{\"partner_status\":\"sent\"}");
        assertThat(PLATFORM.visitedTokens()).doesNotContain(steve.token());

        Answer started = acme.greenhouse().start(steve.token());

        assertThat(started.status()).isEqualTo(303);
        String platform = started.header("Location");
        assertThat(platform).isEqualTo(PLATFORM.takeUrlTemplate().replace("{token}", steve.token()));
        assertThat(started.header("Authorization")).isNull();
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).body()).isEqualTo("{\"partner_status\":\"started\"}");
        assertThat(acme.greenhouse().open(platform).status()).isEqualTo(200);
        assertThat(PLATFORM.visitedTokens()).contains(steve.token());
        assertThat(acme.greenhouse().start(steve.token()).status()).isEqualTo(303); // the link works again
        for (Answer a : List.of(scanner, page, started)) {
            assertSecurityHeaders(a);
        }
    }

    static void assertSecurityHeaders(Answer a) {
        assertThat(a.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(a.header("Content-Security-Policy")).contains("frame-ancestors 'none'");
        assertThat(a.header("X-Frame-Options")).isEqualTo("DENY");
        assertThat(a.header("Referrer-Policy")).isEqualTo("no-referrer");
        assertThat(a.header("Cache-Control")).isEqualTo("no-store");
    }

    @Test
    void unknownExpiredAndRevokedLinksGetAClearPage() {
        Company acme = newCompany();
        Invited expired = invite(acme, GREENHOUSE.callbackUrl("land-expired"));
        Invited revoked = invite(acme, GREENHOUSE.callbackUrl("land-revoked"));
        jdbc.update("UPDATE invitations SET expires_at = ? WHERE id = ?",
                OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(1), expired.partnerInterviewId());
        Answer revoke = acme.greenhouse().post("/api/employer/invitations/" + revoked.partnerInterviewId() + "/revoke");
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(revoke.json().path("status").asText()).isEqualTo("revoked");

        Answer unknown = acme.greenhouse().open("/a/" + Secrets.random256());
        Answer late = acme.greenhouse().open("/a/" + expired.token());
        Answer withdrawn = acme.greenhouse().open("/a/" + revoked.token());

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body()).contains("This link is not valid");
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.body()).contains("This link has expired");
        assertThat(withdrawn.status()).isEqualTo(410);
        assertThat(withdrawn.body()).contains("withdrawn");
        for (Answer page : List.of(unknown, late, withdrawn)) {
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).doesNotContain("Exception", "at io.", "Whitelabel");
            assertSecurityHeaders(page);
        }
        // without a browser's Accept: the JSON error contract
        Answer unknownJson = acme.greenhouse().fetch("/a/" + Secrets.random256());
        Answer lateJson = acme.greenhouse().fetch("/a/" + expired.token());
        Answer lateStart = acme.greenhouse().start(expired.token());
        assertThat(unknownJson.status()).isEqualTo(404);
        assertThat(unknownJson.json().path("error").asText()).isEqualTo("unknown_link");
        assertThat(lateJson.status()).isEqualTo(410);
        assertThat(lateJson.json().path("error").asText()).isEqualTo("invitation_expired");
        assertThat(lateJson.json().path("message").asText()).isNotBlank();
        assertThat(lateStart.status()).isEqualTo(410);
        assertSecurityHeaders(unknownJson);
        assertThat(acme.greenhouse().fetch("/a/" + "x".repeat(300)).status()).isEqualTo(404);
        assertThat(acme.greenhouse().testStatus(expired.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("expired");
        assertThat(acme.greenhouse().testStatus(revoked.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("revoked");
    }

    @Test
    void resultsWithoutAValidSignatureAreRefused() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("sig-1"));
        String results = PLATFORM.resultsJson(steve.token());

        for (String signature : new String[] {null, "sha256 " + "0".repeat(64),
                "sha256 " + AssessmentPlatformSimulator.sign("another-secret", results), "sha256 not-hex",
                AssessmentPlatformSimulator.sign(SECRET, results)}) {
            var r = PLATFORM.post(results, signature);
            assertThat(r.statusCode()).as(String.valueOf(signature)).isEqualTo(401);
            assertThat(r.body()).contains("invalid_signature");
        }
        var tampered = PLATFORM.post(results.replace("\"score\":", "\"score\":1"),
                "sha256 " + AssessmentPlatformSimulator.sign(SECRET, results));
        assertThat(tampered.statusCode()).isEqualTo(401);
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("sent");
    }

    @Test
    void signedResultsForAnUnknownTokenOrOfTheWrongShapeAreRefused() {
        String unknown = PLATFORM.resultsJson(Secrets.random256());
        var r = PLATFORM.post(unknown, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, unknown));
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("unknown_token");

        Invited steve = invite(newCompany(), GREENHOUSE.callbackUrl("shape-1"));
        String noProfile = "{\"token\":\"" + steve.token() + "\",\"score\":80,\"traits\":{\"Teamwork\":90}}";
        var bad = PLATFORM.post(noProfile, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, noProfile));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("invalid_results", "profileUrl");
    }

    @Test
    void completedResultsReachGreenhouseThroughAFailingCallbackAndTestStatusAnswersComplete() throws Exception {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("done-1"));
        acme.greenhouse().open(acme.greenhouse().openAndStart(steve.token()));
        GREENHOUSE.failNext(3, 503);

        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> GREENHOUSE.accepted("done-1") == 1);
        List<GreenhouseCallbackReceiver.Call> calls = GREENHOUSE.calls().stream()
                .filter(c -> c.path().endsWith("/done-1")).toList();
        assertThat(calls).extracting(GreenhouseCallbackReceiver.Call::status).containsExactly(503, 503, 503, 200);
        assertThat(calls).allMatch(c -> c.method().equals("PATCH"));

        JsonNode answer = acme.greenhouse().testStatus(steve.partnerInterviewId()).json();
        assertThat(fieldNames(answer)).containsExactly("partner_status", "partner_profile_url", "partner_score", "metadata");
        assertThat(answer.path("partner_status").asText()).isEqualTo("complete");
        assertThat(answer.path("partner_profile_url").asText()).startsWith(PLATFORM.baseUrl() + "/profiles/");
        assertThat(answer.path("partner_score").isNumber()).isTrue();
        JsonNode metadata = answer.path("metadata");
        assertThat(metadata.isObject()).isTrue();
        metadata.fields().forEachRemaining(e -> assertThat(e.getValue().isValueNode()).as(e.getKey()).isTrue());
        assertThat(fieldNames(metadata)).containsAll(AssessmentPlatformSimulator.TALENTS)
                .contains("Score", "Started At", "Completed At");
        for (String talent : AssessmentPlatformSimulator.TALENTS) {
            assertThat(metadata.path(talent).isNumber()).isTrue();
            assertThat(metadata.path(talent).asDouble()).isBetween(0.0, 100.0);
        }
        assertThat(OffsetDateTime.parse(metadata.path("Completed At").asText()))
                .isAfterOrEqualTo(OffsetDateTime.parse(metadata.path("Started At").asText()));
        assertThat(metadata.path("Score").asDouble()).isEqualTo(answer.path("partner_score").asDouble());

        Answer detail = acme.greenhouse().get("/api/employer/invitations/" + steve.partnerInterviewId());
        assertThat(detail.json().path("status").asText()).isEqualTo("complete");
        assertThat(detail.json().path("result").path("traits").size()).isEqualTo(10);
        assertThat(detail.json().path("result").path("score").asDouble()).isEqualTo(answer.path("partner_score").asDouble());
        assertThat(detail.json().path("candidate").path("email").asText()).isEqualTo(steve.email());
        assertThat(acme.greenhouse().open("/a/" + steve.token()).body()).contains("already completed");
    }

    @Test
    void repeatedResultsAreStoredOnceAndCallGreenhouseOnce() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("repeat-1"));
        String first = PLATFORM.resultsJson(steve.token());
        var stored = PLATFORM.post(first, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, first));
        await().atMost(Duration.ofSeconds(10)).until(() -> GREENHOUSE.accepted("repeat-1") == 1);
        String before = acme.greenhouse().testStatus(steve.partnerInterviewId()).body();

        String changed = first.replaceFirst("\"score\":[0-9.]+", "\"score\":1.5");
        var again = PLATFORM.post(first, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, first));
        var different = PLATFORM.post(changed, "sha256 " + AssessmentPlatformSimulator.sign(SECRET, changed));

        assertThat(stored.statusCode()).isEqualTo(200);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(again.body()).contains("\"stored\":false");
        assertThat(different.statusCode()).isEqualTo(200);
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).body()).isEqualTo(before);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ?",
                Integer.class, steve.partnerInterviewId())).isEqualTo(1);
        assertThat(GREENHOUSE.accepted("repeat-1")).isEqualTo(1);
    }

    @Test
    void aCallbackThatNeverSucceedsEndsAsADeadLetterAndCanBeReplayed() {
        Company acme = newCompany();
        // nothing listens there: every PATCH fails to connect
        String url = "http://127.0.0.1:" + DEAD_PORT + GreenhouseCallbackReceiver.PATH + "never";
        Invited steve = invite(acme, url);

        assertThat(PLATFORM.complete(steve.token())).isEqualTo(200);

        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM dead_letters WHERE source = 'assessment-callback' AND ref = ?", Integer.class,
                steve.partnerInterviewId()) == 1);
        Map<String, Object> letter = jdbc.queryForMap("SELECT id, reason, summary FROM dead_letters WHERE ref = ?",
                steve.partnerInterviewId());
        assertThat(letter.get("SUMMARY").toString()).contains("failed " + MAX_ATTEMPTS + " times");
        assertThat(jdbc.queryForObject("SELECT attempts FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ?",
                Integer.class, steve.partnerInterviewId())).isEqualTo(MAX_ATTEMPTS);
        @SuppressWarnings("unchecked")
        Map<String, Integer> outbox = (Map<String, Integer>) status.snapshot().get("outbox");
        assertThat(outbox.get("greenhouse-callback.dead")).isGreaterThanOrEqualTo(1);
        assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).json().path("partner_status").asText())
                .isEqualTo("complete"); // Greenhouse can still poll

        Answer replay = AssessmentCaller.admin(base(), ADMIN, "/api/dead-letters/" + letter.get("ID") + "/replay", "");
        assertThat(replay.status()).isBetween(200, 299);
        await().atMost(Duration.ofSeconds(15)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM outbox WHERE kind = 'greenhouse-callback' AND ref = ? AND status = 'dead' AND attempts = ?",
                Integer.class, steve.partnerInterviewId(), MAX_ATTEMPTS) == 1
                && jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE ref = ?", Integer.class,
                        steve.partnerInterviewId()) == 2);
    }

    @Test
    void inDemoModeThePlatformCompletesAVisitedTestByItself() {
        Company acme = newCompany();
        Invited steve = invite(acme, GREENHOUSE.callbackUrl("demo-1"));
        PLATFORM.autoCompleteAfter(Duration.ofMillis(100));
        try {
            acme.greenhouse().open(acme.greenhouse().openAndStart(steve.token()));

            await().atMost(Duration.ofSeconds(15)).until(() -> GREENHOUSE.accepted("demo-1") == 1);
            assertThat(acme.greenhouse().testStatus(steve.partnerInterviewId()).json().path("partner_status").asText())
                    .isEqualTo("complete");
        } finally {
            PLATFORM.autoCompleteAfter(null);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new java.util.LinkedHashSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
