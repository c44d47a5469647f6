package io.greenbridge.contract;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.support.RemoteCallException;

/**
 * Calls each read endpoint of {@link ReadContract#ALL} once for one record ({@code per_page=1} / {@code limit=1}) and
 * says per endpoint whether the answer has the shape the mappings read: {@code ok}, {@code missing_fields},
 * {@code empty} (nothing to compare: for Harvest often a {@code sub} that is not a Site Admin) or {@code error}.
 * Only GETs: it is safe against a customer's production tenant.
 */
@Component
public class ContractCheck {
    private static final Logger LOG = LoggerFactory.getLogger(ContractCheck.class);

    private final HarvestClient harvest;
    private final BeameryClient beamery;

    public ContractCheck(HarvestClient harvest, BeameryClient beamery) {
        this.harvest = harvest;
        this.beamery = beamery;
    }

    /** One endpoint's verdict; {@code message} never carries record data. */
    public record Result(String system, String endpoint, String status, List<String> missing, String message, String source) {
    }

    public List<Result> run() {
        List<Result> out = new ArrayList<>();
        for (ReadContract c : ReadContract.ALL) {
            out.add(check(c));
        }
        long bad = out.stream().filter(r -> !r.status().equals("ok")).count();
        LOG.info("Contract check: {} endpoints, {} not ok", out.size(), bad);
        return out;
    }

    private Result check(ReadContract c) {
        String endpoint = "GET " + c.path();
        try {
            Optional<JsonNode> first = c.system().equals("greenhouse")
                    ? harvest.stream(c.path().substring("/v3/".length()), Map.of("per_page", "1")).findFirst()
                    : firstOf(beamery.get(c.path() + "?limit=1"), c.arrayKey());
            if (first.isEmpty()) {
                return new Result(c.system(), endpoint, "empty", List.of(), c.system().equals("greenhouse")
                        ? "no record to compare; Harvest lists answer empty when the acting user (sub) is not a Site Admin"
                        : "no record to compare", c.source());
            }
            List<String> missing = c.fields().stream().filter(f -> !first.get().has(f)).toList();
            return missing.isEmpty() ? new Result(c.system(), endpoint, "ok", List.of(), null, c.source())
                    : new Result(c.system(), endpoint, "missing_fields", missing,
                            "the record lacks " + String.join(", ", missing) + "; adjust the mapping that reads it", c.source());
        } catch (RemoteCallException e) {
            return new Result(c.system(), endpoint, "error", List.of(),
                    (e.status() == 0 ? "no response" : "HTTP " + e.status()) + (e.status() == 403
                            ? ": the credential lacks this endpoint's scope or permission" : e.status() == 404
                            ? ": the tenant has no such endpoint" : ""), c.source());
        } catch (RuntimeException e) {
            return new Result(c.system(), endpoint, "error", List.of(), e.getClass().getSimpleName(), c.source());
        }
    }

    /** The first record of a Beamery list answer: under its key, or (an older envelope) {@code data}, or a bare array. */
    private static Optional<JsonNode> firstOf(JsonNode answer, String key) {
        JsonNode list = answer.path(key).isArray() ? answer.get(key)
                : answer.path("data").isArray() ? answer.get("data") : answer;
        return list.isArray() && !list.isEmpty() ? Optional.of(list.get(0)) : Optional.empty();
    }

    /** The answer of the endpoint: every result, and whether all are ok. */
    public static Map<String, Object> report(List<Result> results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", results.stream().allMatch(r -> r.status().equals("ok")));
        m.put("results", results);
        return m;
    }
}
