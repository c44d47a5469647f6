package io.greenbridge.outbound;

import java.util.List;
import java.util.Optional;

import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.JsonNode;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.GreenbridgeProperties.Outbound.Rule;
import io.greenbridge.store.LinkStore;

/**
 * The automation rules of {@code greenbridge.outbound.rules}, checked by the poll for contacts not yet in
 * Greenhouse. {@code vacancy-added}: the contact is on a vacancy linked to a Greenhouse job ({@code value}, when set,
 * names the vacancy by id or title). {@code global-tag}: the contact carries the global tag {@code value} (by name or
 * id). The first matching rule decides how the contact is pushed ({@code push}: candidate or prospect).
 */
@Component
public class OutboundRules {
    private final List<Rule> rules;
    private final LinkStore links;

    public OutboundRules(GreenbridgeProperties properties, LinkStore links) {
        this.rules = properties.outbound().rules() == null ? List.of() : List.copyOf(properties.outbound().rules());
        this.links = links;
        rules.forEach(OutboundRules::check);
    }

    /** A misspelt rule stops the start-up with its name, instead of silently never matching. */
    private static void check(Rule rule) {
        if (!List.of("vacancy-added", "global-tag").contains(rule.when())) {
            throw new IllegalStateException("greenbridge.outbound.rules " + rule.name() + ": when must be vacancy-added"
                    + " or global-tag, not '" + rule.when() + "'");
        }
        if ("global-tag".equals(rule.when()) && (rule.value() == null || rule.value().isBlank())) {
            throw new IllegalStateException("greenbridge.outbound.rules " + rule.name() + ": a global-tag rule needs the tag as value");
        }
        try {
            PushKind.of(rule.push());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("greenbridge.outbound.rules " + rule.name() + ": push must be candidate or prospect,"
                    + " not '" + rule.push() + "'");
        }
    }

    /** Expression of step matching-rule: how the first matching rule pushes the contact (body), or null. */
    public String pushKind(Exchange exchange) {
        return match(exchange.getMessage().getBody(JsonNode.class)).map(rule -> PushKind.of(rule.push()).name()).orElse(null);
    }

    public Optional<Rule> match(JsonNode contact) {
        return rules.stream().filter(rule -> matches(rule, contact)).findFirst();
    }

    private boolean matches(Rule rule, JsonNode contact) {
        String value = rule.value() == null ? "" : rule.value().trim();
        if ("global-tag".equals(rule.when())) {
            return any(contact.path("globalTags"),
                    t -> value.equalsIgnoreCase(t.path("value").asText()) || value.equals(t.path("id").asText()));
        }
        return any(contact.path("vacancies"), v -> links.byBeameryId("job", v.path("id").asText("")).isPresent()
                && (value.isEmpty() || value.equals(v.path("id").asText()) || value.equalsIgnoreCase(v.path("value").asText())));
    }

    private static boolean any(JsonNode items, java.util.function.Predicate<JsonNode> test) {
        for (JsonNode item : items) {
            if (test.test(item)) {
                return true;
            }
        }
        return false;
    }
}
