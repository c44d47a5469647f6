package io.greenbridge.routes;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.Message;

import io.greenbridge.support.PermanentFailureException;

/**
 * A path such as {@code /contact/{id}/vacancies/{vacancyId}} whose {@code {name}} parts are filled from message
 * headers, each value percent-encoded as one path segment. Values never enter the endpoint URI, so a candidate's
 * id or email never becomes an endpoint of its own (in the registry and in JMX).
 */
public final class PathTemplate {
    private static final Pattern VARIABLE = Pattern.compile("\\{([A-Za-z][A-Za-z0-9_]*)}");

    private PathTemplate() {
    }

    /** The path with every {@code {name}} replaced by the encoded header {@code name}; a missing header fails for good. */
    public static String expand(String template, Message message, String endpoint) {
        Matcher m = VARIABLE.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(segment(value(m.group(1), message, endpoint))));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** Query values: {@code {name}} alone takes the header's value as it is (the client encodes queries). */
    public static Map<String, String> values(Map<String, String> query, Message message, String endpoint) {
        Map<String, String> out = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            Matcher m = VARIABLE.matcher(v);
            out.put(k, m.matches() ? value(m.group(1), message, endpoint) : v);
        });
        return out;
    }

    /** Percent-encodes one path segment ({@code /} and spaces included). */
    public static String segment(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** The header's value as it is (for query values the client encodes itself). */
    public static String header(String header, Message message, String endpoint) {
        return value(header, message, endpoint);
    }

    private static String value(String header, Message message, String endpoint) {
        Object v = message.getHeader(header);
        if (v == null || v.toString().isBlank()) {
            throw new PermanentFailureException(endpoint + " needs the header '" + header + "' for its path");
        }
        return v.toString();
    }
}
