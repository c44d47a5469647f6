package io.greenbridge.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.platform.http.PlatformHttpEndpoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.util.AntPathMatcher;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;

import io.greenbridge.sandbox.SandboxTest;

/**
 * Every endpoint mapped at run time (Spring MVC controllers, actuator, Camel platform-http routes) that is not one
 * of the documented public ones refuses a caller without a credential, with a wrong one, and through every
 * path-confusion variant: 401 or 400, never 2xx, never 5xx. A new endpoint is covered without editing this test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EndpointSecurityTest extends SandboxTest {
    record Endpoint(String method, String pattern) {
        String samplePath() {
            return pattern.replaceAll("\\{\\*?[^}]+}", "1");
        }
    }

    @Autowired
    ApplicationContext spring;
    @Autowired
    CamelContext camel;

    final List<Endpoint> guarded = new ArrayList<>();
    final AntPathMatcher ant = new AntPathMatcher();
    RawHttp raw;

    @BeforeAll
    void mappedEndpoints() {
        Set<Endpoint> all = new LinkedHashSet<>();
        for (RequestMappingInfoHandlerMapping mapping : spring.getBeansOfType(RequestMappingInfoHandlerMapping.class).values()) {
            for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
                Set<String> methods = new LinkedHashSet<>();
                info.getMethodsCondition().getMethods().forEach(m -> methods.add(m.name()));
                if (methods.isEmpty()) {
                    methods.addAll(List.of("GET", "POST"));
                }
                for (String pattern : info.getPatternValues()) {
                    methods.forEach(m -> all.add(new Endpoint(m, pattern)));
                }
            }
        }
        for (Route route : camel.getRoutes()) {
            String uri = route.getEndpoint().getEndpointUri();
            if (uri.startsWith("platform-http:")) {
                PlatformHttpEndpoint e = (PlatformHttpEndpoint) route.getEndpoint();
                String restrict = e.getHttpMethodRestrict();
                for (String m : restrict == null ? List.of("GET", "POST") : List.of(restrict.split(","))) {
                    all.add(new Endpoint(m.trim(), e.getPath()));
                }
            }
        }
        for (Endpoint e : all) {
            if (!isPublic(e) && !e.pattern().equals("/error")) {
                guarded.add(e);
            }
        }
        raw = new RawHttp(port);
    }

    boolean isPublic(Endpoint e) {
        return PublicPaths.ENTRIES.stream().anyMatch(p -> (p.method() == null || p.method().name().equals(e.method()))
                && ant.match(p.pattern(), e.pattern()));
    }

    @Test
    void theWalkSeesControllersActuatorAndCamelRoutes() {
        assertThat(guarded).extracting(Endpoint::pattern).contains("/api/status", "/api/dead-letters/{id}/replay",
                "/api/companies", "/api/users/{id}/api-keys", "/api/greenhouse/push", "/actuator/prometheus",
                "/actuator/metrics", "/actuator/camelroutes", "/assessment/send_test", "/assessment/list_tests",
                "/api/employer/invitations/{id}/revoke");
        assertThat(guarded).extracting(Endpoint::pattern)
                .doesNotContain("/webhooks/greenhouse", "/api/assessment/results", "/actuator/health/liveness");
    }

    @Test
    void noCredentialAndWrongCredentialsAre401() throws Exception {
        String wrongBasic = "Basic " + Base64.getEncoder().encodeToString("gbk_not-a-key:".getBytes());
        List<String> failures = new ArrayList<>();
        for (Endpoint e : guarded) {
            for (Map<String, String> auth : List.of(Map.<String, String>of(),
                    Map.of("Authorization", "Bearer wrong-" + ADMIN_TOKEN),
                    Map.of("Authorization", "Bearer "),
                    Map.of("Authorization", wrongBasic),
                    Map.of("Authorization", "Token " + ADMIN_TOKEN))) {
                RawHttp.Answer a = call(e.method(), e.samplePath(), auth);
                if (a.status() != 401 || !a.isContractError()) {
                    failures.add(e + " " + auth.keySet() + " -> " + a);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void pathConfusionNeverGetsPastTheChain() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Endpoint e : guarded) {
            for (String variant : variants(e.samplePath())) {
                RawHttp.Answer a = call(e.method(), variant, Map.of());
                if (!(a.status() == 401 || a.status() == 400) || !a.isContractError()) {
                    failures.add(e.method() + " " + variant + " -> " + a);
                }
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theRightCredentialOnTheWrongKindOfEndpointIs403() throws Exception {
        RawHttp.Answer admin = call("GET", "/assessment/list_tests", Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(admin.status()).isEqualTo(403);
        assertThat(admin.isContractError()).isTrue();
        RawHttp.Answer ok = call("GET", "/api/status", Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
        assertThat(ok.status()).isEqualTo(200);
        // the variants stay refused with the right token too: the firewall answers before any matching
        for (String variant : List.of("/api;/status", "/api;x=1/status", "/api/%2e/status", "/api%2Fstatus")) {
            RawHttp.Answer a = call("GET", variant, Map.of("Authorization", "Bearer " + ADMIN_TOKEN));
            assertThat(a.status()).as(variant).isEqualTo(400);
            assertThat(a.isContractError()).as(variant).isTrue();
        }
    }

    /** The confusions of issue 14 applied to the first segment of {@code path}. */
    static List<String> variants(String path) {
        int second = path.indexOf('/', 1);
        String first = second < 0 ? path.substring(1) : path.substring(1, second);
        String rest = second < 0 ? "" : path.substring(second);
        String restNoSlash = rest.isEmpty() ? "" : rest.substring(1);
        return List.of(
                "/" + first + ";" + rest,
                "/" + first + ";x=1" + rest,
                "/%" + Integer.toHexString(first.charAt(0)) + first.substring(1) + rest,
                "/" + first + "/." + rest,
                "//" + first + rest,
                "/" + first + "/%2e" + rest,
                "/" + first + "/%2E" + rest,
                "/" + first + "/foo/.." + rest,
                "/" + first + "/foo/%2e%2e" + rest,
                "/" + first.toUpperCase() + rest,
                "/" + first + "%2F" + restNoSlash,
                "/" + first + "%2f" + restNoSlash,
                "/" + first + "%5C" + restNoSlash,
                "/" + first + "/%252e" + rest,
                "/" + first + "\\" + restNoSlash);
    }

    RawHttp.Answer call(String method, String target, Map<String, String> headers) throws Exception {
        Map<String, String> h = new java.util.LinkedHashMap<>(headers);
        byte[] body = null;
        if (method.equals("POST") || method.equals("PUT") || method.equals("PATCH")) {
            h.put("Content-Type", "application/json");
            body = "{}".getBytes();
        }
        return raw.request(method, target, h, body);
    }
}
