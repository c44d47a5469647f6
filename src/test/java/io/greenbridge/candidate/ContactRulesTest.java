package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.contact.AnonymizationGuard;
import io.greenbridge.contact.BlockedPeople;

/** Matching (dedupe and merge filters), private/confidential blocks, merges, anonymization and deletes. */
class ContactRulesTest extends ContactsTestSupport {
    @Autowired
    AnonymizationGuard guard;
    @Autowired
    BlockedPeople blocked;

    @Test
    void aBeameryContactWithTheEmailAndNoGreenhouseIdIsLinkedAndUpdatedNotDuplicated() {
        String mail = email("sourced");
        ObjectNode existing = JSON.createObjectNode().put("firstName", "Sourced").put("lastName", "InBeamery").put("primaryEmail", mail);
        existing.putArray("emails").add(mail);
        String contactId = BEAMERY.createContact(existing);
        long candidate = GH.candidate("Sourced", "Applied").email(mail).create();
        GH.addProspect(candidate, null);

        CandidateSync.Outcome outcome = candidateSync.syncCandidate(candidate, candidateSync.defaults("test"));

        assertThat(outcome.outcome()).isEqualTo("linked");
        assertThat(outcome.contactId()).isEqualTo(contactId);
        assertThat(contactsWithEmail(mail)).hasSize(1);
        assertThat(contactOf(candidate).path("lastName").asText()).isEqualTo("Applied");
        assertThat(contactOf(candidate).path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(candidate));
        assertThat(contactOf(candidate).path("creationSource").asText()).isEqualTo("ui"); // creation-only fields untouched
    }

    @Test
    void aGreenhouseDuplicateWithTheSameEmailGetsItsOwnContact() {
        String mail = email("dupe");
        long first = candidate("First", mail);
        long second = candidate("Second", mail);
        assertThat(candidateSync.syncCandidate(first, candidateSync.defaults("test")).outcome()).isEqualTo("created");
        CandidateSync.Outcome outcome = candidateSync.syncCandidate(second, candidateSync.defaults("test"));
        assertThat(outcome.outcome()).isEqualTo("created");
        assertThat(outcome.reason()).isEqualTo("email belongs to another Greenhouse candidate");
        assertThat(contactsWithEmail(mail)).hasSize(2);
        assertThat(contactOf(first).path("id")).isNotEqualTo(contactOf(second).path("id"));
    }

    @Test
    void aLinkedCandidateIsUpdatedAndAnUnchangedOneCostsNoWrite() {
        long candidate = candidate("Linked", email("linked"));
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("created");
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("unchanged");
        GH.updateCandidate(candidate, c -> c.put("company", "New Co"));
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("updated");
        assertThat(contactOf(candidate).path("experience").get(0).path("organisationName").asText()).isEqualTo("New Co");
    }

    @Test
    void concurrentSyncsOfOneCandidateCreateOneContact() throws Exception {
        String mail = email("race");
        long candidate = candidate("Race", mail);
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Callable<String>> calls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            calls.add(() -> candidateSync.syncCandidate(candidate, candidateSync.defaults("race")).outcome());
        }
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : pool.invokeAll(calls)) {
            outcomes.add(f.get());
        }
        pool.shutdown();
        assertThat(outcomes).containsOnlyOnce("created");
        assertThat(contactsWithEmail(mail)).hasSize(1);
    }

    @Test
    void aCandidatePrivateWhenFirstSeenIsNeverCreatedAndOneMadePrivateLaterGetsNoUpdates() throws Exception {
        String hiddenMail = email("hidden");
        long hidden = GH.candidate("Hidden", "Person").email(hiddenMail).privateCandidate(true).create();
        deliver("update_candidate", payloads.updateCandidate(hidden));
        awaitInboxIdle();
        assertThat(contactsWithEmail(hiddenMail)).isEmpty();
        assertThat(blocked.reason(String.valueOf(hidden))).contains("private");

        long later = candidate("Later", email("later"));
        deliver("update_candidate", payloads.updateCandidate(later));
        awaitInboxIdle();
        GH.updateCandidate(later, c -> c.put("private", true).put("title", "Secret Title"));
        deliver("update_candidate", payloads.updateCandidate(later));
        awaitInboxIdle();
        assertThat(contactOf(later).path("experience").isMissingNode()).isTrue();
        assertThat(blocked.reason(String.valueOf(later))).contains("private-later");
        HttpResponse<String> status = admin("GET", "/api/status", null);
        assertThat(JSON.readTree(status.body()).path("contacts").path("blocked").path("private").asLong()).isPositive();
    }

    @Test
    void confidentialCandidatesAreBlockedWhenConfigured() {
        long secretJob = GH.job(unique("Secret project")).confidential(true).create();
        long candidate = candidate("Conf", email("conf"));
        GH.apply(candidate, secretJob);
        CandidateSync.Outcome outcome = candidateSync.syncCandidate(candidate, candidateSync.defaults("test").withBlockConfidential(true));
        assertThat(outcome.outcome()).isEqualTo("skipped");
        assertThat(outcome.reason()).isEqualTo("confidential");
        assertThat(matcher.linkedContact(String.valueOf(candidate))).isEmpty();
        // by default (block-confidential: false) they flow like anyone else
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("test")).outcome()).isEqualTo("created");
    }

    @Test
    void mergeCandidateMergesTheDuplicatesContactIntoTheSurvivorsAndMovesTheLinks() {
        long survivor = candidate("Survivor", email("survivor"));
        long duplicate = candidate("Duplicate", email("duplicate"));
        deliver("update_candidate", payloads.updateCandidate(survivor));
        deliver("update_candidate", payloads.updateCandidate(duplicate));
        awaitInboxIdle();
        String winner = contactOf(survivor).path("id").asText();
        String loser = contactOf(duplicate).path("id").asText();

        mergeInGreenhouse(survivor, duplicate);

        assertThat(BEAMERY.contact(loser).orElseThrow().path("mergedIn").asText()).isEqualTo(winner);
        assertThat(matcher.linkedContact(String.valueOf(duplicate))).isEmpty();
        assertThat(matcher.linkedContact(String.valueOf(survivor))).contains(winner);
        assertThat(contactOf(survivor).path("emails").size()).isEqualTo(2);
    }

    @Test
    void aMergeOfCandidatesWithoutContactsIsANoOp() {
        long survivor = GH.candidate("No", "Contact").create();
        long duplicate = GH.candidate("No", "Contact").create();
        long mergesBefore = BEAMERY.requestCount("POST /contact/");
        mergeInGreenhouse(survivor, duplicate);
        assertThat(BEAMERY.requestCount("POST /contact/")).isEqualTo(mergesBefore);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM webhook_inbox WHERE status = 'dead'", Integer.class)).isZero();
    }

    @Test
    void anAnonymizedCandidateIsNeverUpdatedAgainAndARedAddedDuplicateIsHeldUntilConsent() throws Exception {
        String mail = email("gdpr");
        long candidate = GH.candidate("Forget", "Me").email(mail).title("Engineer").create();
        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();
        String contactId = contactOf(candidate).path("id").asText();

        GH.anonymize(candidate, List.of("full_name", "email_addresses", "current_title"));
        deliver("candidate_anonymized", payloads.candidateAnonymized(candidate, List.of("full_name", "email_addresses", "current_title")));
        awaitInboxIdle();
        assertThat(BEAMERY.isAnonymized(contactId)).isTrue();
        assertThat(BEAMERY.contact(contactId).orElseThrow().has("experience")).isFalse();
        assertThat(guard.isAnonymizedGreenhouse(String.valueOf(candidate))).isTrue();

        long patchesBefore = BEAMERY.requestCount("PATCH /contact");
        GH.updateCandidate(candidate, c -> c.put("first_name", "Back"));
        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();
        assertThat(BEAMERY.requestCount("PATCH /contact")).isEqualTo(patchesBefore);
        assertThat(candidateSync.syncCandidate(candidate, candidateSync.defaults("reconcile")).reason()).isEqualTo("anonymized");

        long readded = candidate("Forget", mail);
        deliver("update_candidate", payloads.updateCandidate(readded));
        awaitInboxIdle();
        assertThat(matcher.linkedContact(String.valueOf(readded))).isEmpty();
        JsonNode status = JSON.readTree(admin("GET", "/api/status", null).body());
        assertThat(status.path("contacts").path("held").toString()).contains("\"" + readded + "\"");

        HttpResponse<String> release = admin("POST", "/api/held/" + readded + "/release", null);
        assertThat(release.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(release.body()).path("outcome").asText()).isEqualTo("created");
        assertThat(contactOf(readded).path("id").asText()).isNotEqualTo(contactId);
        assertThat(admin("POST", "/api/held/" + readded + "/release", null).statusCode()).isEqualTo(404);
    }

    @Test
    void deleteCandidateRemovesTheLinkAndKeepsTheContactByDefault() {
        long candidate = candidate("Deleted", email("deleted"));
        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();
        String contactId = contactOf(candidate).path("id").asText();
        GH.deleteCandidate(candidate);
        deliver("delete_candidate", payloads.deleteCandidate(candidate));
        awaitInboxIdle();
        assertThat(matcher.linkedContact(String.valueOf(candidate))).isEmpty();
        assertThat(BEAMERY.contact(contactId)).isPresent();
        assertThat(BEAMERY.isAnonymized(contactId)).isFalse();
    }
}
