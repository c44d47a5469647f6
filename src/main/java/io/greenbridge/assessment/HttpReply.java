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

    static void unauthorized(Exchange exchange) {
        error(exchange, 401, "unauthorized",
                "Send the company's API key as the Basic-auth username with an empty password.");
        exchange.getMessage().setHeader("WWW-Authenticate", "Basic realm=\"greenbridge-assessment\"");
    }

    static void html(Exchange exchange, int status, String title, String text) {
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>"
                + "<body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\"><h1>" + escape(title)
                + "</h1><p>" + escape(text) + "</p></body></html>";
        set(exchange, status, "text/html; charset=utf-8", page);
    }

    static void redirect(Exchange exchange, String location) {
        set(exchange, 302, "text/plain", "");
        exchange.getMessage().setHeader("Location", location);
        exchange.getMessage().setHeader("Cache-Control", "no-store");
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

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
