package io.greenbridge.web;

import java.io.IOException;
import java.util.Locale;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bodies are JSON in UTF-8 only (415 otherwise), so no form body reaches Tomcat's or Camel's form parsing and no
 * cross-site {@code text/plain} post is accepted. The candidate link's pages post an HTML form, so {@code /a/**}
 * takes form-urlencoded instead. Compressed bodies are refused (415), so the body limit holds for what we parse.
 * Runs after the security chain (its order is above Spring Security's -100).
 */
@Component
@Order(4)
public class ContentTypeFilter extends OncePerRequestFilter {

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !BodyLimitFilter.carriesBody(request);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String encoding = request.getHeader("Content-Encoding");
        if (encoding != null && !encoding.isBlank() && !"identity".equalsIgnoreCase(encoding.trim())) {
            ApiError.write(response, 415, "unsupported_encoding",
                    "Compressed bodies are not accepted; send the body without Content-Encoding.");
            return;
        }
        String type = request.getContentType();
        boolean candidatePage = request.getServletPath().startsWith("/a/");
        // no Content-Type at all is read as JSON: browsers always label a cross-site body, and some senders don't
        if (type == null || type.isBlank()) {
            chain.doFilter(request, response);
            return;
        }
        if (!(candidatePage ? isForm(type) : isJson(type))) {
            ApiError.write(response, 415, "unsupported_media_type", candidatePage
                    ? "Send the form as application/x-www-form-urlencoded."
                    : "Send the body as application/json (UTF-8); other content types are refused.");
            return;
        }
        chain.doFilter(request, response);
    }

    /** {@code application/json}, optionally with {@code charset=utf-8}; any other parameter or charset is refused. */
    static boolean isJson(String contentType) {
        return mediaType(contentType, "application/json");
    }

    static boolean isForm(String contentType) {
        return mediaType(contentType, "application/x-www-form-urlencoded");
    }

    private static boolean mediaType(String contentType, String expected) {
        String[] parts = contentType.toLowerCase(Locale.ROOT).split(";");
        if (!parts[0].trim().equals(expected)) {
            return false;
        }
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].trim().replace("\"", "");
            if (!p.isEmpty() && !p.equals("charset=utf-8")) {
                return false;
            }
        }
        return true;
    }
}
