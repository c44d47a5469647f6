package io.greenbridge.inbox;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.Sha256Signature;
import io.greenbridge.web.ApiError;
import io.micrometer.core.instrument.MeterRegistry;
import io.greenbridge.support.Hashes;

/**
 * Verifies, parses and stores one Greenhouse webhook delivery. The signature is checked over the raw bytes
 * before anything is parsed; the event is in the inbox before the answer is written.
 */
@Component
public class WebhookIntake {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookIntake.class);

    private final InboxStore inbox;
    private final String secret;
    private final ObjectMapper json = new ObjectMapper();
    private final MeterRegistry metrics;

    public WebhookIntake(InboxStore inbox, GreenbridgeProperties props, MeterRegistry metrics) {
        this.inbox = inbox;
        this.secret = props.greenhouse().webhookSecret();
        this.metrics = metrics;
    }

    public void handle(Exchange exchange) {
        byte[] raw = exchange.getMessage().getBody(byte[].class);
        if (raw == null) {
            raw = new byte[0];
        }
        String eventId = exchange.getMessage().getHeader("Greenhouse-Event-ID", String.class);
        String signature = exchange.getMessage().getHeader("Signature", String.class);
        if (!Sha256Signature.verify(raw, signature, secret)) {
            LOG.warn("Security: rejected a Greenhouse webhook with a {} signature (event id {})",
                    signature == null ? "missing" : "wrong", eventId);
            answer(exchange, "rejected", 401, ApiError.json("invalid_signature",
                    "The Signature header must be 'sha256 <hex HMAC-SHA256 of the body>' with the webhook's secret key."));
            return;
        }
        JsonNode body;
        try {
            body = json.readTree(raw);
        } catch (java.io.IOException e) {
            answer(exchange, "malformed", 400, ApiError.json("malformed_json", "The body is not valid JSON."));
            return;
        }
        if (body == null || !body.isObject() || !body.path("action").isTextual()) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field",
                    "The body must be a JSON object with a string 'action' and a 'payload' object."));
            return;
        }
        String action = body.path("action").asText();
        JsonNode payload = body.path("payload");
        boolean handled = GreenhouseEvents.HANDLED.contains(action);
        if (handled && !payload.isObject()) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field", "'payload' must be an object."));
            return;
        }
        GreenhouseEvents.Subject subject = GreenhouseEvents.subject(action, payload.isObject() ? payload : json.createObjectNode());
        if (handled && subject.entityId() == null) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field",
                    "The '" + action + "' payload has no entity id (application, candidate, person or job id)."));
            return;
        }
        // Greenhouse may give a redelivery a new event id: the same action on the same entity at the same
        // time (or, lacking a timestamp, the same bytes) is the same event.
        String contentKey = "content:" + action + ":" + subject.entityId() + ":"
                + (subject.timestamp() != null ? subject.timestamp() : Hashes.sha256Hex(raw));
        InboxStore.Acceptance result = inbox.accept(eventId, contentKey, action, subject.entityId(),
                subject.partitionKey(), new String(raw, StandardCharsets.UTF_8), !handled);
        LOG.info("Greenhouse webhook {} event id {} entity {}: {}", action, eventId, subject.entityId(), result);
        answer(exchange, result.name().toLowerCase(), 200,
                "{\"status\":\"" + result.name().toLowerCase() + "\"}");
    }

    private void answer(Exchange exchange, String outcome, int status, String body) {
        metrics.counter("greenbridge.webhooks.received", "outcome", outcome).increment();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
