package io.greenbridge.candidate;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.model.ChoiceDefinition;
import org.apache.camel.model.SetHeaderDefinition;
import org.apache.camel.model.ToDefinition;
import org.apache.camel.model.WhenDefinition;
import org.apache.camel.model.language.MethodCallExpression;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.greenbridge.inbox.InboxEvent;
import io.greenbridge.routes.RouteModel;
import io.greenbridge.sandbox.GreenhouseSimulator;

/** A webhook backlog reads its candidates in bulk; a lone event reads its own candidate at once. */
class CandidatePrefetchTest extends ContactsTestSupport {
    private static final String INBOX_ROUTE = "greenhouse-inbox-worker";

    @Autowired
    CamelContext camel;
    @Autowired
    CandidatePrefetch prefetch;

    @Test
    void aBacklogOfManyCandidatesIsReadWithAFewListCalls() throws Exception {
        awaitInboxIdle();
        int n = 30;
        long job = jobWithVacancy(unique("Prefetch backlog"));
        List<Long> candidates = new ArrayList<>();
        List<String> backlog = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long c = candidate("Prefetch" + i, email("prefetch-" + i));
            candidates.add(c);
            backlog.add(payloads.newCandidateApplication(GH.apply(c, job)));
        }
        long gone = candidates.remove(n - 1);
        GH.deleteCandidate(gone); // its webhook is still in the backlog: the bulk read must call it gone
        long firstId = jdbc.queryForObject("SELECT COALESCE(MAX(id), 0) FROM webhook_inbox", Long.class);
        camel.getRouteController().stopRoute(INBOX_ROUTE);
        try {
            for (String body : backlog) {
                assertThat(deliver("new_candidate_application", body)).isEqualTo(200);
            }
        } finally {
            camel.getRouteController().startRoute(INBOX_ROUTE);
        }
        int before = GREENHOUSE.requests().size();
        awaitInboxIdle();

        for (long c : candidates) {
            assertThat(contactOf(c).path("firstName").asText()).startsWith("Prefetch");
        }
        assertThat(matcher.linkedContact(String.valueOf(gone))).isEmpty();
        assertThat(jdbc.queryForList("SELECT status FROM webhook_inbox WHERE id > ?", String.class, firstId))
                .hasSize(n).containsOnly("done");
        List<GreenhouseSimulator.Request> reads = GREENHOUSE.requests().subList(before, GREENHOUSE.requests().size());
        // one by one, 30 events cost 30 calls per path; one claim of up to 50 candidates costs one
        for (String path : List.of("/v3/candidates", "/v3/applications", "/v3/notes", "/v3/attachments")) {
            assertThat(reads.stream().filter(r -> r.path().equals(path)).count()).as(path).isLessThanOrEqualTo(2);
        }
        assertThat(reads).hasSizeLessThanOrEqualTo(10);
    }

    @Test
    void aSingleEventOnAQuietInboxReadsItsOwnCandidateAtOnce() {
        awaitInboxIdle();
        long job = jobWithVacancy(unique("Prefetch single"));
        long c = candidate("Solo", email("prefetch-solo"));
        long app = GH.apply(c, job);
        int before = GREENHOUSE.requests().size();

        assertThat(deliver("new_candidate_application", payloads.newCandidateApplication(app))).isEqualTo(200);
        awaitInboxIdle();

        assertThat(contactOf(c).path("firstName").asText()).isEqualTo("Solo");
        List<String> candidateReads = GREENHOUSE.requests().subList(before, GREENHOUSE.requests().size()).stream()
                .filter(r -> r.path().equals("/v3/candidates")).map(GreenhouseSimulator.Request::query).toList();
        assertThat(candidateReads).singleElement().asString().contains("ids=" + c + "&").doesNotContain("%2C");
    }

    @Test
    void aGoneCandidateIsToldApartFromOneThatWasNotPrefetched() {
        long job = jobWithVacancy(unique("Prefetch gone"));
        long present = candidate("Here", email("prefetch-here"));
        GH.apply(present, job);
        long other = candidate("There", email("prefetch-there"));
        long gone = 987_654_321L;
        InboxEvent presentEvent = event(1, "update_candidate", payloads.updateCandidate(present));
        InboxEvent otherEvent = event(2, "update_candidate", payloads.updateCandidate(other));
        InboxEvent goneEvent = event(3, "update_candidate", "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + gone + "}}}");
        InboxEvent deleteEvent = event(4, "delete_candidate", payloads.deleteCandidate(present));
        InboxEvent badIdEvent = event(5, "update_candidate", "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":\"x\"}}}");

        Map<Long, Object> state = prefetch.attach(List.of(presentEvent, otherEvent, goneEvent, deleteEvent, badIdEvent));

        assertThat(state.get(1L)).isInstanceOfSatisfying(CandidateData.class, d -> {
            assertThat(d.id()).isEqualTo(present);
            assertThat(d.applications()).hasSize(1);
        });
        assertThat(state.get(2L)).isInstanceOfSatisfying(CandidateData.class, d -> assertThat(d.id()).isEqualTo(other));
        assertThat(state).containsEntry(3L, new CandidatePrefetch.Gone(gone)); // Greenhouse has no such candidate
        assertThat(state).doesNotContainKeys(4L, 5L);           // not prefetched: they read nothing, or fail on their own
        assertThat(prefetch.attach(List.of(presentEvent))).isEmpty(); // one candidate due: it reads itself
    }

    /** The prefetch reads the candidate each branch of the candidate route syncs, at the same payload path. */
    @Test
    void thePrefetchReadsTheCandidatesTheRouteSyncs() {
        ChoiceDefinition choice = (ChoiceDefinition) RouteModel.step(camel, "greenhouse-candidate-event", "dispatch-by-action").definition();
        Map<String, String> routed = new TreeMap<>();
        for (WhenDefinition when : choice.getWhenClauses()) {
            boolean syncs = when.getOutputs().stream().anyMatch(o -> o instanceof ToDefinition to && to.getUri().equals("direct:candidate-sync"));
            if (!syncs) {
                continue;
            }
            String path = when.getOutputs().stream().filter(o -> o instanceof SetHeaderDefinition).map(o -> ((SetHeaderDefinition) o).getExpression())
                    .map(e -> (e instanceof MethodCallExpression m ? m.getMethod() : e.getExpression()).replaceAll(".*'([^']+)'.*", "$1")).findFirst().orElseThrow();
            Matcher actions = Pattern.compile("[a-z_]{4,}").matcher(when.getExpression().getExpression().replaceAll("\\$\\{[^}]*}", ""));
            while (actions.find()) {
                routed.put(actions.group(), path);
            }
        }
        assertThat(routed).isEqualTo(new TreeMap<>(CandidatePrefetch.SYNCED_CANDIDATE));
    }

    private static InboxEvent event(long id, String action, String payload) {
        return new InboxEvent(id, null, action, null, null, payload, 1, Instant.now());
    }
}
