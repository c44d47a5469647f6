package io.greenbridge.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.sandbox.SandboxTest;
import io.greenbridge.store.LinkStore;

/** Shared steps of the contacts-out tests: Beamery contacts with unique emails, the push endpoint, the poll. */
abstract class OutboundTestSupport extends SandboxTest {
    static final ObjectMapper JSON = new ObjectMapper();

    @Autowired
    LinkStore links;

    /** A contact as a recruiter creates it in Beamery, with an email no other test uses. */
    ObjectNode contactFields(String first, String last) {
        String email = first.toLowerCase() + "." + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        ObjectNode c = JSON.createObjectNode().put("firstName", first).put("primaryEmail", email);
        if (last != null) {
            c.put("lastName", last);
        }
        c.putArray("emails").add(email);
        return c;
    }

    String newContact(String first, String last) {
        return BEAMERY.createContact(contactFields(first, last));
    }

    /** POST /api/greenhouse/push; the results in order. */
    List<JsonNode> push(String... contactIds) throws Exception {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode ids = body.putArray("contactIds");
        for (String id : contactIds) {
            ids.add(id);
        }
        HttpResponse<String> response = admin("POST", "/api/greenhouse/push", body.toString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ArrayNode results = (ArrayNode) JSON.readTree(response.body()).get("results");
        return JSON.convertValue(results, JSON.getTypeFactory().constructCollectionType(List.class, JsonNode.class));
    }

    JsonNode pushOne(String contactId) throws Exception {
        return push(contactId).get(0);
    }

    /** Runs the Beamery poll now and returns the run's summary. */
    JsonNode poll() throws Exception {
        HttpResponse<String> response = admin("POST", "/api/sync/beamery?wait=true", null);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode run = JSON.readTree(response.body());
        assertThat(run.path("status").asText("succeeded")).as(response.body()).isEqualTo("succeeded");
        return run;
    }

    ObjectNode candidate(long id) {
        return GREENHOUSE.store().get("candidates", id);
    }

    Optional<ObjectNode> candidateByEmail(String email) {
        return GREENHOUSE.store().where("candidates", c -> {
            for (JsonNode e : c.path("email_addresses")) {
                if (e.path("value").asText().equalsIgnoreCase(email)) {
                    return true;
                }
            }
            return false;
        }).stream().findFirst();
    }

    ObjectNode beameryContact(String id) {
        return BEAMERY.contact(id).orElseThrow();
    }

    /** Harvest write calls (anything but GET) to paths starting with {@code prefix} since {@code since}. */
    long greenhouseWrites(String prefix, int since) {
        return GREENHOUSE.requests().stream().skip(since)
                .filter(r -> !r.method().equals("GET") && r.path().startsWith(prefix)).count();
    }

    int greenhouseLogSize() {
        return GREENHOUSE.requests().size();
    }
}
