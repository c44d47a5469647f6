package io.greenbridge.greenhouse.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;
import org.springframework.stereotype.Component;

import io.greenbridge.greenhouse.HarvestClient;

/**
 * {@code harvest:} — Harvest v3 calls declared in route files, all through the one {@link HarvestClient} (OAuth
 * token, the header-driven rate limiter, retries, error classification, metrics).
 * <ul>
 * <li>{@code harvest:list?resource=users} — every page of {@code GET /v3/users}; body: a List of records
 *     ({@code stream=true}: an Iterator for a streaming split). {@code query.<name>=<value|{header}>} adds filters.</li>
 * <li>{@code harvest:find?resource=jobs} — one record by the id in header {@code id} (v3 lists with {@code ids=});
 *     body: the record, or null when there is none.</li>
 * <li>{@code harvest:call?method=PATCH&path=/candidates/{id}} — a write; the body (JSON text, Map or JsonNode) is
 *     sent, the answer becomes the body. {@code {name}} parts of the path come from headers, percent-encoded.</li>
 * </ul>
 */
@Component("harvest")
public class HarvestComponent extends DefaultComponent {
    private final HarvestClient client;

    public HarvestComponent(HarvestClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, String> query = new LinkedHashMap<>();
        PropertiesHelper.extractProperties(parameters, "query.").forEach((k, v) -> query.put(k, String.valueOf(v)));
        HarvestEndpoint endpoint = new HarvestEndpoint(uri, this, client, HarvestEndpoint.Operation.of(remaining), query);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
