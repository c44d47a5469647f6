package io.greenbridge.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.sandbox.GreenhouseStore;
import io.greenbridge.sandbox.SandboxTest;

/** POST /api/contract-check against the simulators: every read endpoint answers in the shape the mappings read. */
class ContractCheckTest extends SandboxTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    BeameryClient beamery;

    /** At least one record behind every endpoint, so each one has something to compare. */
    private void seedEveryResource() {
        GreenhouseStore gh = GREENHOUSE.store();
        String tag = String.valueOf(System.nanoTime());
        long user = gh.addUser("Cora", "Check", "cora." + tag + "@acme.example");
        gh.addDepartment("Contracts " + tag);
        gh.addOffice("Contracts office " + tag, "Leeds");
        long source = gh.addSource("Check source " + tag, "Prospecting");
        long reason = gh.addRejectionReason("Checked " + tag, "WE_REJECTED_THEM");
        long job = gh.job("Contract Job " + tag).hiringManagers(user).sourcer(user).create();
        long candidate = gh.candidate("Cleo", "Check").email("cleo." + tag + "@example.com").tags("Checked " + tag).create();
        long app = gh.addApplication(candidate, job, false, source, null);
        gh.move(app, null);
        gh.reject(app, reason);
        gh.addNote(candidate, app, user, "checked", "public");
        gh.addAttachment(candidate, app, "resume", "cv.pdf", new byte[] {1}, "application/pdf");
        String bmUser = BEAMERY.addUser("check." + tag + "@greenbridge.example", "Cy", "Check", "recruiter");
        ObjectNode contact = JSON.createObjectNode().put("firstName", "Cleo").put("lastName", "Check")
                .put("primaryEmail", "cleo." + tag + "@example.com");
        String contactId = BEAMERY.createContact(contact);
        BEAMERY.createVacancy(JSON.createObjectNode().put("title", "Contract vacancy " + tag));
        BEAMERY.addNote(contactId, bmUser, "checked", false);
        BEAMERY.addGlobalTag("check-" + tag);
        beamery.createSource("Check source " + tag, null);
        beamery.createDepartment("Check department " + tag, null);
    }

    private JsonNode check() throws Exception {
        HttpResponse<String> response = admin("POST", "/api/contract-check", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private static JsonNode result(JsonNode report, String endpoint) {
        for (JsonNode r : report.path("results")) {
            if (r.path("endpoint").asText().equals(endpoint)) {
                return r;
            }
        }
        throw new AssertionError("no result for " + endpoint + " in " + report);
    }

    @Test
    void everyReadEndpointOfTheSimulatorsAnswersInTheExpectedShape() throws Exception {
        seedEveryResource();

        JsonNode report = check();

        assertThat(report.path("results").size()).isEqualTo(ReadContract.ALL.size());
        assertThat(report.path("results").findValuesAsText("status")).as(report.toString()).containsOnly("ok");
        assertThat(report.path("ok").asBoolean()).isTrue();
        for (String endpoint : List.of("GET /v3/candidates", "GET /v3/applications", "GET /v3/jobs", "GET /v3/job_interview_stages",
                "GET /v3/application_stages", "GET /v3/users", "GET /v3/sources", "GET /v3/notes", "GET /v3/attachments",
                "GET /v3/rejection_details", "GET /contacts", "GET /vacancies", "GET /users")) {
            assertThat(result(report, endpoint).path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aFieldTheTenantDoesNotSendIsReportedForItsEndpoint() throws Exception {
        seedEveryResource();
        GREENHOUSE.store().dropField("applications", "job_interview_stage_id");
        JsonNode report;
        try {
            report = check();
        } finally {
            GREENHOUSE.store().restoreFields();
        }

        JsonNode applications = result(report, "GET /v3/applications");
        assertThat(applications.path("status").asText()).isEqualTo("missing_fields");
        assertThat(applications.path("missing").toString()).isEqualTo("[\"job_interview_stage_id\"]");
        assertThat(applications.path("message").asText()).contains("job_interview_stage_id");
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(result(report, "GET /v3/candidates").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void anEndpointTheTenantRefusesIsReportedAsAnErrorAndTheOthersAreStillChecked() throws Exception {
        seedEveryResource();
        BEAMERY.failNext("/vacancies", 403, 1);

        JsonNode report = check();

        JsonNode vacancies = result(report, "GET /vacancies");
        assertThat(vacancies.path("status").asText()).isEqualTo("error");
        assertThat(vacancies.path("message").asText()).contains("403");
        assertThat(report.path("ok").asBoolean()).isFalse();
        assertThat(result(report, "GET /contacts").path("status").asText()).isEqualTo("ok");
        assertThat(result(report, "GET /v3/candidates").path("status").asText()).isEqualTo("ok");
    }

    @Test
    void theContractCheckNeedsTheAdminToken() throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/api/contract-check"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(401);
    }
}
