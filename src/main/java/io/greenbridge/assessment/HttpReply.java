package io.greenbridge.assessment;

import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.greenbridge.web.ApiError;

/**
 * Answers of the platform-http routes. Request headers are dropped first: platform-http would otherwise echo
 * them (Authorization included) back in the response.
 */
final class HttpReply {
    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

    private HttpReply() {
    }

    static void json(Exchange exchange, int status, Object body) {
        try {
            set(exchange, status, "application/json", JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static void error(Exchange exchange, int status, String code, String message) {
        json(exchange, status, ApiError.body(code, message));
    }

    /** An error answer, and the route stops here (a refusing step of routes/assessment-partner.yaml). */
    static void refuse(Exchange exchange, int status, String code, String message) {
        error(exchange, status, code, message);
        exchange.setRouteStop(true);
    }

    /** 400 naming every problem; {@code field} is the first problem's field (each problem starts with it). */
    static void invalid(Exchange exchange, java.util.List<String> problems) {
        Map<String, Object> body = new java.util.LinkedHashMap<>(ApiError.body("invalid_request", String.join("; ", problems) + "."));
        body.put("field", problems.get(0).split("[ :]", 2)[0]);
        json(exchange, 400, body);
    }

    static void unauthorized(Exchange exchange) {
        error(exchange, 401, "unauthorized",
                "Send the company's API key as the Basic-auth username with an empty password.");
        exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"greenbridge-assessment\"");
    }

    static Map<String, Object> status(int status) {
        return Map.of("status", status);
    }

    private static void set(Exchange exchange, int status, String contentType, String body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*");
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setBody(body);
    }
}
