package io.greenbridge.reference;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.UUID;

import javax.management.ObjectName;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.sandbox.GreenhouseStore;
import io.greenbridge.sandbox.SandboxTest;

/** Users, sources, departments and cached reference tables from Greenhouse, over HTTP against both simulators. */
class ReferenceSyncTest extends SandboxTest {
    @Autowired
    ReferenceStatus referenceStatus;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final GreenhouseStore gh = GREENHOUSE.store();
    @Autowired
    BeameryClient beamery;

    @Test
    void usersMatchByEmailAndUnmatchedUsersAreReportedByIdOnly() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long matched = gh.addUser("Rae", "Recruiter", "rae." + tag + "@acme.example");
        String beameryRae = BEAMERY.addUser("Rae." + tag + "@ACME.example", "Rae", "Recruiter", "recruiter");
        String lonelyEmail = "lonely." + tag + "@acme.example";
        long lonely = gh.addUser("Lee", "Lonely", lonelyEmail);
        ListAppender<ILoggingEvent> logs = capture();

        JsonNode summary = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());

        assertThat(summary.path("status").asText()).isEqualTo("succeeded");
        assertThat(summary.path("skipped").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT beamery_id FROM record_links WHERE kind = 'user' AND greenhouse_id = ?",
                String.class, String.valueOf(matched))).isEqualTo(beameryRae);

        String status = admin("GET", "/api/status", null).body();
        JsonNode reference = JSON.readTree(status).path("reference");
        assertThat(reference.path("unmatchedUsers").toString()).contains("\"" + lonely + "\"")
                .doesNotContain("\"" + matched + "\"");
        assertThat(status).doesNotContain(lonelyEmail);

        // other test contexts in this JVM register the same name; take it back for this context
        referenceStatus.afterSingletonsInstantiated();
        String[] jmx = (String[]) ManagementFactory.getPlatformMBeanServer()
                .getAttribute(new ObjectName("io.greenbridge:type=Reference"), "UnmatchedUserIds");
        assertThat(jmx).contains(String.valueOf(lonely));

        List<String> warnings = logs.list.stream().filter(e -> e.getLevel().toString().equals("WARN"))
                .map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).anySatisfy(w -> assertThat(w).contains(String.valueOf(lonely)));
        assertThat(warnings).noneSatisfy(w -> assertThat(w).contains(lonelyEmail));

        // once a Beamery user with the email exists, the next run matches and stops reporting the user
        BEAMERY.addUser(lonelyEmail, "Lee", "Lonely", "recruiter");
        admin("POST", "/api/sync/reference?wait=true", null);
        assertThat(JSON.readTree(admin("GET", "/api/status", null).body()).path("reference").path("unmatchedUsers").toString())
                .doesNotContain("\"" + lonely + "\"");
    }

    @Test
    void sourcesAndDepartmentsAreCreatedInBeameryAndSmallTablesAreCached() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        long source = gh.addSource("Meetup " + tag, "Attend events");
        gh.addDepartment("Research " + tag);
        // a department that already exists in Beamery under the same name is linked, not created twice
        beamery.createDepartment("Finance " + tag, null); // as a Beamery admin would
        long finance = gh.addDepartment("Finance " + tag);
        long office = gh.addOffice("Lisbon " + tag, "Lisbon, Portugal");
        long reason = gh.addRejectionReason("Salary expectations " + tag, "THEY_REJECTED_US");

        JsonNode first = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());
        assertThat(first.path("created").asInt()).isGreaterThanOrEqualTo(2); // Meetup, Research
        assertThat(first.path("updated").asInt()).isGreaterThanOrEqualTo(1); // Finance: linked to Beamery's own
        assertThat(BEAMERY.sources()).anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("Meetup " + tag));
        assertThat(BEAMERY.departments()).extracting(d -> d.path("name").asText())
                .containsOnlyOnce("Research " + tag, "Finance " + tag);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_links WHERE kind = 'department' AND greenhouse_id = ?",
                Integer.class, String.valueOf(finance))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM record_links WHERE kind = 'source' AND greenhouse_id = ?",
                Integer.class, String.valueOf(source))).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT name FROM reference_cache WHERE kind = 'office' AND ref_id = ?",
                String.class, String.valueOf(office))).isEqualTo("Lisbon " + tag);
        assertThat(jdbc.queryForObject("SELECT name FROM reference_cache WHERE kind = 'rejection_reason' AND ref_id = ?",
                String.class, String.valueOf(reason))).isEqualTo("Salary expectations " + tag);

        // a second run writes nothing new to Beamery; a renamed source is linked under its new name
        int sourcesBefore = BEAMERY.sources().size();
        gh.update("sources", source, s -> s.put("name", "Meetups " + tag));
        JsonNode second = JSON.readTree(admin("POST", "/api/sync/reference?wait=true", null).body());
        assertThat(second.path("unchanged").asInt()).isGreaterThanOrEqualTo(2); // Research, Finance
        assertThat(BEAMERY.sources()).hasSize(sourcesBefore + 1)
                .anySatisfy(s -> assertThat(s.path("name").asText()).isEqualTo("Meetups " + tag));
    }

    private static ListAppender<ILoggingEvent> capture() {
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        ((Logger) LoggerFactory.getLogger(UnmatchedUsers.class)).addAppender(appender);
        return appender;
    }
}
