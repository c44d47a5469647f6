package io.greenbridge.beamery.camel;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.util.PropertiesHelper;
import org.springframework.stereotype.Component;

import io.greenbridge.beamery.BeameryClient;

/**
 * {@code beamery:} — Beamery calls declared in route files, all through the one {@link BeameryClient} (token,
 * the shared 40/s limiter, retries, error classification, metrics). Paths are relative to BEAMERY_API_URL.
 * <ul>
 * <li>{@code beamery:list?resource=sources} — every page of {@code GET /sources}; body: a List of records from the
 *     array named {@code key} (default: the resource in camelCase, {@code global-tags} → {@code globalTags}).
 *     {@code query.<name>=<value|{header}>} adds query parameters; {@code stream=true} gives an Iterator.</li>
 * <li>{@code beamery:call?method=POST&path=/source} — one call; the body (JSON text, Map or JsonNode, from a mapping
 *     step) is sent and the answer becomes the body. {@code {name}} parts of the path come from headers,
 *     percent-encoded. {@code absentOn404=true} (GET): a 404 gives a null body instead of an error.</li>
 * </ul>
 */
@Component("beamery")
public class BeameryComponent extends DefaultComponent {
    private final BeameryClient client;

    public BeameryComponent(BeameryClient client) {
        this.client = client;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        Map<String, String> query = new LinkedHashMap<>();
        PropertiesHelper.extractProperties(parameters, "query.").forEach((k, v) -> query.put(k, String.valueOf(v)));
        BeameryEndpoint endpoint = new BeameryEndpoint(uri, this, client, BeameryEndpoint.Operation.of(remaining), query);
        setProperties(endpoint, parameters);
        endpoint.validate();
        return endpoint;
    }
}
