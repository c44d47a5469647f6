package io.greenbridge.vacancy;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.support.PermanentFailureException;

/**
 * Route step {@code bean: jobEvents} of routes/vacancy-sync.yaml: a job webhook from {@code direct:greenhouse-job-event}
 * → header {@value VacancyLinks#JOB_ID} and header {@value #ACTION}: {@code write} (created, updated, approved: the job
 * read fresh and written; a deleted interview stage refreshes its job), {@code close} (a deleted job; the close
 * route honours greenbridge.vacancies.deleted-job-action), or {@code skip}. Options as for a scheduled run.
 */
@Component("jobEvents")
public class JobEvents {
    public static final String ACTION = "jobAction";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final VacancySync vacancies;

    public JobEvents(VacancySync vacancies) {
        this.vacancies = vacancies;
    }

    /** Step {@code read-job-event}. */
    public void read(Exchange exchange) {
        String action = exchange.getMessage().getHeader("GreenhouseAction", String.class);
        JsonNode payload;
        try {
            payload = JSON.readTree(exchange.getMessage().getBody(String.class)).path("payload");
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new PermanentFailureException("job webhook body is not JSON");
        }
        String what = action == null ? "skip" : switch (action) {
            case "job_created", "job_updated", "job_approved", "job_interview_stage_deleted" -> "write";
            case "job_deleted" -> "close";
            default -> "skip";
        };
        if (!"skip".equals(what)) {
            JsonNode id = "job_interview_stage_deleted".equals(action)
                    ? payload.path("job_interview_stage").path("job_id") : payload.path("job").path("id");
            exchange.getMessage().setHeader(VacancyLinks.JOB_ID, String.valueOf(id(id, action)));
            exchange.getMessage().setHeader("id", String.valueOf(id(id, action)));
        }
        exchange.getMessage().setHeader(ACTION, what);
        exchange.setProperty(VacancyRun.OPTIONS, vacancies.defaults());
    }

    private static long id(JsonNode node, String action) {
        if (!node.canConvertToLong() && !(node.isTextual() && node.asText().matches("\\d+"))) {
            throw new PermanentFailureException(action + " webhook carries no job id");
        }
        return node.asLong();
    }
}
