package io.greenbridge.web;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;

import io.greenbridge.assessment.ApiKeys;
import io.greenbridge.config.GreenbridgeProperties;

/** The two credentials Greenbridge knows, checked in one place. */
final class CredentialProviders {
    private CredentialProviders() {
    }

    /** The admin bearer token, compared in constant time; an unset token accepts nothing. */
    static final class AdminToken implements AuthenticationProvider {
        private final byte[] token;

        AdminToken(GreenbridgeProperties props) {
            this.token = props.adminToken() == null ? new byte[0] : props.adminToken().getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            Object given = authentication.getCredentials();
            byte[] bytes = given == null ? new byte[0] : given.toString().getBytes(StandardCharsets.UTF_8);
            if (token.length == 0 || !MessageDigest.isEqual(token, bytes)) {
                throw new BadCredentialsException("The admin token is not valid.");
            }
            return AdminTokenAuthentication.verified();
        }

        @Override
        public boolean supports(Class<?> type) {
            return AdminTokenAuthentication.class.isAssignableFrom(type);
        }
    }

    /** A company API key: a live key's tenant becomes the principal. */
    static final class CompanyKey implements AuthenticationProvider {
        private final ApiKeys keys;

        CompanyKey(ApiKeys keys) {
            this.keys = keys;
        }

        @Override
        public Authentication authenticate(Authentication authentication) {
            Object header = authentication.getCredentials();
            return keys.authenticate(header == null ? null : header.toString())
                    .<Authentication>map(CompanyKeyAuthentication::verified)
                    .orElseThrow(() -> new BadCredentialsException("The API key is not valid."));
        }

        @Override
        public boolean supports(Class<?> type) {
            return CompanyKeyAuthentication.class.isAssignableFrom(type);
        }
    }
}
