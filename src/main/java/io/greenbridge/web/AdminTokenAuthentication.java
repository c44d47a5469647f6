package io.greenbridge.web;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** {@code Authorization: Bearer <token>}: before the check it carries the token, after it the role ADMIN. */
final class AdminTokenAuthentication extends AbstractAuthenticationToken {
    private final transient String token;

    private AdminTokenAuthentication(String token, boolean verified) {
        super(verified ? List.of(new SimpleGrantedAuthority("ROLE_ADMIN")) : List.of());
        this.token = verified ? null : token;
        setAuthenticated(verified);
    }

    static AdminTokenAuthentication unverified(String token) {
        return new AdminTokenAuthentication(token, false);
    }

    static AdminTokenAuthentication verified() {
        return new AdminTokenAuthentication(null, true);
    }

    @Override
    public Object getCredentials() {
        return token;
    }

    @Override
    public Object getPrincipal() {
        return "admin";
    }
}
