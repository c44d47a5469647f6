package io.greenbridge.web;

import java.util.Optional;

import org.apache.camel.Exchange;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.springframework.security.core.Authentication;

import io.greenbridge.assessment.Tenant;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The company the security chain authenticated for this request. Kept as a request attribute because
 * platform-http runs routes on its own executor, away from the servlet thread's security context.
 */
public final class CallerCompany {
    static final String ATTRIBUTE = CallerCompany.class.getName();

    private CallerCompany() {
    }

    static void remember(HttpServletRequest request, Authentication auth) {
        if (auth instanceof CompanyKeyAuthentication c && c.isAuthenticated()) {
            request.setAttribute(ATTRIBUTE, c.getPrincipal());
        }
    }

    /** The caller's company for a platform-http exchange, or empty when the chain authenticated none. */
    public static Optional<Tenant> of(Exchange exchange) {
        HttpServletRequest request = exchange.getIn() instanceof PlatformHttpMessage m ? m.getRequest() : null;
        Object t = request == null ? null : request.getAttribute(ATTRIBUTE);
        return t instanceof Tenant tenant ? Optional.of(tenant) : Optional.empty();
    }
}
