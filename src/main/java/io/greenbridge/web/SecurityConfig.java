package io.greenbridge.web;

import java.util.List;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;
import org.springframework.security.web.util.matcher.NegatedRequestMatcher;
import org.springframework.security.web.util.matcher.OrRequestMatcher;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.security.web.access.intercept.AuthorizationFilter;

import io.greenbridge.assessment.ApiKeys;
import io.greenbridge.config.GreenbridgeProperties;
import jakarta.servlet.DispatcherType;

/**
 * The one security layer of every endpoint, Spring MVC controllers and Camel platform-http routes alike: deny by
 * default, stateless, no cookies (so no CSRF tokens), no login form or Basic popup. The firewall rejects
 * confusing paths (';', encoded '/', '%2e', '..') with 400 before any matching.
 */
@Configuration
@EnableWebSecurity
public class SecurityConfig {
    private static final JsonAuthErrors ERRORS = new JsonAuthErrors();

    @Bean
    AuthenticationManager greenbridgeCredentials(GreenbridgeProperties props, ApiKeys keys) {
        ProviderManager manager = new ProviderManager(new CredentialProviders.AdminToken(props),
                new CredentialProviders.CompanyKey(keys));
        manager.setEraseCredentialsAfterAuthentication(true);
        return manager;
    }

    @Bean
    RequestRejectedHandler jsonRequestRejectedHandler() {
        return ERRORS;
    }

    @Bean
    SecurityFilterChain greenbridgeSecurity(HttpSecurity http, AuthenticationManager credentials) throws Exception {
        PathPatternRequestMatcher.Builder paths = PathPatternRequestMatcher.withDefaults();
        List<RequestMatcher> open = PublicPaths.ENTRIES.stream()
                .map(e -> (RequestMatcher) paths.matcher(e.method(), e.pattern())).toList();
        // /actuator/health stays public but an admin token there unlocks the details, so it is authenticated when sent
        RequestMatcher noCredentialLooked = new OrRequestMatcher(PublicPaths.ENTRIES.stream()
                .filter(e -> !e.pattern().equals("/actuator/health"))
                .map(e -> (RequestMatcher) paths.matcher(e.method(), e.pattern())).toList());

        AuthenticationFilter authentication = new AuthenticationFilter(credentials, SecurityConfig::credential);
        authentication.setRequestMatcher(new NegatedRequestMatcher(noCredentialLooked));
        authentication.setSuccessHandler((request, response, auth) -> CallerCompany.remember(request, auth)); // then carries on down the chain
        authentication.setFailureHandler(ERRORS::commence);

        http.csrf(c -> c.disable())
                .cors(c -> c.disable())
                .formLogin(f -> f.disable())
                .httpBasic(b -> b.disable())
                .logout(l -> l.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .exceptionHandling(e -> e.authenticationEntryPoint(ERRORS).accessDeniedHandler(ERRORS))
                .addFilterBefore(authentication, AuthorizationFilter.class)
                .authorizeHttpRequests(a -> {
                    a.dispatcherTypeMatchers(DispatcherType.ERROR).permitAll();
                    open.forEach(m -> a.requestMatchers(m).permitAll());
                    a.requestMatchers(PublicPaths.COMPANY_KEY.stream()
                            .map(p -> (RequestMatcher) paths.matcher(p)).toArray(RequestMatcher[]::new)).hasRole("COMPANY");
                    a.anyRequest().hasRole("ADMIN");
                });
        return http.build();
    }

    /** Bearer → admin token, Basic → company key, no header → anonymous, any other scheme → refused. */
    static Authentication credential(jakarta.servlet.http.HttpServletRequest request) {
        String header = request.getHeader("Authorization");
        if (header == null || header.isBlank()) {
            return null;
        }
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return AdminTokenAuthentication.unverified(header.substring(7).trim());
        }
        if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
            return CompanyKeyAuthentication.unverified(header);
        }
        return AdminTokenAuthentication.unverified("");
    }
}
