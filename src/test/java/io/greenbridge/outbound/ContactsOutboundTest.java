package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Outbound.AnonymizationMode;
import io.greenbridge.config.GreenbridgeProperties.Outbound.Rule;
import io.greenbridge.contact.AnonymizationGuard;

/** Beamery → Greenhouse: "Add to Greenhouse", the poll of later edits, notes, tags, consent, merges, anonymization. */
class ContactsOutboundTest extends OutboundTestSupport {
    @Autowired
    OutboundState outboundState;
    @Autowired
    AnonymizationGuard guard;
    @Autowired
    BeameryLifecycle lifecycle;
    @Autowired
    GreenhousePush push;
    @Autowired
    GreenbridgeProperties properties;

    @Test
    void pushedContactBecomesAProspectWithTheMappedProfileAndKnowsItsGreenhouseId() throws Exception {
        String tag = BEAMERY.addGlobalTag("Silver medallist " + System.nanoTime());
        ObjectNode fields = contactFields("Katherine", "Johnson");
        fields.putArray("phoneNumbers").add("+44 20 7946 0001");
        fields.putArray("links").add("https://www.linkedin.com/in/kjohnson").add("https://kjohnson.example");
        fields.putObject("location").put("address", "1 Orbit Road").put("country", "United Kingdom");
        fields.put("postCode", "EC1A 1BB");
        fields.putObject("primaryExperience").put("organisationName", "NASA").put("role", "Mathematician");
        fields.putArray("tags").add("orbital mechanics");
        fields.putObject("consent").put("status", "opted_in").put("lastConsentDate", "2024-05-01T10:00:00Z");
        String id = BEAMERY.createContact(fields);
        BEAMERY.editContact(id, c -> c.putArray("globalTags").addObject().put("id", tag)
                .put("value", BEAMERY.globalTags().stream().filter(t -> t.path("id").asText().equals(tag)).findFirst().orElseThrow().path("value").asText()));

        JsonNode result = pushOne(id);

        assertThat(result.path("outcome").asText()).isEqualTo("created");
        long ghId = result.path("greenhouseId").asLong();
        ObjectNode candidate = candidate(ghId);
        assertThat(candidate.path("first_name").asText()).isEqualTo("Katherine");
        assertThat(candidate.path("company").asText()).isEqualTo("NASA");
        assertThat(candidate.path("title").asText()).isEqualTo("Mathematician");
        assertThat(candidate.path("email_addresses").get(0).path("value").asText()).isEqualTo(fields.path("primaryEmail").asText());
        assertThat(candidate.path("phone_numbers").get(0).path("value").asText()).isEqualTo("+44 20 7946 0001");
        assertThat(candidate.path("social_media_addresses").get(0).path("value").asText()).contains("linkedin.com");
        assertThat(candidate.path("website_addresses").get(0).path("value").asText()).isEqualTo("https://kjohnson.example");
        assertThat(candidate.path("addresses").get(0).path("value").asText()).isEqualTo("1 Orbit Road, EC1A 1BB, United Kingdom");
        assertThat(candidate.path("tags").toString()).contains("orbital mechanics", "Silver medallist");
        assertThat(candidate.path("custom_fields").path("consent_status").path("value").asText()).isEqualTo("opted_in");
        assertThat(candidate.path("custom_fields").path("last_consent_date").path("value").asText()).isEqualTo("2024-05-01T10:00:00Z");
        List<ObjectNode> applications = GREENHOUSE.store().where("applications", a -> a.path("candidate_id").asLong() == ghId);
        assertThat(applications).singleElement().satisfies(a -> assertThat(a.path("prospect").asBoolean()).isTrue());
        JsonNode greenhouse = beameryContact(id).path("integrations").path("greenhouse");
        assertThat(greenhouse.path("id").asText()).isEqualTo(String.valueOf(ghId));
        assertThat(greenhouse.path("url").asText()).isEqualTo("https://app.greenhouse.io/people/" + ghId);

        assertThat(pushOne(id).path("outcome").asText()).as("a second push of an unchanged contact").isEqualTo("unchanged");
    }

    @Test
    void bulkPushAnswersEveryContactInOrderWithTheReasonForEachSkip() throws Exception {
        String first = newContact("Dorothy", "Vaughan");
        String second = newContact("Mary", "Jackson");
        String anonymized = newContact("Christine", "Darden");
        BEAMERY.anonymize(anonymized);

        List<JsonNode> results = push(first, second, "no-such-contact", anonymized, first);

        assertThat(results).extracting(r -> r.path("contactId").asText())
                .containsExactly(first, second, "no-such-contact", anonymized);
        assertThat(results).extracting(r -> r.path("outcome").asText())
                .containsExactly("created", "created", "skipped", "skipped");
        assertThat(results.get(2).path("message").asText()).contains("no contact");
        assertThat(results.get(3).path("message").asText()).contains("anonymized");
        assertThat(candidateByEmail(beameryContact(first).path("primaryEmail").asText())).isPresent();
    }

    @Test
    void pushOfAContactWhoseEmailIsAlreadyInGreenhouseLinksThatCandidate() throws Exception {
        ObjectNode fields = contactFields("Annie", "Easley");
        String email = fields.path("primaryEmail").asText();
        long existing = GREENHOUSE.store().candidate("Annie", "Easley").email(email).company("Greenhouse Corp").create();
        String id = BEAMERY.createContact(fields);
        int before = GREENHOUSE.store().count("candidates");

        JsonNode result = pushOne(id);

        assertThat(result.path("outcome").asText()).isEqualTo("linked");
        assertThat(result.path("greenhouseId").asLong()).isEqualTo(existing);
        assertThat(GREENHOUSE.store().count("candidates")).isEqualTo(before);
        assertThat(candidate(existing).path("company").asText()).as("Greenhouse keeps its profile").isEqualTo("Greenhouse Corp");
        assertThat(links.byBeameryId("candidate", id)).get().extracting(l -> l.greenhouseId()).isEqualTo(String.valueOf(existing));
        assertThat(beameryContact(id).path("integrations").path("greenhouse").path("id").asText()).isEqualTo(String.valueOf(existing));
    }

    @Test
    void contactAddedToALinkedVacancyIsPushedByTheRuleWithAnApplicationAtItsStage() throws Exception {
        long job = GREENHOUSE.store().job("Flight Engineer " + System.nanoTime()).stages("Application Review", "Onsite", "Offer").create();
        List<ObjectNode> stages = GREENHOUSE.store().stages(job);
        long onsite = stages.get(1).path("id").asLong();
        ObjectNode vacancyFields = JSON.createObjectNode().put("title", "Flight Engineer");
        for (ObjectNode stage : stages) {
            vacancyFields.withArray("stages").addObject().put("id", "gh-stage-" + stage.path("id").asLong())
                    .put("name", stage.path("name").asText());
        }
        String vacancy = BEAMERY.createVacancy(vacancyFields);
        links.put("job", String.valueOf(job), vacancy, null);
        String id = newContact("Mae", "Jemison");
        String untouched = newContact("Sally", "Ride");

        BEAMERY.addContactToVacancy(id, vacancy, "gh-stage-" + onsite);
        JsonNode run = poll();

        assertThat(run.path("created").asInt()).isGreaterThanOrEqualTo(1);
        long ghId = Long.parseLong(links.byBeameryId("candidate", id).orElseThrow().greenhouseId());
        List<ObjectNode> applications = GREENHOUSE.store().where("applications", a -> a.path("candidate_id").asLong() == ghId);
        assertThat(applications).singleElement().satisfies(a -> {
            assertThat(a.path("job_id").asLong()).isEqualTo(job);
            assertThat(a.path("stage_name").asText()).isEqualTo("Onsite");
            assertThat(a.path("prospect").asBoolean()).isFalse();
        });
        assertThat(links.byBeameryId("candidate", untouched)).as("contacts are not exported unless pushed or matched").isEmpty();
    }

    @Test
    void aGlobalTagRulePushesTheContactAsAProspectEvenWhenItIsOnALinkedVacancy() throws Exception {
        long job = GREENHOUSE.store().job("Referral Job " + System.nanoTime()).create();
        String vacancy = BEAMERY.createVacancy(JSON.createObjectNode().put("title", "Referral Job"));
        links.put("job", String.valueOf(job), vacancy, null);
        String tagName = "Referral " + System.nanoTime();
        String tag = BEAMERY.addGlobalTag(tagName);
        String id = newContact("Frances", "Allen");
        BEAMERY.addContactToVacancy(id, vacancy, null);
        BEAMERY.editContact(id, c -> c.putArray("globalTags").addObject().put("id", tag).put("value", tagName));
        OutboundRules rules = new OutboundRules(withRules(List.of(
                new Rule("referrals", "global-tag", tagName, "prospect"))), links);

        Rule matched = rules.match(beameryContact(id)).orElseThrow();
        PushResult result = push.syncAll(List.of(new GreenhousePush.Work(beameryContact(id), PushKind.of(matched.push())))).get(0);

        assertThat(result.outcome()).isEqualTo("created");
        List<ObjectNode> applications = GREENHOUSE.store().where("applications", a -> a.path("candidate_id").asLong() == result.greenhouseId());
        assertThat(applications).singleElement().satisfies(a -> {
            assertThat(a.path("prospect").asBoolean()).isTrue();
            assertThat(a.path("job_id").isNull()).isTrue();
        });
        assertThat(rules.match(beameryContact(newContact("Untagged", "Person")))).isEmpty();
    }

    private GreenbridgeProperties withRules(List<Rule> rules) {
        GreenbridgeProperties.Outbound o = properties.outbound();
        return new GreenbridgeProperties(properties.mode(), properties.adminToken(), properties.dataKey(), properties.publicBaseUrl(),
                properties.mappingsDir(), properties.greenhouse(), properties.beamery(), properties.inbox(),
                properties.vacancies(), properties.reference(), properties.candidates(),
                new GreenbridgeProperties.Outbound(o.cron(), o.overlap(), o.anonymizationMode(), o.consentStatusField(),
                        o.consentDateField(), rules, o.pushConcurrency(), o.candidateUrl()), properties.assessment());
    }

    @Test
    void anEditIsSyncedOnceWithOnlyTheChangedFieldsAndOurOwnWritesAreNotEchoed() throws Exception {
        String id = newContact("Gladys", "West");
        long ghId = pushOne(id).path("greenhouseId").asLong();
        int mark = greenhouseLogSize();
        poll();
        assertThat(greenhouseWrites("/v3/", mark)).as("the Greenhouse id written back is not an edit").isZero();

        GREENHOUSE.store().updateCandidate(ghId, c -> c.put("company", "Set in Greenhouse"));
        BEAMERY.editContact(id, c -> c.putObject("primaryExperience").put("role", "Geodesist"));
        mark = greenhouseLogSize();
        JsonNode run = poll();
        poll();

        assertThat(run.path("updated").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(greenhouseWrites("/v3/candidates/" + ghId, mark)).as("one PATCH for one edit").isEqualTo(1);
        assertThat(candidate(ghId).path("title").asText()).isEqualTo("Geodesist");
        assertThat(candidate(ghId).path("company").asText()).as("fields not edited are not sent").isEqualTo("Set in Greenhouse");

        // Greenbridge writes a Greenhouse change into Beamery (the inbound flow) and records it
        BEAMERY.editContact(id, c -> c.put("lastName", "West-Greenhouse"));
        outboundState.recordInbound(id, beameryContact(id));
        mark = greenhouseLogSize();
        poll();
        assertThat(greenhouseWrites("/v3/", mark)).as("our own write is not sent back").isZero();

        BEAMERY.editContact(id, c -> c.putArray("phoneNumbers").add("+1 555 0100"));
        mark = greenhouseLogSize();
        poll();
        assertThat(greenhouseWrites("/v3/candidates/" + ghId, mark)).isEqualTo(1);
        assertThat(candidate(ghId).path("last_name").asText()).as("the echoed name was not re-sent").isEqualTo("West");
        assertThat(candidate(ghId).path("phone_numbers").get(0).path("value").asText()).isEqualTo("+1 555 0100");
    }

    @Test
    void aGreenhouseEditCarriedIntoBeameryByTheInboundFlowIsNotSentBack() throws Exception {
        String id = newContact("Grace", "Hopper");
        long ghId = pushOne(id).path("greenhouseId").asLong();
        poll();

        GREENHOUSE.store().updateCandidate(ghId, c -> c.put("title", "Rear Admiral"));
        assertThat(deliver("update_candidate", payloads.updateCandidate(ghId))).isEqualTo(200);
        awaitInboxIdle();
        assertThat(beameryContact(id).toString()).as("the inbound flow wrote the edit").contains("Rear Admiral");
        int mark = greenhouseLogSize();
        JsonNode run = poll();

        assertThat(greenhouseWrites("/v3/", mark)).as("no echo to Greenhouse").isZero();
        assertThat(run.path("failed").asInt()).isZero();
    }

    @Test
    void newNotesGoToGreenhouseOnceWithTheirVisibilityButNotesFromGreenhouseDoNot() throws Exception {
        String id = newContact("Evelyn", "Boyd");
        long ghId = pushOne(id).path("greenhouseId").asLong();
        String author = BEAMERY.addUser("recruiter." + System.nanoTime() + "@greenbridge.example", "Riley", "Recruiter", "recruiter");

        BEAMERY.addNote(id, author, "Great call, public", false);
        BEAMERY.addNote(id, author, "Salary expectations, private", true);
        String fromGreenhouse = BEAMERY.addNote(id, author, "Brought from Greenhouse", true);
        links.put("note", "gh-note-" + System.nanoTime(), fromGreenhouse, null);
        poll();
        poll();

        List<ObjectNode> notes = GREENHOUSE.store().where("notes", n -> n.path("candidate_id").asLong() == ghId);
        assertThat(notes).extracting(n -> n.path("body").asText() + "|" + n.path("visibility").asText())
                .containsExactlyInAnyOrder("Great call, public|publicly_visible", "Salary expectations, private|privately_visible");
    }

    @Test
    void tagAndConsentEditsAreAppliedAndRemovedOnesCleared() throws Exception {
        ObjectNode fields = contactFields("Melba", "Roy");
        fields.putArray("tags").add("astronomy").add("keep");
        fields.putObject("consent").put("status", "opted_in").put("lastConsentDate", "2024-01-01T00:00:00Z");
        String id = BEAMERY.createContact(fields);
        long ghId = pushOne(id).path("greenhouseId").asLong();

        BEAMERY.editContact(id, c -> {
            c.putArray("tags").add("keep").add("orbits");
            c.putObject("consent").put("status", "opted_out");
        });
        poll();

        ObjectNode candidate = candidate(ghId);
        assertThat(candidate.path("tags").toString()).contains("keep", "orbits").doesNotContain("astronomy");
        assertThat(candidate.path("custom_fields").path("consent_status").path("value").asText()).isEqualTo("opted_out");
        assertThat(candidate.path("custom_fields").has("last_consent_date")).as("a consent date removed in Beamery is cleared").isFalse();
    }

    @Test
    void mergingTwoLinkedContactsInBeameryMergesTheirCandidatesAndTheLinksFollow() throws Exception {
        String primary = newContact("Margaret", "Hamilton");
        String duplicate = newContact("Maggie", "Hamilton");
        List<JsonNode> pushed = push(primary, duplicate);
        long ghPrimary = pushed.get(0).path("greenhouseId").asLong();
        long ghDuplicate = pushed.get(1).path("greenhouseId").asLong();

        BEAMERY.merge(primary, duplicate);
        poll();

        assertThat(GREENHOUSE.store().merges()).anySatisfy(m -> {
            assertThat(m.primaryId()).isEqualTo(ghPrimary);
            assertThat(m.duplicateId()).isEqualTo(ghDuplicate);
        });
        assertThat(links.byGreenhouseId("candidate", String.valueOf(ghDuplicate))).isEmpty();
        assertThat(links.byBeameryId("candidate", primary)).get().extracting(l -> l.greenhouseId()).isEqualTo(String.valueOf(ghPrimary));
        assertThat(pushOne(duplicate).path("outcome").asText()).isEqualTo("skipped");
    }

    @Test
    void greenhouseSourceOfTruthKeepsABeameryAnonymizationLocal() throws Exception {
        String id = newContact("Hedy", "Lamarr");
        long ghId = pushOne(id).path("greenhouseId").asLong();

        BEAMERY.anonymize(id);
        poll();

        assertThat(GREENHOUSE.store().anonymizations()).noneMatch(a -> a.candidateId() == ghId);
        assertThat(candidate(ghId).path("first_name").asText()).isEqualTo("Hedy");
        assertThat(guard.isAnonymizedBeamery(id)).isTrue();
        assertThat(pushOne(id).path("outcome").asText()).as("an anonymized contact is never pushed").isEqualTo("skipped");
    }

    @Test
    void bidirectionalModeAnonymizesTheCandidateInGreenhouse() throws Exception {
        String id = newContact("Radia", "Perlman");
        long ghId = pushOne(id).path("greenhouseId").asLong();
        BEAMERY.anonymize(id);

        assertThat(lifecycle.anonymized(beameryContact(id), AnonymizationMode.BIDIRECTIONAL)).contains("updated");

        assertThat(GREENHOUSE.store().anonymizations()).anySatisfy(a -> {
            assertThat(a.candidateId()).isEqualTo(ghId);
            assertThat(a.fields()).contains("full_name", "email_addresses");
        });
        assertThat(candidate(ghId).path("first_name").asText()).isEqualTo("Anonymized");
        assertThat(guard.isAnonymizedGreenhouse(String.valueOf(ghId))).isTrue();
    }

    @Test
    void aValidationErrorIsReportedForThatContactOnlyDeadLetteredAndReplayable() throws Exception {
        long job = GREENHOUSE.store().job("Codebreaker " + System.nanoTime()).create();
        String vacancy = BEAMERY.createVacancy(JSON.createObjectNode().put("title", "Codebreaker"));
        links.put("job", String.valueOf(job), vacancy, null);
        String bad = newContact("Nameless", null);
        BEAMERY.addContactToVacancy(bad, vacancy, null); // so the vacancy rule would push it again
        String good = newContact("Joan", "Clarke");

        List<JsonNode> results = push(bad, good);

        assertThat(results.get(0).path("outcome").asText()).isEqualTo("failed");
        assertThat(results.get(0).path("message").asText()).contains("422", "last_name is required");
        assertThat(results.get(1).path("outcome").asText()).isEqualTo("created");
        Long letter = jdbc.queryForObject("SELECT MAX(id) FROM dead_letters WHERE source = 'outbound' AND ref = ?", Long.class, bad);
        assertThat(letter).isNotNull();
        int mark = greenhouseLogSize();
        poll();
        assertThat(greenhouseWrites("/v3/candidates", mark)).as("the poll does not retry a refused contact").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM dead_letters WHERE ref = ?", Integer.class, bad)).isEqualTo(1);

        BEAMERY.editContact(bad, c -> c.put("lastName", "Named"));
        assertThat(admin("POST", "/api/dead-letters/" + letter + "/replay", null).statusCode()).isEqualTo(200);
        assertThat(links.byBeameryId("candidate", bad)).isPresent();
    }

    @Test
    void aPushWithoutContactIdsIsABadRequest() throws Exception {
        var response = admin("POST", "/api/greenhouse/push", "{\"ids\": [\"x\"]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(response.body()).path("error").asText()).isEqualTo("invalid_push");
        assertThat(admin("POST", "/api/greenhouse/push", "not json").statusCode()).isEqualTo(400);
    }
}
