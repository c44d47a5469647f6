package io.greenbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class GreenhouseSimulatorTest {
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> APPLICATION = Set.of("applied_at", "candidate", "credited_to", "current_stage", "custom_fields", "id", "jobs", "last_activity_at", "prospect", "prospect_detail", "rejected_at", "rejection_details", "rejection_reason", "source", "status", "url");
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> CANDIDATE = Set.of("addresses", "attachments", "can_email", "company", "coordinator", "created_at", "custom_fields", "educations", "email_addresses", "employments", "external_id", "first_name", "id", "is_private", "last_name", "phone_numbers", "photo_url", "recruiter", "social_media_addresses", "tags", "title", "url", "website_addresses");
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> JOB_IN_APPLICATION = Set.of("closed_at", "confidential", "created_at", "created_by_id", "custom_fields", "departments", "hiring_team", "id", "job_post_id", "name", "notes", "offices", "opened_at", "requisition_id", "status");
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> JOB = Set.of("closed_at", "confidential", "created_at", "custom_fields", "departments", "hiring_team", "id", "job_post_id", "name", "notes", "offices", "opened_at", "openings", "requisition_id", "status");
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> MERGED_PERSON = Set.of("can_email", "company", "coordinator_user_id", "created_at", "first_name", "headline", "id", "is_private", "last_name", "new_candidate_id", "recruiter_user_id", "title");
    /** Keys of the documented payload (greenhouse-webhooks.md §7). */
    static final Set<String> UPDATED_CANDIDATE = Set.of("addresses", "attachments", "company", "coordinator", "created_at", "custom_fields", "educations", "email_addresses", "employments", "external_id", "first_name", "id", "last_name", "phone_numbers", "photo_url", "recruiter", "social_media_addresses", "tags", "title", "url", "website_addresses");

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private GreenhouseSimulator sim;
    private String token;

    @BeforeEach
    void start() throws Exception {
        sim = new GreenhouseSimulator("gh-client", "gh-secret");
        HttpResponse<String> t = http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + "/token"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("gh-client:gh-secret".getBytes()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&sub=4080")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(t.statusCode()).isEqualTo(200);
        JsonNode body = JSON.readTree(t.body());
        assertThat(body.path("token_type").asText()).isEqualTo("Bearer");
        assertThat(body.path("expires_at").asText()).isNotBlank();
        token = body.get("access_token").asText();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    private HttpResponse<String> get(String pathAndQuery) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(pathAndQuery.startsWith("http") ? pathAndQuery : sim.baseUrl() + pathAndQuery))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aCursorCombinedWithAnyOtherParameterIsRejected() throws Exception {
        IntStream.range(0, 3).forEach(i -> sim.store().candidate("A" + i, "B").create());
        HttpResponse<String> first = get("/v3/candidates?per_page=2");
        String next = first.headers().firstValue("Link").orElseThrow().replaceAll("^<([^>]*)>.*$", "$1");
        assertThat(next).contains("cursor=").doesNotContain("per_page");
        assertThat(get(next).statusCode()).isEqualTo(200);
        assertThat(get(next + "&per_page=2").statusCode()).isEqualTo(422);
        assertThat(get(next + "&status=active").body()).contains("Validation error");
    }

    @Test
    void perPageOutsideOneToFiveHundredAndMoreThanFiftyIdsAreRejected() throws Exception {
        assertThat(get("/v3/jobs?per_page=0").statusCode()).isEqualTo(422);
        assertThat(get("/v3/jobs?per_page=501").statusCode()).isEqualTo(422);
        assertThat(get("/v3/jobs?per_page=500").statusCode()).isEqualTo(200);
        String ids = IntStream.rangeClosed(1, 51).mapToObj(String::valueOf).collect(Collectors.joining(","));
        assertThat(get("/v3/candidates?ids=" + ids).statusCode()).isEqualTo(422);
        assertThat(get("/v3/applications?candidate_ids=" + ids).statusCode()).isEqualTo(422);
    }

    @Test
    void filtersSelectByTimestampStatusEmailAndParentIdsNewestIdFirst() throws Exception {
        long job = sim.store().job("Engineer").create();
        long a = sim.store().candidate("Ada", "L").email("ada@example.com").create();
        long b = sim.store().candidate("Bob", "M").email("bob@example.com").create();
        long appA = sim.store().apply(a, job);
        long appB = sim.store().apply(b, job);
        sim.store().reject(appB, null);
        String since = sim.store().get("candidates", b).get("updated_at").asText();
        sim.store().updateCandidate(a, c -> c.put("title", "Countess"));

        assertThat(ids(get("/v3/candidates?updated_at=gt%7C" + since))).containsExactly(a);
        assertThat(ids(get("/v3/candidates?email=BOB@example.com"))).containsExactly(b);
        assertThat(ids(get("/v3/applications?status=active"))).containsExactly(appA);
        assertThat(ids(get("/v3/applications?job_ids=" + job))).containsExactly(appB, appA);
        assertThat(get("/v3/candidates?updated_at=2024-01-01").statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(get("/v3/applications?ids=" + appA).body()).get(0).get("status").asText()).isEqualTo("in_process");
    }

    @Test
    void aFilteredListingPagesThroughEveryMatchOnceNewestFirst() throws Exception {
        long job = sim.store().job("Engineer").create();
        long other = sim.store().job("Designer").create();
        List<Long> applied = new java.util.ArrayList<>();
        for (long c : sim.store().seedApplicants(job, 4, "paging-")) {
            applied.add(0, sim.store().where("applications", a -> a.path("candidate_id").asLong() == c).get(0).get("id").asLong());
            sim.store().apply(sim.store().candidate("Other", "Applicant").create(), other);
        }
        HttpResponse<String> first = get("/v3/applications?job_ids=" + job + "&per_page=2");
        String next = first.headers().firstValue("Link").orElseThrow().replaceAll("^<([^>]*)>.*$", "$1");
        HttpResponse<String> second = get(next);

        assertThat(ids(first)).containsExactlyElementsOf(applied.subList(0, 2));
        assertThat(ids(second)).containsExactlyElementsOf(applied.subList(2, 4));
        assertThat(second.headers().firstValue("Link")).as("no page after the last match").isEmpty();
        assertThat(sim.store().get("candidates", sim.store().get("applications", applied.get(0)).get("candidate_id").asLong())
                .path("email_addresses").get(0).path("value").asText()).isEqualTo("paging-3@example.com");
    }

    @Test
    void everyV3AnswerCarriesRateLimitHeadersAndTheLimitAnswers429WithRetryAfter() throws Exception {
        sim.setRateLimit(2, java.time.Duration.ofSeconds(30));
        HttpResponse<String> ok = get("/v3/users");
        assertThat(ok.headers().firstValue("X-RateLimit-Limit")).hasValue("2");
        assertThat(ok.headers().firstValue("X-RateLimit-Remaining")).hasValue("1");
        assertThat(ok.headers().firstValue("X-RateLimit-Reset").orElseThrow()).matches("\\d{10}");
        get("/v3/users");
        HttpResponse<String> limited = get("/v3/users");
        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(Integer.parseInt(limited.headers().firstValue("Retry-After").orElseThrow())).isBetween(1, 30);
    }

    @Test
    void writesValidateRequiredFieldsAndMergeKeepsThePathCandidate() throws Exception {
        HttpResponse<String> invalid = send("POST", "/v3/candidates", "{\"first_name\":\"Only\"}");
        assertThat(invalid.statusCode()).isEqualTo(422);
        assertThat(JSON.readTree(invalid.body()).get("errors").get(0).get("field").asText()).isEqualTo("last_name");

        long primary = sim.store().candidate("Ada", "L").email("ada@example.com").create();
        long duplicate = sim.store().candidate("Ada", "Lovelace").email("ada@work.example").tags("Duplicate").create();
        HttpResponse<String> merged = send("POST", "/v3/candidates/" + primary + "/merge", "{\"duplicate_candidate_id\":" + duplicate + "}");
        assertThat(merged.statusCode()).isEqualTo(200);
        assertThat(sim.store().find("candidates", duplicate)).isEmpty();
        assertThat(sim.store().get("candidates", primary).get("email_addresses")).hasSize(2);

        HttpResponse<String> anonymized = send("PATCH", "/v3/candidates/" + primary + "/anonymize", "{\"fields\":[\"full_name\",\"email_addresses\"]}");
        JsonNode c = JSON.readTree(anonymized.body());
        assertThat(c.get("first_name").asText()).isEqualTo("Anonymized");
        assertThat(c.get("last_name").asText()).isEqualTo(String.valueOf(primary));
        assertThat(c.get("email_addresses")).isEmpty();

        assertThat(send("POST", "/v3/candidate_tags", "{\"name\":\"VIP\"}").statusCode()).isEqualTo(201);
        assertThat(send("POST", "/v3/candidate_tags", "{\"name\":\"vip\"}").statusCode()).isEqualTo(200);
    }

    @Test
    void expiredTokensAreRefusedAndAttachmentsServeTheirBytes() throws Exception {
        long c = sim.store().candidate("Res", "Ume").create();
        long att = sim.store().addAttachment(c, null, "resume", "cv.pdf", new byte[] {1, 2, 3}, "application/pdf");
        String url = JSON.readTree(get("/v3/attachments?candidate_ids=" + c).body()).get(0).get("url").asText();
        assertThat(url).isEqualTo(sim.baseUrl() + "/files/" + att);
        assertThat(http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofByteArray()).body())
                .containsExactly(1, 2, 3);
        sim.expireTokens();
        assertThat(get("/v3/candidates").statusCode()).isEqualTo(401);
    }

    @Test
    void renderedWebhookPayloadsHaveTheDocumentedShape() throws Exception {
        long user = sim.store().addUser("Rita", "Recruiter", "rita@acme.example");
        long source = sim.store().addSource("LinkedIn", "Prospecting");
        long job = sim.store().job("Engineer").requisitionId("REQ-1").recruiter(user).hiringManagers(user).salary(1, 2, "GBP").create();
        long cand = sim.store().candidate("Zoë", "<Q>").email("z@example.com").tags("x").create();
        long app = sim.store().addApplication(cand, job, false, source, null);
        sim.store().addAttachment(cand, app, "resume", "cv.pdf", new byte[] {1}, "application/pdf");
        GreenhouseWebhookPayloads payloads = new GreenhouseWebhookPayloads(sim);

        String rendered = payloads.newCandidateApplication(app);
        assertThat(rendered).doesNotContain("Zoë").contains("Zo\\u00eb").contains("\\u003cQ\\u003e");
        JsonNode ours = JSON.readTree(rendered).at("/payload/application");
        assertThat(keys(ours)).containsAll(APPLICATION);
        assertThat(keys(ours.get("candidate"))).containsAll(CANDIDATE);
        assertThat(keys(ours.get("jobs").get(0))).containsAll(JOB_IN_APPLICATION);
        assertThat(ours.at("/candidate/attachments/0/url").asText()).startsWith(sim.baseUrl() + "/files/");
        assertThat(ours.at("/source/name").asText()).isEqualTo("LinkedIn");
        assertThat(ours.get("status").asText()).isEqualTo("active");

        assertThat(keys(JSON.readTree(payloads.jobCreated(job)).at("/payload/job")))
                .containsAll(JOB);
        sim.store().merge(cand, sim.store().candidate("Dup", "E").create());
        long dup = sim.store().merges().get(0).duplicateId();
        JsonNode merge = JSON.readTree(payloads.mergeCandidate(dup, cand)).at("/payload/person");
        assertThat(keys(merge)).containsAll(MERGED_PERSON);
        assertThat(merge.get("new_candidate_id").asLong()).isEqualTo(cand);

        JsonNode update = JSON.readTree(payloads.updateCandidate(cand)).at("/payload/candidate");
        assertThat(keys(update)).containsAll(UPDATED_CANDIDATE);
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(sim.baseUrl() + path)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static List<Long> ids(HttpResponse<String> response) throws IOException {
        assertThat(response.statusCode()).isEqualTo(200);
        return java.util.stream.StreamSupport.stream(JSON.readTree(response.body()).spliterator(), false)
                .map(n -> n.get("id").asLong()).toList();
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> out = new HashSet<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }
}
