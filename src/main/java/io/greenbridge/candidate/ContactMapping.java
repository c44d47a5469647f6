package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.InvalidPayloadException;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.greenbridge.mapping.MappingComponent;
import io.greenbridge.support.Hashes;

/**
 * The steps around {@code mapping:contact-inbound} (mappings/contact-inbound.jsonata): {@code mapping-input} builds
 * its input from the loaded candidate with the lookups it needs as bindings (and notes which jobs have no Beamery
 * vacancy yet); {@code mapped-contact} reads its output into the exchange property {@value #MAPPED}.
 */
@Component("contactMapping")
public class ContactMapping {
    /** Exchange property with the {@link Mapped} candidate. */
    public static final String MAPPED = "mapped";
    private static final String MISSING_JOBS = "jobsWithoutVacancy";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ReferenceLookup reference;

    public ContactMapping(ReferenceLookup reference) {
        this.reference = reference;
    }

    /**
     * @param contact the contact fields (what every write sends), @param onCreate fields sent only on creation,
     * @param vacancies {applicationId, jobId, vacancyId, stageId, stageName, rejectionReason} per linked job,
     * @param jobsWithoutVacancy job ids whose vacancy does not exist yet, @param hash of {@code contact}
     */
    public record Mapped(ObjectNode contact, ObjectNode onCreate, List<JsonNode> vacancies,
                         List<String> jobsWithoutVacancy, String hash) {
        /** The create body: the contact fields and the creation-only ones. */
        public ObjectNode createBody() {
            ObjectNode body = contact.deepCopy();
            body.setAll(onCreate);
            return body;
        }
    }

    /** Step {@code mapping-input}: the mapping's input {candidate, applications} and its $variables. */
    public ObjectNode input(Exchange exchange) {
        CandidateData data = exchange.getProperty(CandidateLoader.CANDIDATE, CandidateData.class);
        ObjectNode input = JSON.createObjectNode();
        input.set("candidate", data.candidate());
        input.putArray("applications").addAll(data.applications());

        Map<String, Object> vacancies = new LinkedHashMap<>();
        Map<String, Object> reasons = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        for (JsonNode app : data.applications()) {
            if (app.hasNonNull("job_id")) {
                String job = app.get("job_id").asText();
                reference.vacancyOf(app.get("job_id")).ifPresentOrElse(v -> vacancies.put(job, v), () -> missing.add(job));
            }
            if ("rejected".equals(app.path("status").asText())) {
                reference.name("rejection_reason", app.path("rejection_reason_id"))
                        .ifPresent(n -> reasons.put(app.get("rejection_reason_id").asText(), n));
            }
        }
        List<JsonNode> byAge = data.applications().stream()
                .sorted(Comparator.comparing((JsonNode a) -> a.path("created_at").asText()).thenComparing(a -> a.path("id").asLong()))
                .toList();
        Map<String, Object> bindings = new LinkedHashMap<>();
        bindings.put("vacancies", vacancies);
        bindings.put("rejectionReasons", reasons);
        bindings.put("source", byAge.stream().map(a -> reference.name("source", a.path("source_id")))
                .flatMap(Optional::stream).findFirst().orElse(null));
        bindings.put("owner", owner(byAge).orElse(null));

        exchange.setProperty(MappingComponent.BINDINGS, bindings);
        exchange.setProperty(MISSING_JOBS, missing);
        return input;
    }

    /** Step {@code mapped-contact}: the mapping's output, with the hash of the contact fields. */
    @SuppressWarnings("unchecked")
    public void result(Exchange exchange) throws InvalidPayloadException {
        JsonNode out = exchange.getMessage().getMandatoryBody(JsonNode.class);
        List<String> missing = exchange.getProperty(MISSING_JOBS, List.class);
        ObjectNode contact = out.path("contact") instanceof ObjectNode c ? c : JSON.createObjectNode();
        ObjectNode onCreate = out.path("onCreate") instanceof ObjectNode o ? o : JSON.createObjectNode();
        List<JsonNode> links = new ArrayList<>();
        out.path("vacancies").forEach(links::add);
        exchange.setProperty(MAPPED, new Mapped(contact, onCreate, links, missing, Hashes.sha256Hex(contact.toString())));
    }

    /** The recruiter of the newest active application (else of any application) as a Beamery user. */
    private Optional<String> owner(List<JsonNode> byAge) {
        List<JsonNode> newestFirst = new ArrayList<>(byAge);
        java.util.Collections.reverse(newestFirst);
        newestFirst.sort(Comparator.comparing(a -> "in_process".equals(a.path("status").asText()) ? 0 : 1));
        for (JsonNode app : newestFirst) {
            if (app.hasNonNull("recruiter_id")) {
                Optional<String> user = reference.beameryUser(app.get("recruiter_id"));
                if (user.isPresent()) {
                    return user;
                }
            }
        }
        return Optional.empty();
    }
}
