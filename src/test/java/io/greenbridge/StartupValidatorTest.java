package io.greenbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.DriverManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.ClassPathResource;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.config.StartupValidator;
import io.greenbridge.config.StartupValidator.InvalidConfigurationException;

class StartupValidatorTest {

    /** Every documented live variable set to a value that must pass. */
    static Map<String, String> validLive() {
        Map<String, String> env = new HashMap<>();
        env.put("GREENHOUSE_HARVEST_URL", "https://harvest.greenhouse.io");
        env.put("GREENHOUSE_AUTH_URL", "https://auth.greenhouse.io");
        env.put("GREENHOUSE_CLIENT_ID", "gh-client-7f3a");
        env.put("GREENHOUSE_CLIENT_SECRET", "gh-9c1e4d7b2a");
        env.put("GREENHOUSE_USER_ID", "4080");
        env.put("GREENHOUSE_WEBHOOK_SECRET", "4f9a1c7e2b8d6035");
        env.put("BEAMERY_API_URL", "https://frontier.beamery.com/v1");
        env.put("BEAMERY_CLIENT_ID", "bm-client-51c2");
        env.put("BEAMERY_CLIENT_SECRET", "bm-0d8e3f6a1b");
        env.put("GREENBRIDGE_ADMIN_TOKEN", "9b2f0c4e7a1d5f3b8c6e0a2d4f7b1c3e");
        env.put("GREENBRIDGE_DATA_KEY", "e1c3a5f7b9d2e4f6a8c0b2d4f6e8a0c2");
        env.put("PUBLIC_BASE_URL", "https://greenbridge.example.com");
        env.put("SMTP_HOST", "smtp.example.com");
        env.put("ASSESSMENT_PLATFORM_URL", "https://platform.example/take/{token}");
        env.put("ASSESSMENT_RESULTS_SECRET", "5d7f9b1c3e5a7c9e1b3d5f7a9c1e3b5d");
        return env;
    }

    /** The problems of application.yaml's live defaults with these variables set, as the jar would see them. */
    static String problems(Map<String, String> env) throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        // as the process environment, so relaxed binding maps GREENBRIDGE_MODE to greenbridge.mode
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        new HashMap<>(env)));
        new YamlPropertySourceLoader().load("application", new ClassPathResource("application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        GreenbridgeProperties p = Binder.get(environment).bind("greenbridge", GreenbridgeProperties.class).get();
        return String.join("\n", StartupValidator.problems(p, false));
    }

    static Map<String, String> with(String name, String value) {
        Map<String, String> env = validLive();
        env.put(name, value);
        return env;
    }

    @Test
    void everyDocumentedVariableSetPasses() throws Exception {
        assertThat(problems(validLive())).isEmpty();
    }

    @Test
    void platformUrlInTheReadmeFormIsAcceptedAndOneWithoutTheTokenIsRefused() throws Exception {
        assertThat(problems(with("ASSESSMENT_PLATFORM_URL", "https://platform.example/take/{token}"))).isEmpty();
        assertThat(problems(with("ASSESSMENT_PLATFORM_URL", "https://platform.example/take?t={token}&x=1"))).isEmpty();
        assertThat(problems(with("ASSESSMENT_PLATFORM_URL", "http://127.0.0.1:9000/take/{token}"))).isEmpty();
        assertThat(problems(with("ASSESSMENT_PLATFORM_URL", "https://platform.example/take/")))
                .contains("ASSESSMENT_PLATFORM_URL must contain {token}");
        assertThat(problems(with("ASSESSMENT_PLATFORM_URL", "ftp://platform.example/{token}")))
                .contains("ASSESSMENT_PLATFORM_URL must be an http(s) URL");
    }

    @Test
    void placeholderSecretsAreRefusedNamingEachVariable() throws Exception {
        Map<String, String> env = validLive();
        env.put("GREENBRIDGE_ADMIN_TOKEN", "change-me");
        env.put("GREENHOUSE_WEBHOOK_SECRET", "CHANGEME");
        env.put("ASSESSMENT_RESULTS_SECRET", "Secret");
        env.put("GREENBRIDGE_DATA_KEY", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx");
        env.put("GREENHOUSE_CLIENT_SECRET", "change_me");
        env.put("BEAMERY_CLIENT_SECRET", "password");
        env.put("BEAMERY_CLIENT_ID", "example");
        env.put("GREENHOUSE_CLIENT_ID", "TODO");
        env.put("SMTP_PASSWORD", "change-me");
        String problems = problems(env);
        for (String name : List.of("GREENBRIDGE_ADMIN_TOKEN", "GREENHOUSE_WEBHOOK_SECRET", "ASSESSMENT_RESULTS_SECRET",
                "GREENBRIDGE_DATA_KEY", "GREENHOUSE_CLIENT_SECRET", "BEAMERY_CLIENT_SECRET", "BEAMERY_CLIENT_ID",
                "GREENHOUSE_CLIENT_ID", "SMTP_PASSWORD")) {
            assertThat(problems).contains(name + " is a placeholder value");
        }
        // a placeholder padded to the minimum length is still one
        assertThat(problems(with("GREENBRIDGE_ADMIN_TOKEN", "change-me-change-me-change-me-change-me")))
                .contains("GREENBRIDGE_ADMIN_TOKEN is a placeholder value");
        // the message never echoes the value
        assertThat(problems(with("GREENBRIDGE_ADMIN_TOKEN", "short-but-real"))).doesNotContain("short-but-real");
    }

    @Test
    void secretsShorterThanTheirMinimumAreRefused() throws Exception {
        Map<String, String> env = validLive();
        env.put("GREENBRIDGE_ADMIN_TOKEN", "9b2f0c4e7a1d5f3b8c6e0a2d4f7b1c3"); // 31
        env.put("GREENHOUSE_WEBHOOK_SECRET", "4f9a1c7e2b8d603"); // 15
        env.put("ASSESSMENT_RESULTS_SECRET", "5d7f9b1c3e5a7c9e1b3d5f7a9c1e3b5"); // 31
        env.put("GREENBRIDGE_DATA_KEY", "e1c3a5f7b9d2e4f6a8c0b2d4f6e8a0c"); // 31
        String problems = problems(env);
        assertThat(problems).contains("GREENBRIDGE_ADMIN_TOKEN is too short: at least 32 characters",
                "GREENHOUSE_WEBHOOK_SECRET is too short: at least 16 characters",
                "ASSESSMENT_RESULTS_SECRET is too short: at least 32 characters",
                "GREENBRIDGE_DATA_KEY is too short: at least 32 characters");
        assertThat(problems).contains("Greenhouse's web hook form");
    }

    @Test
    void beameryApiUserAuthNeedsUsernameAndPasswordInsteadOfClientCredentials() throws Exception {
        Map<String, String> env = validLive();
        env.put("BEAMERY_AUTH", "api-user");
        env.remove("BEAMERY_CLIENT_ID");
        env.remove("BEAMERY_CLIENT_SECRET");
        assertThat(problems(env)).contains("BEAMERY_USERNAME is required", "BEAMERY_PASSWORD is required")
                .doesNotContain("BEAMERY_CLIENT_ID", "BEAMERY_CLIENT_SECRET");
        env.put("BEAMERY_USERNAME", "api-user@example.com");
        env.put("BEAMERY_PASSWORD", "bm-7c1d9e3a5f");
        assertThat(problems(env)).isEmpty();
        assertThat(problems(validLive())).doesNotContain("BEAMERY_USERNAME");
    }

    @Test
    void dataKeyIsRequiredInLiveMode() throws Exception {
        Map<String, String> env = validLive();
        env.remove("GREENBRIDGE_DATA_KEY");
        assertThat(problems(env)).contains("GREENBRIDGE_DATA_KEY is required");
    }

    @Test
    void plainHttpIsRefusedUnlessTheHostIsLoopback() throws Exception {
        for (String name : List.of("GREENHOUSE_HARVEST_URL", "GREENHOUSE_AUTH_URL", "BEAMERY_API_URL", "PUBLIC_BASE_URL")) {
            assertThat(problems(with(name, "http://greenhouse.example.com"))).contains(name + " must use https");
            assertThat(problems(with(name, "http://localhost.example.com:8080"))).contains(name + " must use https");
            assertThat(problems(with(name, "http://10.0.0.1:8080"))).contains(name + " must use https");
            for (String loopback : List.of("http://127.0.0.1:8081", "http://127.10.0.3", "http://localhost:8080/v1",
                    "http://LOCALHOST", "http://[::1]:9000")) {
                assertThat(problems(with(name, loopback))).as(name + "=" + loopback).isEmpty();
            }
        }
        // PUBLIC_BASE_URL's documented default is loopback, so it passes unset
        Map<String, String> env = validLive();
        env.remove("PUBLIC_BASE_URL");
        assertThat(problems(env)).isEmpty();
    }

    @Test
    void sandboxModeIsRefusedWhereTheSandboxIsNotOnTheClasspath() throws Exception {
        assertThat(problems(with("GREENBRIDGE_MODE", "sandbox")))
                .contains("GREENBRIDGE_MODE (greenbridge.mode) is sandbox", "not in this jar");
        assertThat(problems(with("GREENBRIDGE_MODE", "live"))).isEmpty();
    }

    @Test
    void liveModeRefusesToStartNamingEveryMissingVariable() throws Exception {
        String db = "jdbc:h2:mem:validator-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1";
        Throwable thrown = null;
        try (var ctx = new SpringApplicationBuilder(GreenbridgeApplication.class)
                .properties("spring.datasource.url=" + db,
                        "server.port=0", "greenbridge.mode=live", "GREENHOUSE_CLIENT_ID=",
                        "GREENHOUSE_USER_ID=abc", "BEAMERY_API_URL=not a url", "GREENBRIDGE_ADMIN_TOKEN=change-me")
                .run()) {
            // must not get here
        } catch (Throwable t) {
            thrown = t;
        }
        assertThat(thrown).isNotNull();
        Throwable cause = thrown;
        while (cause != null && !(cause instanceof InvalidConfigurationException)) {
            cause = cause.getCause();
        }
        assertThat(cause).isInstanceOf(InvalidConfigurationException.class);
        List<String> problems = ((InvalidConfigurationException) cause).problems();
        assertThat(String.join("\n", problems)).contains(
                "GREENHOUSE_CLIENT_ID is required", "GREENHOUSE_CLIENT_SECRET is required",
                "GREENHOUSE_USER_ID must be a numeric", "GREENHOUSE_WEBHOOK_SECRET is required",
                "BEAMERY_API_URL must be an http(s) URL", "BEAMERY_CLIENT_ID is required",
                "BEAMERY_CLIENT_SECRET is required", "GREENBRIDGE_ADMIN_TOKEN is a placeholder value",
                "GREENBRIDGE_DATA_KEY is required");
        // refused before any other bean: the database was never migrated
        try (var c = DriverManager.getConnection(db, "sa", "");
             var rs = c.createStatement().executeQuery("select count(*) from information_schema.tables"
                     + " where lower(table_name) = 'flyway_schema_history'")) {
            rs.next();
            assertThat(rs.getInt(1)).as("Flyway ran before the refusal").isZero();
        }
    }
}
