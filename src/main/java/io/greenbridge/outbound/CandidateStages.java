package io.greenbridge.outbound;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.store.LinkStore;

/**
 * The steps of route stage-moves (routes/contacts-outbound.yaml): {@code POST /v3/applications/{id}/move} takes
 * {@code from_stage_id} = the application's current application-stage id ({@code stage_id}) and {@code to_stage_id}
 * = the target job interview stage id (the vacancy's gh-stage-&lt;id&gt;). Header moveAction: none, lookup (the
 * application has no stage_id: its current /v3/application_stages record decides) or move.
 */
@Component("candidateStages")
public class CandidateStages {
    private static final String ACTION = "moveAction";
    private static final String APPLICATION_ID = "applicationId";
    private static final String TARGET = "targetStageId";
    private static final String FROM = "fromStageId";
    private static final ObjectMapper JSON = new ObjectMapper();
    private final LinkStore links;

    public CandidateStages(LinkStore links) {
        this.links = links;
    }

    /** Step: the moves due: applications linked in Greenhouse whose Beamery stage mirrors a Greenhouse stage. */
    public List<JsonNode> due(Exchange exchange) {
        String contactId = exchange.getMessage().getHeader(GreenhousePush.CONTACT_ID, String.class);
        List<JsonNode> due = new ArrayList<>();
        CandidateUpdates.changes(exchange).stageMoves().forEach((vacancyId, application) -> {
            if (application.path("initial_stage_id").isNumber()) { // a Beamery-only stage has nowhere to move to
                links.byBeameryId("application", contactId + "/" + vacancyId).ifPresent(link -> due.add(JSON.createObjectNode()
                        .put("applicationId", link.greenhouseId()).put("target", application.get("initial_stage_id").asLong())));
            }
        });
        return due;
    }

    /** Step: headers id / applicationId (for harvest:find and the move path) and targetStageId. */
    public void target(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode move = in.getBody(JsonNode.class);
        in.setHeader("id", move.path("applicationId").asText());
        in.setHeader(APPLICATION_ID, move.path("applicationId").asText());
        in.setHeader(TARGET, move.path("target").asLong());
        in.removeHeader(FROM);
    }

    /** Step: the application as Greenhouse has it now (body, null when gone): what, if anything, to move. */
    public void from(Exchange exchange) {
        Message in = exchange.getMessage();
        JsonNode application = in.getBody(JsonNode.class);
        if (application == null || application.path("job_interview_stage_id").asLong() == in.getHeader(TARGET, Long.class)) {
            in.setHeader(ACTION, "none"); // gone, or already there
        } else if (application.path("stage_id").canConvertToLong() && application.path("stage_id").asLong() > 0) {
            in.setHeader(FROM, application.get("stage_id").asLong());
            in.setHeader(ACTION, "move");
        } else {
            in.setHeader(ACTION, "lookup");
        }
    }

    /** Step: the application's current application stage (body: a streaming iterator); none: rejected, hired or a prospect. */
    public void current(Exchange exchange) {
        Iterator<?> stages = exchange.getMessage().getBody(Iterator.class);
        Message in = exchange.getMessage();
        in.setHeader(ACTION, "none");
        if (stages != null && stages.hasNext()) {
            CandidateCreates.candidateId((JsonNode) stages.next()).ifPresent(id -> {
                in.setHeader(FROM, id);
                in.setHeader(ACTION, "move");
            });
        }
    }

    /** Step: the input of mappings/application-move.jsonata. */
    public JsonNode input(Exchange exchange) {
        Message in = exchange.getMessage();
        return JSON.createObjectNode().put("from", in.getHeader(FROM, Long.class)).put("to", in.getHeader(TARGET, Long.class));
    }
}
