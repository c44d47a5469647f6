package io.greenbridge.web;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.greenbridge.config.GreenbridgeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bearer-token guard of the admin API ({@code /api/**}). The assessment platform's results callback is
 * HMAC-signed and the employer API uses company keys, so both check their own credentials instead.
 */
@Component
@Order(10)
public class AdminAuthFilter extends OncePerRequestFilter {
    private final byte[] token;

    public AdminAuthFilter(GreenbridgeProperties props) {
        this.token = props.adminToken() == null ? new byte[0] : props.adminToken().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !path.startsWith("/api/") || path.equals("/api/assessment/results") || path.startsWith("/api/employer/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader("Authorization");
        if (header == null || !header.startsWith("Bearer ")) {
            ApiError.write(response, 401, "unauthorized", "Send Authorization: Bearer <GREENBRIDGE_ADMIN_TOKEN>.");
            return;
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (token.length == 0 || !MessageDigest.isEqual(token, given)) {
            ApiError.write(response, 401, "unauthorized", "The admin token is not valid.");
            return;
        }
        chain.doFilter(request, response);
    }
}
