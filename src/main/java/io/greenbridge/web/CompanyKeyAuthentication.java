package io.greenbridge.web;

import java.util.List;

import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

import io.greenbridge.assessment.Tenant;

/**
 * {@code Authorization: Basic base64(key:)} as Greenhouse sends it: before the check it carries the header, after
 * it the company (a {@link Tenant}) as principal with the role COMPANY.
 */
public final class CompanyKeyAuthentication extends AbstractAuthenticationToken {
    private final transient String header;
    private final transient Tenant tenant;

    private CompanyKeyAuthentication(String header, Tenant tenant) {
        super(tenant == null ? List.of() : List.of(new SimpleGrantedAuthority("ROLE_COMPANY")));
        this.header = tenant == null ? header : null;
        this.tenant = tenant;
        setAuthenticated(tenant != null);
    }

    static CompanyKeyAuthentication unverified(String authorizationHeader) {
        return new CompanyKeyAuthentication(authorizationHeader, null);
    }

    static CompanyKeyAuthentication verified(Tenant tenant) {
        return new CompanyKeyAuthentication(null, tenant);
    }

    @Override
    public Object getCredentials() {
        return header;
    }

    @Override
    public Tenant getPrincipal() {
        return tenant;
    }
}
