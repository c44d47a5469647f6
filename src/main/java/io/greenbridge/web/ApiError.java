package io.greenbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.servlet.http.HttpServletResponse;

/** The contract's error body, {@code {"error": "<code>", "message": "<what to do>"}}, for every 4xx. */
public final class ApiError {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiError() {
    }

    public static Map<String, Object> body(String code, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", code);
        m.put("message", message);
        return m;
    }

    public static String json(String code, String message) {
        try {
            return JSON.writeValueAsString(body(code, message));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the error straight to a servlet response (filters, before any controller runs). */
    public static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.getOutputStream().write(json(code, message).getBytes(StandardCharsets.UTF_8));
    }
}
