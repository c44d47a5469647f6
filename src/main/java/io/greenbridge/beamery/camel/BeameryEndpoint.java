package io.greenbridge.beamery.camel;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.routes.JsonBodies;
import io.greenbridge.routes.PathTemplate;

/** One static Beamery call ({@link BeameryComponent}); per-message values come from headers, never from the URI. */
public class BeameryEndpoint extends DefaultEndpoint {
    public enum Operation {
        LIST, CALL;

        static Operation of(String name) {
            try {
                return valueOf(name.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("beamery:" + name + " is not an operation; use list or call");
            }
        }
    }

    private static final Pattern DASHED = Pattern.compile("-([a-z])");
    private final BeameryClient client;
    private final Operation operation;
    private final Map<String, String> query;
    private String resource;
    private String key;
    private String path;
    private String method = "GET";
    private boolean absentOn404;
    private boolean stream;

    BeameryEndpoint(String uri, BeameryComponent component, BeameryClient client, Operation operation,
                    Map<String, String> query) {
        super(uri, component);
        this.client = client;
        this.operation = operation;
        this.query = query;
    }

    void validate() {
        if (operation == Operation.LIST && (resource == null || resource.isBlank())) {
            throw new IllegalArgumentException("beamery:list needs resource");
        }
        if (operation == Operation.CALL) {
            if (path == null || !path.startsWith("/")) {
                throw new IllegalArgumentException("beamery:call needs a path starting with /");
            }
            if (!method.matches("GET|POST|PATCH|PUT|DELETE")) {
                throw new IllegalArgumentException("beamery:call method must be GET, POST, PATCH, PUT or DELETE, not " + method);
            }
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
        if (operation == Operation.LIST) {
            var records = client.list("/" + PathTemplate.expand(resource, in, uri), arrayKey(),
                    PathTemplate.values(query, in, uri));
            return stream ? records.iterator() : records.toList();
        }
        String p = PathTemplate.expand(path, in, uri);
        // a GET or DELETE sends no body: whatever the message carries (an id, a list) is not read
        JsonNode body = method.equals("GET") || method.equals("DELETE") ? null : JsonBodies.of(in.getBody(), uri);
        return switch (method) {
            case "POST" -> client.post(p, body);
            case "PATCH" -> client.patch(p, body);
            case "PUT" -> client.put(p, body);
            case "DELETE" -> {
                client.delete(p);
                yield null;
            }
            default -> absentOn404 ? client.find(p).orElse(null) : client.get(p);
        };
    }

    private String arrayKey() {
        if (key != null && !key.isBlank()) {
            return key;
        }
        Matcher m = DASHED.matcher(resource);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, m.group(1).toUpperCase(Locale.ROOT));
        }
        return m.appendTail(out).toString();
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("beamery: endpoints only send; Beamery changes are polled");
    }

    public void setResource(String resource) { this.resource = resource; }
    public String getResource() { return resource; }
    public void setKey(String key) { this.key = key; }
    public String getKey() { return key; }
    public void setPath(String path) { this.path = path; }
    public String getPath() { return path; }
    public void setMethod(String method) { this.method = method.toUpperCase(Locale.ROOT); }
    public String getMethod() { return method; }
    public void setAbsentOn404(boolean absentOn404) { this.absentOn404 = absentOn404; }
    public boolean isAbsentOn404() { return absentOn404; }
    public void setStream(boolean stream) { this.stream = stream; }
    public boolean isStream() { return stream; }
}
