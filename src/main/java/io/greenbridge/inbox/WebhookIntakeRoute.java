package io.greenbridge.inbox;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/**
 * {@code POST /webhooks/greenhouse}. Java DSL on purpose: the security boundary should not change with a
 * hot-reloaded YAML edit. Storage failures answer 503 so Greenhouse retries; nothing is acknowledged unstored.
 * {@code useStreaming}: the body reaches the intake as the bytes received; without it the consumer decodes it
 * through a Reader, and the HMAC would be computed over a re-encoded body.
 */
@Component
public class WebhookIntakeRoute extends RouteBuilder {
    private final WebhookIntake intake;

    public WebhookIntakeRoute(WebhookIntake intake) {
        this.intake = intake;
    }

    @Override
    public void configure() {
        from("platform-http:/webhooks/greenhouse?httpMethodRestrict=POST&useStreaming=true")
                .routeId("greenhouse-webhook-intake")
                .onException(Exception.class).handled(true)
                    .log(org.apache.camel.LoggingLevel.ERROR, "Webhook not stored: ${exception.message}")
                    .removeHeaders("*")
                    .setHeader("CamelHttpResponseCode", constant(503))
                    .setHeader("Content-Type", constant("application/json"))
                    .setBody(constant("{\"error\":\"store_unavailable\",\"message\":\"The event was not stored; retry later.\"}"))
                .end()
                .process(intake::handle);
    }
}
