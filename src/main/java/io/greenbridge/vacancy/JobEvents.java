package io.greenbridge.vacancy;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.PermanentFailureException;

/**
 * Job webhooks from {@code direct:greenhouse-job-event} (routes/vacancy-sync.yaml): created, updated and approved
 * jobs are read fresh and written; a deleted job closes its vacancy; a deleted interview stage refreshes its job.
 */
@Component("jobEvents")
public class JobEvents {
    private static final Logger LOG = LoggerFactory.getLogger(JobEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private final VacancySync vacancies;

    public JobEvents(VacancySync vacancies) {
        this.vacancies = vacancies;
    }

    /** @return the outcome (created, updated, unchanged, skipped) */
    public String handle(@Body String body, @Header("GreenhouseAction") String action) {
        JsonNode payload;
        try {
            payload = JSON.readTree(body).path("payload");
        } catch (JsonProcessingException e) {
            throw new PermanentFailureException("job webhook body is not JSON");
        }
        String outcome = switch (action) {
            case "job_created", "job_updated", "job_approved" -> vacancies.syncJob(id(payload.path("job").path("id"), action));
            case "job_deleted" -> vacancies.jobDeleted(id(payload.path("job").path("id"), action));
            case "job_interview_stage_deleted" -> vacancies.syncJob(id(payload.path("job_interview_stage").path("job_id"), action));
            default -> "skipped";
        };
        LOG.debug("{}: vacancy {}", action, outcome);
        return outcome;
    }

    private static long id(JsonNode node, String action) {
        if (!node.canConvertToLong() && !(node.isTextual() && node.asText().matches("\\d+"))) {
            throw new PermanentFailureException(action + " webhook carries no job id");
        }
        return node.asLong();
    }
}
