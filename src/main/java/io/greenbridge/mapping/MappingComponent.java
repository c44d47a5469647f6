package io.greenbridge.mapping;

import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.DefaultProducer;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.routes.JsonBodies;

/**
 * {@code mapping:<name>} — runs {@code mappings/<name>.jsonata} (GREENBRIDGE_MAPPINGS_DIR) on the body through
 * {@link JsonataMappings}, so an edited file applies to the next message without a restart. The result (a
 * JsonNode) becomes the body. A Map in the exchange property {@value #BINDINGS} is bound as {@code $variables}.
 */
@Component("mapping")
public class MappingComponent extends DefaultComponent {
    /** Exchange property with the mapping's $variables (name → value). */
    public static final String BINDINGS = "mappingBindings";
    private final JsonataMappings mappings;

    public MappingComponent(JsonataMappings mappings) {
        this.mappings = mappings;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!remaining.matches("[a-z0-9][a-z0-9-]*")) {
            throw new IllegalArgumentException("mapping:" + remaining + " — a mapping name is lower-case letters, digits and dashes");
        }
        Endpoint endpoint = new MappingEndpoint(uri, this, remaining);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    final class MappingEndpoint extends DefaultEndpoint {
        private final String name;

        MappingEndpoint(String uri, MappingComponent component, String name) {
            super(uri, component);
            this.name = name;
        }

        @Override
        public Producer createProducer() {
            return new DefaultProducer(this) {
                @Override
                public void process(Exchange exchange) {
                    JsonNode input = JsonBodies.of(exchange.getMessage().getBody(), getEndpointUri());
                    Map<String, Object> bindings = new LinkedHashMap<>();
                    if (exchange.getProperty(BINDINGS) instanceof Map<?, ?> given) {
                        given.forEach((k, v) -> bindings.put(String.valueOf(k), v));
                    }
                    exchange.getMessage().setBody(mappings.apply(name, input, bindings));
                }
            };
        }

        @Override
        public Consumer createConsumer(Processor processor) {
            throw new UnsupportedOperationException("mapping: endpoints only transform");
        }
    }
}
