package io.greenbridge.assessment;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;

/**
 * The candidate link's answers (pages, redirects and errors), each with the headers that keep them out of frames,
 * caches, referrers and content sniffing. Everything rendered is HTML-escaped.
 */
final class CandidatePages {
    static final String CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'";

    private CandidatePages() {
    }

    /** A page; with {@code action}, a POST form with one button labelled {@code button}. */
    static void html(Exchange exchange, int status, String title, String text, String action, String button) {
        String form = action == null ? "" : "<form method=\"post\" action=\"" + escape(action) + "\"><button type=\"submit\" "
                + "style=\"font-size:1.2em;padding:.5em 2em\">" + escape(button) + "</button></form>";
        String page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + escape(title) + "</title></head>"
                + "<body style=\"font-family:sans-serif;max-width:36em;margin:4em auto\"><h1>" + escape(title)
                + "</h1><p>" + escape(text) + "</p>" + form + "</body></html>";
        set(exchange, status, "text/html; charset=utf-8", page);
    }

    /** A link that does not work: a page for a browser, the JSON error contract for anyone else. */
    static void problem(Exchange exchange, int status, String code, String title, String text) {
        String accept = exchange.getMessage().getHeader("Accept", String.class);
        if (accept != null && accept.toLowerCase().contains("text/html")) {
            html(exchange, status, title, text, null, null);
        } else {
            HttpReply.error(exchange, status, code, title + ". " + text);
            secure(exchange.getMessage());
        }
    }

    /** 303 after the Start POST, so a reload does not post again. */
    static void redirect(Exchange exchange, String location) {
        set(exchange, 303, "text/plain; charset=utf-8", "");
        exchange.getMessage().setHeader("Location", location);
    }

    private static void set(Exchange exchange, int status, String contentType, String body) {
        Message m = exchange.getMessage();
        m.removeHeaders("*"); // platform-http would echo request headers back otherwise
        m.setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        m.setHeader(Exchange.CONTENT_TYPE, contentType);
        m.setBody(body);
        secure(m);
    }

    private static void secure(Message m) {
        m.setHeader("X-Content-Type-Options", "nosniff");
        m.setHeader("Content-Security-Policy", CSP);
        m.setHeader("X-Frame-Options", "DENY");
        m.setHeader("Referrer-Policy", "no-referrer");
        m.setHeader("Cache-Control", "no-store");
        // Camel's HTTP header filter drops Cache-Control from message headers: set it on the servlet response
        if (m instanceof PlatformHttpMessage http && http.getResponse() != null) {
            http.getResponse().setHeader("Cache-Control", "no-store");
        }
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
