package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.store.CursorStore;

/** The historic backfill and the scheduled reconciliation, through POST /api/sync/{flow}. */
class CandidateBackfillAndReconcileTest extends ContactsTestSupport {
    @Autowired
    CursorStore cursors;

    @Test
    void backfillCreatesContactsWithApplicationsNotesAndFilesSkipsPrivateAndIsResumable() throws Exception {
        long job = jobWithVacancy(unique("Backfill job"));
        long author = GH.addUser("Bea", "Backfill", email("bea"));
        long visible = candidate("Visible", email("visible"));
        long app = GH.apply(visible, job);
        GH.addNote(visible, app, author, "Met at a meetup", "public");
        GH.addAttachment(visible, app, "resume", "cv.pdf", bytes("%PDF cv " + visible), "application/pdf");
        long prospect = candidate("Prospect", email("prospect"));
        GH.addProspect(prospect, null);
        long hidden = GH.candidate("Private", "Person").email(email("private")).privateCandidate(true).create();
        long done = candidate("AlreadyDone", email("done"));
        // an interrupted earlier run got below this candidate: the resumed run does not touch it
        cursors.put(CandidateBackfill.CURSOR, "below:" + done);

        HttpResponse<String> run = admin("POST", "/api/sync/candidates?wait=true", null);

        assertThat(run.statusCode()).isEqualTo(200);
        JsonNode summary = JSON.readTree(run.body());
        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(matcher.linkedContact(String.valueOf(done))).isEmpty();
        assertThat(vacancyLink(contactOf(visible), vacancyOf(job))).isNotNull();
        String contactId = contactOf(visible).path("id").asText();
        assertThat(BEAMERY.notesOf(contactId)).extracting(n -> n.path("content").asText()).containsExactly("Met at a meetup");
        assertThat(BEAMERY.attachments().stream().filter(a -> contactId.equals(a.path("contactId").asText()))).hasSize(1);
        assertThat(contactOf(prospect).path("vacancies")).isEmpty();
        assertThat(matcher.linkedContact(String.valueOf(hidden))).isEmpty();
        assertThat(cursors.get(CandidateBackfill.CURSOR).orElseThrow()).startsWith("complete:");

        // a second full run changes nothing already in Beamery
        long writes = BEAMERY.requestCount("POST /contact") + BEAMERY.requestCount("PATCH /contact");
        admin("POST", "/api/sync/candidates?wait=true", null);
        assertThat(matcher.linkedContact(String.valueOf(done))).isPresent();
        long created = 1; // only AlreadyDone, skipped by the resumed run, is new
        assertThat(BEAMERY.requestCount("POST /contact") + BEAMERY.requestCount("PATCH /contact")).isEqualTo(writes + created);
    }

    @Test
    void reconciliationAppliesChangesNoWebhookAnnouncedAndVacanciesThatAppearedLater() throws Exception {
        long candidate = candidate("Bulk", email("bulk"));
        admin("POST", "/api/sync/reconcile?wait=true", null);
        assertThat(matcher.linkedContact(String.valueOf(candidate))).isPresent();

        // a bulk tag (no webhook) and an application on a job whose vacancy does not exist yet
        GH.tag(candidate, "Bulk-tagged");
        long job = GH.job(unique("Late vacancy")).create();
        long app = GH.apply(candidate, job);
        admin("POST", "/api/sync/reconcile?wait=true", null);
        assertThat(contactOf(candidate).path("tags").toString()).contains("Bulk-tagged");
        assertThat(contactOf(candidate).path("vacancies")).isEmpty();
        assertThat(JSON.readTree(admin("GET", "/api/status", null).body()).path("contacts").path("waitingForVacancy").asLong()).isPositive();

        // the vacancy flow creates the vacancy later; the next reconciliation links the application
        com.fasterxml.jackson.databind.node.ObjectNode vacancy = JSON.createObjectNode().put("title", "Late vacancy");
        vacancy.putArray("stages").addObject().put("id", stageId(app)).put("name", "Application Review").put("order", 1);
        links.put("job", String.valueOf(job), BEAMERY.createVacancy(vacancy), null);
        admin("POST", "/api/sync/reconcile?wait=true", null);
        assertThat(vacancyLink(contactOf(candidate), vacancyOf(job))).isNotNull();
    }
}
