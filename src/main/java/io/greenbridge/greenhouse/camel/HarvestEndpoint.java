package io.greenbridge.greenhouse.camel;

import java.util.Locale;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.greenhouse.HarvestClient;
import io.greenbridge.routes.JsonBodies;
import io.greenbridge.routes.PathTemplate;

/** One static Harvest call ({@link HarvestComponent}); per-message values come from headers, never from the URI. */
public class HarvestEndpoint extends DefaultEndpoint {
    public enum Operation {
        LIST, FIND, CALL;

        static Operation of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("harvest:" + name + " is not an operation; use list, find or call");
            }
        }
    }

    private final HarvestClient client;
    private final Operation operation;
    private final Map<String, String> query;
    private String resource;
    private String path;
    private String method = "POST";
    private boolean stream;

    HarvestEndpoint(String uri, HarvestComponent component, HarvestClient client, Operation operation,
                    Map<String, String> query) {
        super(uri, component);
        this.client = client;
        this.operation = operation;
        this.query = query;
    }

    void validate() {
        switch (operation) {
            case LIST, FIND -> require(resource, "resource");
            case CALL -> {
                require(path, "path");
                if (!method.matches("POST|PATCH|PUT|DELETE")) {
                    throw new IllegalArgumentException("harvest:call method must be POST, PATCH, PUT or DELETE, not " + method);
                }
            }
        }
    }

    private void require(String value, String option) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("harvest:" + operation.name().toLowerCase(Locale.ROOT) + " needs " + option);
        }
    }

    @Override
    public Producer createProducer() {
        return new DefaultProducer(this) {
            @Override
            public void process(Exchange exchange) {
                Message in = exchange.getMessage();
                in.setBody(call(in));
            }
        };
    }

    private Object call(Message in) {
        String uri = getEndpointUri();
        return switch (operation) {
            case LIST -> {
                var records = client.stream(PathTemplate.expand(resource, in, uri), PathTemplate.values(query, in, uri));
                yield stream ? records.iterator() : records.toList();
            }
            case FIND -> client.findById(resource, PathTemplate.header("id", in, uri)).orElse(null);
            case CALL -> {
                String p = PathTemplate.expand(path, in, uri);
                JsonNode body = JsonBodies.of(in.getBody(), uri);
                yield switch (method) {
                    case "PATCH" -> client.patch(p, body);
                    case "PUT" -> client.put(p, body);
                    case "DELETE" -> client.delete(p);
                    default -> client.post(p, body);
                };
            }
        };
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("harvest: endpoints only send; Greenhouse events arrive as webhooks");
    }

    public void setResource(String resource) { this.resource = resource; }
    public String getResource() { return resource; }
    public void setPath(String path) { this.path = path; }
    public String getPath() { return path; }
    public void setMethod(String method) { this.method = method.toUpperCase(Locale.ROOT); }
    public String getMethod() { return method; }
    public void setStream(boolean stream) { this.stream = stream; }
    public boolean isStream() { return stream; }
}
