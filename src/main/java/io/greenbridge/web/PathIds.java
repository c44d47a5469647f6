package io.greenbridge.web;

import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Path variables of the controllers checked at the edge, before Spring converts them (its number conversion
 * reads {@code 0x10} as 16 and takes {@code -1}): Greenhouse and dead-letter ids are positive decimal integers;
 * company, user and key ids (UUIDs) and flow names are short plain tokens, so an unknown one is still a 404.
 * 400 naming the parameter otherwise.
 */
@Configuration
public class PathIds implements WebMvcConfigurer, HandlerInterceptor {
    static final Pattern POSITIVE_INTEGER = Pattern.compile("[1-9][0-9]{0,17}");
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(this);
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) throws Exception {
        if (!(handler instanceof HandlerMethod hm) || hm.getBean() instanceof org.apache.camel.Consumer) {
            return true; // Camel routes check their own path values (candidate tokens are longer than 64)
        }
        @SuppressWarnings("unchecked")
        Map<String, String> vars = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
        String pattern = String.valueOf(request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE));
        if (vars == null) {
            return true;
        }
        for (Map.Entry<String, String> v : vars.entrySet()) {
            String problem = problem(pattern, v.getKey(), v.getValue());
            if (problem != null) {
                ApiError.write(response, 400, "invalid_parameter", "The path parameter '" + v.getKey() + "' " + problem + ".");
                return false;
            }
        }
        return true;
    }

    /** Why {@code value} is not a valid {@code name} in {@code pattern}, or null when it is. */
    static String problem(String pattern, String name, String value) {
        if (name.equals("greenhouseId") || pattern.startsWith("/api/dead-letters/")) {
            return POSITIVE_INTEGER.matcher(value).matches() ? null : "must be a positive decimal integer";
        }
        return TOKEN.matcher(value).matches() ? null : "must be 1-64 letters, digits, '-' or '_'";
    }
}
