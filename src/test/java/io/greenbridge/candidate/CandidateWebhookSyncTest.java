package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryValues;

/** Greenhouse webhooks (documented payload shapes) → one Beamery contact per candidate, kept up to date. */
class CandidateWebhookSyncTest extends ContactsTestSupport {

    @Test
    void newCandidateApplicationCreatesOneContactWithEveryMappedField() {
        long job = jobWithVacancy(unique("Backend Engineer"));
        long recruiter = GH.addUser("Riley", "Recruiter", email("riley"));
        String beameryRecruiter = BEAMERY.addUser(email("riley-bm"), "Riley", "Recruiter", "recruiter");
        links.put("user", String.valueOf(recruiter), beameryRecruiter, null);
        long source = GH.addSource(unique("LinkedIn"), "Prospecting");
        String mail = email("ada");
        long candidate = GH.candidate("Ada", "Lovelace").email(mail).email(email("ada-work"), "work")
                .phone("+44 20 7946 0000", "mobile").address("12 Marylebone Road, London", "home")
                .website("https://ada.example.com", "personal").socialMedia("https://www.linkedin.com/in/ada")
                .company("Analytical Engines").title("Principal Engineer").tags("Python", "Referral").create();
        long app = GH.addApplication(candidate, job, false, source, null);
        GH.updateApplication(app, a -> a.put("recruiter_id", recruiter));

        assertThat(deliver("new_candidate_application", payloads.newCandidateApplication(app))).isEqualTo(200);
        awaitInboxIdle();

        ObjectNode contact = contactOf(candidate);
        assertThat(contactsWithEmail(mail)).hasSize(1);
        assertThat(contact.path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(candidate));
        assertThat(contact.path("integrations").path("greenhouse").path("url").asText())
                .isEqualTo("https://app.greenhouse.io/people/" + candidate);
        assertThat(contact.path("firstName").asText()).isEqualTo("Ada");
        assertThat(contact.path("lastName").asText()).isEqualTo("Lovelace");
        assertThat(BeameryValues.strings(contact.path("emails"))).contains(mail).hasSize(2);
        assertThat(contact.path("primaryEmail").asText()).isEqualTo(mail);
        assertThat(BeameryValues.strings(contact.path("phoneNumbers"))).containsExactly("+44 20 7946 0000");
        assertThat(BeameryValues.strings(contact.path("links")))
                .containsExactly("https://ada.example.com", "https://www.linkedin.com/in/ada");
        assertThat(contact.path("location").path("address").asText()).isEqualTo("12 Marylebone Road, London");
        assertThat(contact.path("experience").get(0).path("organisationName").asText()).isEqualTo("Analytical Engines");
        assertThat(contact.path("experience").get(0).path("role").asText()).isEqualTo("Principal Engineer");
        assertThat(BeameryValues.strings(contact.path("tags"))).containsExactlyInAnyOrder("Python", "Referral");
        assertThat(contact.path("creationSource").asText()).isEqualTo("Greenhouse");
        assertThat(contact.path("source").asText()).startsWith("LinkedIn");
        assertThat(contact.path("assignedTo").asText()).isEqualTo(beameryRecruiter);
        JsonNode vacancy = vacancyLink(contact, vacancyOf(job));
        assertThat(vacancy.path("stage").path("id").asText()).isEqualTo(stageId(app));
        assertThat(vacancy.path("stage").path("value").asText()).isEqualTo("Application Review");
        assertThat(vacancy.path("rejectionReason").isNull()).isTrue();
    }

    @Test
    void stageChangeRejectionAndHireUpdateTheVacancyLinkAsStageAndReason() {
        long job = jobWithVacancy(unique("Designer"));
        long reason = GH.addRejectionReason(unique("Lacking skills"), "WE_REJECTED_THEM");
        long candidate = candidate("Grace", email("grace"));
        long app = GH.apply(candidate, job);
        deliver("new_candidate_application", payloads.newCandidateApplication(app));
        awaitInboxIdle();

        GH.move(app, null);
        deliver("candidate_stage_change", payloads.candidateStageChange(app));
        awaitInboxIdle();
        JsonNode moved = vacancyLink(contactOf(candidate), vacancyOf(job));
        assertThat(moved.path("stage").path("value").asText()).isEqualTo("Preliminary Phone Screen");

        GH.reject(app, reason);
        deliver("reject_candidate", payloads.rejectCandidate(app));
        awaitInboxIdle();
        JsonNode rejected = vacancyLink(contactOf(candidate), vacancyOf(job));
        assertThat(rejected.path("rejectionReason").asText()).startsWith("Lacking skills");
        assertThat(rejected.path("stage").path("value").asText()).isEqualTo("Preliminary Phone Screen");

        GH.unreject(app);
        GH.hire(app);
        deliver("unreject_candidate", payloads.unrejectCandidate(app));
        deliver("hire_candidate", payloads.hireCandidate(app));
        awaitInboxIdle();
        JsonNode hired = vacancyLink(contactOf(candidate), vacancyOf(job));
        assertThat(hired.path("rejectionReason").isNull()).isTrue();
        assertThat(hired.path("stage").path("value").asText()).isEqualTo("Preliminary Phone Screen");
    }

    @Test
    void repeatedAndOutOfOrderDeliveriesConvergeOnGreenhouseStateWithoutDuplicatesOrExtraWrites() {
        long job = jobWithVacancy(unique("SRE"));
        String mail = email("linus");
        long candidate = candidate("Linus", mail);
        long app = GH.apply(candidate, job);
        String created = payloads.newCandidateApplication(app);
        GH.move(app, null);
        String moved = payloads.candidateStageChange(app);
        GH.updateCandidate(candidate, c -> c.put("title", "Kernel Hacker"));
        String updated = payloads.updateCandidate(candidate);

        // the newest event first, then the older ones, then a redelivery of each
        deliver("update_candidate", updated);
        deliver("candidate_stage_change", moved);
        deliver("new_candidate_application", created);
        awaitInboxIdle();
        long writesBefore = BEAMERY.requestCount("PATCH /contact") + BEAMERY.requestCount("POST /contact");
        deliver("new_candidate_application", created);
        deliver("candidate_stage_change", moved);
        awaitInboxIdle();

        assertThat(contactsWithEmail(mail)).hasSize(1);
        ObjectNode contact = contactOf(candidate);
        assertThat(contact.path("experience").get(0).path("role").asText()).isEqualTo("Kernel Hacker");
        assertThat(vacancyLink(contact, vacancyOf(job)).path("stage").path("value").asText()).isEqualTo("Preliminary Phone Screen");
        assertThat(BEAMERY.requestCount("PATCH /contact") + BEAMERY.requestCount("POST /contact")).isEqualTo(writesBefore);
    }

    @Test
    void onlyResumesAndCoverLettersArriveEachOnceAndNotesArriveOnceAsPrivate() {
        long job = jobWithVacancy(unique("Data Scientist"));
        long author = GH.addUser("Nia", "Notes", email("nia"));
        long candidate = candidate("Margaret", email("margaret"));
        long app = GH.apply(candidate, job);
        for (String type : List.of("resume", "cover_letter", "offer_letter", "take_home_test", "signed_offer_letter", "offer_packet", "other")) {
            GH.addAttachment(candidate, app, type, type + ".pdf", bytes("%PDF " + type + " of " + candidate), "application/pdf");
        }
        GH.addNote(candidate, app, author, "Strong systems background", "public");
        GH.addNote(candidate, null, author, "Salary expectations discussed", "private");
        GH.addNote(candidate, null, author, "Background check pending", "admin_only");

        deliver("new_candidate_application", payloads.newCandidateApplication(app));
        deliver("application_updated", payloads.applicationUpdated(app));
        awaitInboxIdle();
        GH.move(app, null);
        deliver("candidate_stage_change", payloads.candidateStageChange(app));
        awaitInboxIdle();

        String contactId = contactOf(candidate).path("id").asText();
        List<ObjectNode> files = BEAMERY.attachments().stream().filter(a -> contactId.equals(a.path("contactId").asText())).toList();
        assertThat(files).extracting(f -> f.path("type").asText()).containsExactlyInAnyOrder("resume", "cover_letter");
        assertThat(BEAMERY.attachmentBytes(files.get(0).path("id").asText())).isNotEmpty();
        List<ObjectNode> notes = BEAMERY.notesOf(contactId);
        assertThat(notes).extracting(n -> n.path("content").asText())
                .containsExactlyInAnyOrder("Strong systems background", "Salary expectations discussed");
        assertThat(notes).allMatch(n -> n.path("private").asBoolean());

        // a new resume with the same bytes as the old one is not uploaded again; a new note arrives with the next event
        GH.addAttachment(candidate, app, "resume", "resume-copy.pdf", bytes("%PDF resume of " + candidate), "application/pdf");
        GH.addNote(candidate, null, author, "Second interview booked", "public");
        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();
        assertThat(BEAMERY.attachments().stream().filter(a -> contactId.equals(a.path("contactId").asText()))).hasSize(2);
        assertThat(BEAMERY.notesOf(contactId)).hasSize(3);
    }

    @Test
    void everythingArrivesAfterBeameryAnswers429And503ForAWhile() {
        long job = jobWithVacancy(unique("Support Engineer"));
        List<Long> candidates = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) {
            candidates.add(candidate("Outage" + i, email("outage" + i)));
        }
        BEAMERY.rateLimitNext(3);
        BEAMERY.failFor(Duration.ofSeconds(2), 503);
        for (long c : candidates) {
            deliver("new_candidate_application", payloads.newCandidateApplication(GH.apply(c, job)));
        }
        awaitInboxIdle();
        for (long c : candidates) {
            assertThat(vacancyLink(contactOf(c), vacancyOf(job))).isNotNull();
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'dead'", Integer.class)).isZero();
    }
}
