package io.greenbridge.candidate;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.store.LinkStore;
import io.greenbridge.support.Hashes;
import io.greenbridge.support.RemoteCallException;

/**
 * The vacancy steps of routes/contacts-inbound.yaml: one PUT per application on a job with a vacancy when its stage
 * or rejection reason changed (link kind {@value #KIND}: application id → {@code <contactId>/<vacancyId>} with the
 * hash of the body sent), and {@code candidate_pending_jobs}: jobs without a vacancy yet, or whose link Beamery
 * refused, which the reconciliation syncs again once the vacancy exists.
 */
@Component("applicationVacancyLinks")
public class ApplicationVacancyLinks {
    static final String KIND = "application";
    /** Exchange property: Beamery's answers to this sync's vacancy PUTs (a list shared by the split's parts). */
    public static final String WRITTEN = "vacancyLinksWritten";
    private static final String REFUSED = "vacancyLinksRefused";
    private static final String ENTRY = "vacancyLink";
    private static final String HASH = "vacancyLinkHash";
    private static final Logger LOG = LoggerFactory.getLogger(ApplicationVacancyLinks.class);

    private final LinkStore links;
    private final JdbcTemplate jdbc;

    public ApplicationVacancyLinks(LinkStore links, DataSource dataSource) {
        this.links = links;
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Step {@code vacancy-links}: the mapped vacancy links to go through, with fresh lists for what they do. */
    public List<JsonNode> all(Exchange exchange) {
        exchange.setProperty(WRITTEN, new ArrayList<JsonNode>());
        exchange.setProperty(REFUSED, new ArrayList<String>());
        return exchange.getProperty(ContactMapping.MAPPED, ContactMapping.Mapped.class).vacancies();
    }

    /** Step {@code vacancy-target}: header vacancyId for the PUT's path; the link entry kept for the steps after. */
    public void target(Exchange exchange) {
        JsonNode entry = exchange.getMessage().getBody(JsonNode.class);
        exchange.setProperty(ENTRY, entry);
        exchange.getMessage().setHeader("vacancyId", entry.path("vacancyId").asText());
    }

    /** Filter {@code vacancy-link-changed}: the body is the PUT body; unchanged, or hired with no stage left: no write. */
    public boolean changed(Exchange exchange) {
        JsonNode body = exchange.getMessage().getBody(JsonNode.class);
        JsonNode entry = exchange.getProperty(ENTRY, JsonNode.class);
        String hash = Hashes.sha256Hex(body.toString());
        exchange.setProperty(HASH, hash);
        Optional<LinkStore.Link> known = links.byGreenhouseId(KIND, entry.path("applicationId").asText());
        return !(known.isPresent() && target(exchange, entry).equals(known.get().beameryId())
                && (hash.equals(known.get().contentHash()) || body.path("stageId").isNull()));
    }

    /** Step {@code link-vacancy}: after the PUT (body: Beamery's answer). */
    @SuppressWarnings("unchecked")
    public void linked(Exchange exchange) {
        JsonNode entry = exchange.getProperty(ENTRY, JsonNode.class);
        links.put(KIND, entry.path("applicationId").asText(), target(exchange, entry), exchange.getProperty(HASH, String.class));
        JsonNode answer = exchange.getMessage().getBody(JsonNode.class);
        exchange.getProperty(WRITTEN, List.class).add(answer == null ? entry : answer);
    }

    /** Step {@code vacancy-link-refused}: e.g. the vacancy has no such stage yet; the vacancy sync adds it. */
    @SuppressWarnings("unchecked")
    public void refused(Exchange exchange) {
        JsonNode entry = exchange.getProperty(ENTRY, JsonNode.class);
        RemoteCallException e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, RemoteCallException.class);
        LOG.warn("Candidate {}: vacancy link {} refused ({}); retried by reconciliation", id(exchange),
                target(exchange, entry), e == null ? "?" : e.status());
        exchange.getProperty(REFUSED, List.class).add(entry.path("jobId").asText());
    }

    /** Step {@code note-pending-jobs}: the candidate waits for exactly these jobs now. */
    @SuppressWarnings("unchecked")
    public void pendingJobs(Exchange exchange) {
        String ghId = id(exchange);
        jdbc.update("DELETE FROM candidate_pending_jobs WHERE greenhouse_id = ?", ghId);
        List<String> jobs = new ArrayList<>(exchange.getProperty(ContactMapping.MAPPED, ContactMapping.Mapped.class).jobsWithoutVacancy());
        jobs.addAll(exchange.getProperty(REFUSED, List.class));
        for (String job : jobs) {
            try {
                jdbc.update("INSERT INTO candidate_pending_jobs (greenhouse_id, job_id, noted_at) VALUES (?,?,?)",
                        ghId, job, Timestamp.from(Instant.now()));
            } catch (DuplicateKeyException e) {
                // already waiting for that job
            }
        }
    }

    private static String target(Exchange exchange, JsonNode entry) {
        return exchange.getMessage().getHeader(CandidateSync.CONTACT_ID, String.class) + "/" + entry.path("vacancyId").asText();
    }

    private static String id(Exchange exchange) {
        Message m = exchange.getMessage();
        return m.getHeader(CandidateSync.CANDIDATE_ID, String.class);
    }
}
