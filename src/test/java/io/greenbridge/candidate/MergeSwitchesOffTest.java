package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * With the merge switches off (the live-mode default), no merge endpoint whose contract is unconfirmed is called:
 * the links are fixed and the merge is reported as a dead letter to do by hand.
 */
@TestPropertySource(properties = {"greenbridge.candidates.beamery-merge=off", "greenbridge.outbound.greenhouse-merge=off"})
class MergeSwitchesOffTest extends ContactsTestSupport {

    @Test
    void aGreenhouseMergeIsReportedAndTheLinksFixedWithoutCallingBeamerysMerge() {
        long survivor = candidate("Keeper", email("keeper"));
        long duplicate = candidate("Copy", email("copy"));
        deliver("update_candidate", payloads.updateCandidate(survivor));
        deliver("update_candidate", payloads.updateCandidate(duplicate));
        awaitInboxIdle();
        String winner = contactOf(survivor).path("id").asText();
        String loser = contactOf(duplicate).path("id").asText();

        mergeInGreenhouse(survivor, duplicate);

        assertThat(BEAMERY.requestCount("POST /contact/" + winner + "/merge")).isZero();
        assertThat(BEAMERY.contact(loser).orElseThrow().hasNonNull("mergedIn")).isFalse();
        assertThat(matcher.linkedContact(String.valueOf(survivor))).contains(winner);
        assertThat(matcher.linkedContact(String.valueOf(duplicate))).isEmpty();
        assertThat(jdbc.queryForObject("SELECT reason FROM dead_letters WHERE source = 'contact-merge' AND ref = ?",
                String.class, duplicate + ">" + survivor)).contains("beamery-merge is off", loser, winner);
    }

    @Test
    void aBeameryMergeIsReportedWithoutCallingGreenhousesMerge() throws Exception {
        String primary = pushedContact("Primary");
        String secondary = pushedContact("Secondary");
        String ghPrimary = links.byBeameryId("candidate", primary).orElseThrow().greenhouseId();
        String ghSecondary = links.byBeameryId("candidate", secondary).orElseThrow().greenhouseId();

        BEAMERY.merge(primary, secondary);
        HttpResponse<String> run = admin("POST", "/api/sync/beamery?wait=true", null);
        assertThat(run.statusCode()).as(run.body()).isEqualTo(200);

        assertThat(GH.merges()).noneMatch(m -> String.valueOf(m.duplicateId()).equals(ghSecondary));
        assertThat(GH.find("candidates", Long.parseLong(ghSecondary))).isPresent();
        assertThat(links.byBeameryId("candidate", primary)).get().extracting(l -> l.greenhouseId()).isEqualTo(ghPrimary);
        assertThat(jdbc.queryForObject("SELECT reason FROM dead_letters WHERE source = 'outbound' AND ref = ?",
                String.class, secondary)).contains("greenhouse-merge is off", ghSecondary, ghPrimary);
    }

    private String pushedContact(String first) throws Exception {
        String mail = email(first.toLowerCase());
        var fields = JSON.createObjectNode().put("firstName", first).put("lastName", "Merge").put("primaryEmail", mail);
        fields.putArray("emails").add(mail);
        String id = BEAMERY.createContact(fields);
        HttpResponse<String> response = admin("POST", "/api/greenhouse/push", "{\"contactIds\":[\"" + id + "\"]}");
        JsonNode result = JSON.readTree(response.body()).path("results").get(0);
        assertThat(result.path("outcome").asText()).as(response.body()).isEqualTo("created");
        return id;
    }
}
