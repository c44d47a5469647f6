package io.greenbridge.web;

import java.io.IOException;

import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.util.AntPathMatcher;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** 401, 403 and firewall rejections in the error contract, never a login form or a browser credential popup. */
final class JsonAuthErrors implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
    private static final AntPathMatcher PATHS = new AntPathMatcher();

    static boolean companyKeyPath(HttpServletRequest request) {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        return PublicPaths.COMPANY_KEY.stream().anyMatch(p -> PATHS.match(p, path));
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        if (response.isCommitted()) {
            return;
        }
        if (companyKeyPath(request)) {
            // Greenhouse documents 401 with Basic for a failed key; the realm names the credential
            response.setHeader("WWW-Authenticate", "Basic realm=\"greenbridge-assessment\"");
            ApiError.write(response, 401, "unauthorized",
                    "Send the company's API key as the Basic-auth username with an empty password.");
        } else {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"greenbridge\"");
            ApiError.write(response, 401, "unauthorized", "Send Authorization: Bearer <GREENBRIDGE_ADMIN_TOKEN>.");
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        if (!response.isCommitted()) {
            ApiError.write(response, 403, "forbidden", companyKeyPath(request)
                    ? "This endpoint takes a company API key, not the admin token."
                    : "This endpoint takes the admin token, not a company API key.");
        }
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        // the firewall's reason can quote a header value, so the answer stays generic
        if (!response.isCommitted()) {
            ApiError.write(response, 400, "bad_request",
                    "The request path or a header is not allowed (e.g. ';', encoded '/', '.' or '%' in the path, or a control character).");
        }
    }
}
