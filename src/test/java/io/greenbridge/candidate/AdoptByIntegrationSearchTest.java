package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * greenbridge.candidates.adopt-by-integration-search on (a tenant migrating from Beamery's native connector): at
 * first sight, a contact carrying the Greenhouse id under another email is adopted, not duplicated.
 */
@TestPropertySource(properties = "greenbridge.candidates.adopt-by-integration-search=true")
class AdoptByIntegrationSearchTest extends ContactsTestSupport {
    @Test
    void firstSightOfACandidateAdoptsTheBeameryContactCarryingItsGreenhouseId() {
        long candidate = candidate("Native", email("native"));
        ObjectNode fields = JSON.createObjectNode().put("firstName", "Native").put("lastName", "Connector")
                .put("primaryEmail", email("other-address")); // an address Greenhouse does not know: email matching misses it
        fields.putObject("integrations").putObject("greenhouse").put("id", String.valueOf(candidate));
        String existing = BEAMERY.createContact(fields);

        deliver("update_candidate", payloads.updateCandidate(candidate));
        awaitInboxIdle();

        assertThat(matcher.linkedContact(String.valueOf(candidate))).contains(existing);
        assertThat(BEAMERY.contacts().stream().filter(c -> String.valueOf(candidate)
                .equals(c.path("integrations").path("greenhouse").path("id").asText()))).hasSize(1);
    }
}
