package io.greenbridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.beamery.BeameryRateLimiter;
import io.greenbridge.beamery.BeameryTokenProvider;
import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.RemoteCallException;

/** The simulator keeps the §14 contract Greenbridge's flows rely on (driven over HTTP through the real client). */
class BeamerySimulatorTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BeamerySimulator beamery;
    private BeameryClient client;

    @BeforeEach
    void start() {
        beamery = new BeamerySimulator();
        GreenbridgeProperties.Beamery config = new GreenbridgeProperties.Beamery(beamery.baseUrl(), "bm-client", "bm-secret",
                40, 100, 2, Duration.ofSeconds(5), Duration.ofMillis(20), 0, 0, null, null, null);
        client = new BeameryClient(config, new BeameryTokenProvider(config, Clock.systemUTC()), new BeameryRateLimiter(40), null);
    }

    @AfterEach
    void stop() {
        beamery.close();
    }

    @Test
    void anonymizedContactKeepsOnlyRetainedFieldsAndRefusesUpdates() {
        ObjectNode full = person("grace@example.com");
        full.putArray("phoneNumbers").add("+44 20 7946 0000");
        full.putObject("location").put("city", "London");
        full.putArray("tags").add("python");
        full.put("headline", "Compiler pioneer");
        full.putObject("integrations").putObject("greenhouse").put("id", "4242");
        String id = client.createContact(full).path("id").asText();
        client.createNote(id, JSON.createObjectNode().put("content", "Great call"));

        JsonNode result = client.anonymizeContact(id);

        assertThat(result.path("anonymized").asBoolean()).isTrue();
        assertThat(result.path("archivedAt").asText()).isNotEmpty();
        JsonNode after = client.getContact(id);
        assertThat(fieldNames(after)).isSubsetOf(BeamerySimulator.RETAINED_FIELDS)
                .contains("emails", "integrations", "archivedAt")
                .doesNotContain("phoneNumbers", "location", "tags", "headline", "vacancies");
        assertThat(after.path("integrations").path("greenhouse").path("id").asText()).isEqualTo("4242");
        assertThat(beamery.notesOf(id)).isEmpty();
        assertThatThrownBy(() -> client.patchContact(id, JSON.createObjectNode().put("headline", "back")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(409);
                    assertThat(e.responseBody()).contains("anonymized");
                });
    }

    @Test
    void mergeRecordsLineageAndMovesVacanciesNotesAndAttachments() {
        String vacancyId = client.createVacancy(vacancy("Backend Engineer")).path("id").asText();
        String primary = client.createContact(person("ada@example.com")).path("id").asText();
        String secondary = client.createContact(person("ada.l@example.com")).path("id").asText();
        client.putContactVacancy(secondary, vacancyId, JSON.createObjectNode().put("stageId", "st-2").putNull("rejectionReason"));
        client.createNote(secondary, JSON.createObjectNode().put("content", "Met at a meetup"));
        client.uploadAttachment(secondary, "cv.txt", "resume", "text/plain", "CV".getBytes(StandardCharsets.UTF_8));

        JsonNode merged = client.mergeContacts(primary, secondary);

        assertThat(merged.path("mergedWith")).extracting(JsonNode::asText).containsExactly(secondary);
        assertThat(client.getContact(secondary).path("mergedIn").asText()).isEqualTo(primary);
        JsonNode link = merged.path("vacancies").get(0);
        assertThat(link.path("id").asText()).isEqualTo(vacancyId);
        assertThat(link.path("value").asText()).isEqualTo("Backend Engineer");
        assertThat(link.path("stage").path("value").asText()).isEqualTo("Phone Screen");
        assertThat(beamery.notesOf(primary)).extracting(n -> n.path("content").asText()).containsExactly("Met at a meetup");
        assertThat(beamery.attachments()).extracting(a -> a.path("contactId").asText()).containsExactly(primary);
        assertThatThrownBy(() -> client.mergeContacts(primary, secondary))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void patchReplacesArraysAndLeavesOmittedFieldsAlone() {
        ObjectNode created = person("alan@example.com");
        created.putArray("tags").add("crypto").add("maths");
        created.putArray("phoneNumbers").add("+44 1908 640404");
        created.putObject("integrations").putObject("brassring").put("id", "77");
        JsonNode before = client.createContact(created);
        ObjectNode changes = JSON.createObjectNode();
        changes.putArray("tags").add("computing");
        changes.putObject("integrations").putObject("greenhouse").put("id", "9001");

        JsonNode after = client.patchContact(before.path("id").asText(), changes);

        assertThat(after.path("tags")).extracting(JsonNode::asText).containsExactly("computing");
        assertThat(after.path("phoneNumbers")).extracting(JsonNode::asText).containsExactly("+44 1908 640404");
        assertThat(after.path("integrations").path("brassring").path("id").asText()).isEqualTo("77");
        assertThat(after.path("integrations").path("greenhouse").path("id").asText()).isEqualTo("9001");
        assertThat(Instant.parse(after.path("updatedAt").asText())).isAfter(Instant.parse(before.path("updatedAt").asText()));
        assertThat(after.path("version").asInt()).isGreaterThan(before.path("version").asInt());
    }

    @Test
    void recruiterEditsAreListedByUpdatedAtOldestFirst() {
        String first = beamery.createContact(person("one@example.com"));
        String second = beamery.createContact(person("two@example.com"));
        beamery.createContact(person("three@example.com"));
        Instant watermark = Instant.parse(beamery.contacts().get(2).path("updatedAt").asText()).plusMillis(1);
        beamery.editContact(second, c -> c.put("headline", "Edited second"));
        beamery.editContact(first, c -> c.put("headline", "Edited first"));

        List<JsonNode> changed = client.listContactsUpdatedSince(watermark).toList();

        assertThat(changed).extracting(c -> c.path("id").asText()).containsExactly(second, first);
    }

    @Test
    void vacanciesNeedATitleAndContactVacancyLinksShowTheStage() {
        assertThatThrownBy(() -> client.createVacancy(JSON.createObjectNode().put("status", "open")))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> {
                    assertThat(e.status()).isEqualTo(400);
                    assertThat(e.responseBody()).contains("title");
                });
        String vacancyId = client.createVacancy(vacancy("Data Engineer")).path("id").asText();
        String contactId = client.createContact(person("kj@example.com")).path("id").asText();

        JsonNode link = client.putContactVacancy(contactId, vacancyId,
                JSON.createObjectNode().put("stageId", "st-2").put("rejectionReason", "Position filled"));

        assertThat(link.path("stage").path("id").asText()).isEqualTo("st-2");
        JsonNode onContact = client.getContact(contactId).path("vacancies").get(0);
        assertThat(onContact.path("value").asText()).isEqualTo("Data Engineer");
        assertThat(onContact.path("stage").path("value").asText()).isEqualTo("Phone Screen");
        assertThat(onContact.path("rejectionReason").asText()).isEqualTo("Position filled");
    }

    @Test
    void referenceDataIsListedAndDuplicatesAreRefused() {
        beamery.seedDemo();
        client.createSource("Greenhouse", "gh-1");

        assertThat(client.listUsers()).hasSize(3).allSatisfy(u -> assertThat(u.path("email").asText()).contains("@"));
        assertThat(client.listSources()).extracting(s -> s.path("name").asText()).containsExactly("Greenhouse");
        assertThat(client.listGlobalTags()).extracting(t -> t.path("value").asText()).contains("Referral");
        assertThatThrownBy(() -> client.createSource("greenhouse", null))
                .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.status()).isEqualTo(409));
    }

    @Test
    void emailSearchFindsContactsByTheirEmailsAsTheyAreNowInCreationOrder() {
        String first = client.createContact(person("ada@example.com")).path("id").asText();
        String second = client.createContact(person("bob@example.com")).path("id").asText();
        client.patchContact(second, JSON.createObjectNode().put("primaryEmail", "ada@example.com")
                .set("emails", JSON.createArrayNode().add("ada@example.com")));
        beamery.editContact(first, c -> c.put("primaryEmail", "countess@example.com")
                .set("emails", JSON.createArrayNode().add("countess@example.com")));
        String third = client.createContact(person("Ada@Example.com")).path("id").asText();

        assertThat(client.findContactsByEmail("ADA@example.com")).extracting(c -> c.path("id").asText())
                .containsExactly(second, third);
        assertThat(client.findContactsByEmail("countess@example.com")).extracting(c -> c.path("id").asText())
                .containsExactly(first);
        assertThat(client.findContactsByEmail("bob@example.com")).isEmpty();
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static ObjectNode person(String email) {
        return JSON.createObjectNode().put("firstName", "Test").put("lastName", "Person").put("primaryEmail", email);
    }

    private static ObjectNode vacancy(String title) {
        ObjectNode vacancy = JSON.createObjectNode().put("title", title).put("status", "open");
        ArrayNode stages = vacancy.putArray("stages");
        stages.addObject().put("id", "st-1").put("name", "Application Review").put("order", 1);
        stages.addObject().put("id", "st-2").put("name", "Phone Screen").put("order", 2);
        return vacancy;
    }
}
