package io.greenbridge.inbox;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.support.LogSafe;
import io.greenbridge.support.Sha256Signature;
import io.greenbridge.web.ApiError;
import io.micrometer.core.instrument.Counter;
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
    // one counter per outcome, looked up once: a registry lookup per delivery is measurable on this path
    private final Map<String, Counter> received = new ConcurrentHashMap<>();
    static final int MAX_PING_BYTES = 16 * 1024;
    static final int MAX_ACTION = 100;
    static final int MAX_EVENT_ID = 200;

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
        if ((signature == null || signature.isBlank()) && isPing(raw)) {
            // saving a web hook pings it, maybe unsigned; anything but 200 disables it. No effect, nothing stored.
            LOG.info("Greenhouse webhook ping (unsigned) answered 200");
            answer(exchange, "ping", 200, "{\"status\":\"pong\"}");
            return;
        }
        if (!Sha256Signature.verify(raw, signature, secret)) {
            LOG.warn("Security: rejected a Greenhouse webhook with a {} signature (event id {})",
                    signature == null ? "missing" : "wrong", LogSafe.value(eventId));
            answer(exchange, "rejected", 401, ApiError.json("invalid_signature",
                    "The Signature header must be 'sha256 <hex HMAC-SHA256 of the body>' with the webhook's secret key."));
            return;
        }
        if (eventId != null && eventId.length() > MAX_EVENT_ID) {
            answer(exchange, "malformed", 400, ApiError.json("invalid_header",
                    "Greenhouse-Event-ID must be at most " + MAX_EVENT_ID + " characters."));
            return;
        }
        JsonNode body;
        try {
            // bytes straight to Jackson: JSON is UTF-8 (RFC 8259), so a body that is not is malformed
            body = json.readTree(raw);
        } catch (java.io.IOException e) {
            answer(exchange, "malformed", 400, ApiError.json("malformed_json", "The body is not valid JSON (UTF-8)."));
            return;
        }
        if (body == null || !body.isObject() || !body.path("action").isTextual()) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field",
                    "The body must be a JSON object with a string 'action' and a 'payload' object."));
            return;
        }
        String action = body.path("action").asText();
        if (action.isEmpty() || action.length() > MAX_ACTION) {
            answer(exchange, "malformed", 400, ApiError.json("invalid_field",
                    "'action' must be 1 to " + MAX_ACTION + " characters."));
            return;
        }
        JsonNode payload = body.path("payload");
        boolean handled = GreenhouseEvents.HANDLED.contains(action);
        if (handled && !payload.isObject()) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field", "'payload' must be an object."));
            return;
        }
        if (payload.isObject()) {
            java.util.Optional<String> badId = GreenhouseEvents.invalidId(payload);
            if (badId.isPresent()) {
                answer(exchange, "malformed", 400, ApiError.json("invalid_id",
                        "payload." + badId.get() + " must be a positive integer (a Greenhouse id)."));
                return;
            }
        }
        GreenhouseEvents.Subject subject = GreenhouseEvents.subject(action, payload.isObject() ? payload : json.createObjectNode());
        if (handled && subject.entityId() == null) {
            answer(exchange, "malformed", 400, ApiError.json("missing_field",
                    "The '" + action + "' payload has no entity id (application, candidate, person or job id)."));
            return;
        }
        // Greenhouse may give a redelivery a new event id: the same action on the same entity at the same
        // time (or, lacking a timestamp, the same bytes) is the same event.
        String stamp = subject.timestamp() == null ? Hashes.sha256Hex(raw)
                : subject.timestamp().length() > 64 ? Hashes.sha256Hex(subject.timestamp()) : subject.timestamp();
        String contentKey = "content:" + action + ":" + subject.entityId() + ":" + stamp;
        InboxStore.Acceptance result = inbox.accept(eventId, contentKey, action, subject.entityId(),
                subject.partitionKey(), new String(raw, StandardCharsets.UTF_8), !handled);
        LOG.info("Greenhouse webhook {} event id {} entity {}: {}", LogSafe.value(action), LogSafe.value(eventId),
                subject.entityId(), result);
        answer(exchange, result.name().toLowerCase(), 200,
                "{\"status\":\"" + result.name().toLowerCase() + "\"}");
    }

    /**
     * Greenhouse's ping on save is undocumented; what counts as one here: a small JSON object whose top-level
     * {@code action} is exactly {@code "ping"}.
     */
    boolean isPing(byte[] raw) {
        if (raw.length == 0 || raw.length > MAX_PING_BYTES) {
            return false;
        }
        try {
            JsonNode node = json.readTree(raw);
            return node != null && node.isObject() && "ping".equals(node.path("action").textValue());
        } catch (java.io.IOException e) {
            return false;
        }
    }

    private void answer(Exchange exchange, String outcome, int status, String body) {
        received.computeIfAbsent(outcome, o -> metrics.counter("greenbridge.webhooks.received", "outcome", o)).increment();
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(body);
    }
}
