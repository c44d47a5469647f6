package io.greenbridge.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The deployment files ship no usable secret and list every live-mode variable; no Docker engine here, so what can
 * be read is checked here.
 */
class DeploymentFilesTest {
    /** The live-mode secrets an operator must supply (no default), as named in {@link LiveModeRules}. */
    static final List<String> SECRETS = List.of("GREENBRIDGE_ADMIN_TOKEN", "GREENBRIDGE_DATA_KEY",
            "GREENHOUSE_CLIENT_ID", "GREENHOUSE_CLIENT_SECRET", "GREENHOUSE_USER_ID", "GREENHOUSE_WEBHOOK_SECRET",
            "BEAMERY_CLIENT_ID", "BEAMERY_CLIENT_SECRET");
    static final Set<String> ASSESSMENT = Set.of("SMTP_HOST", "ASSESSMENT_PLATFORM_URL", "ASSESSMENT_RESULTS_SECRET");
    /** Required only with BEAMERY_AUTH=api-user, instead of the client pair. */
    static final List<String> BEAMERY_API_USER = List.of("BEAMERY_USERNAME", "BEAMERY_PASSWORD");

    @Test
    void everyRuleVariableIsAmongTheListedSecretsOrHasADefault() {
        Set<String> defaulted = Set.of("GREENHOUSE_HARVEST_URL", "GREENHOUSE_AUTH_URL", "BEAMERY_API_URL", "PUBLIC_BASE_URL",
                "SMTP_USERNAME", "SMTP_PASSWORD");
        for (LiveModeRules.Rule rule : LiveModeRules.RULES) {
            assertThat(SECRETS.contains(rule.variable()) || ASSESSMENT.contains(rule.variable())
                    || BEAMERY_API_USER.contains(rule.variable()) || defaulted.contains(rule.variable())).as(rule.variable() + " is not listed here").isTrue();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void kubernetesSecretShipsNoValueThatWouldStart() throws Exception {
        Map<String, Object> secret = new Yaml().load(Files.readString(Path.of("docker/k8s/secret.yaml")));
        Map<String, Object> data = (Map<String, Object>) secret.get("stringData");
        for (String name : concat(SECRETS, BEAMERY_API_USER)) {
            assertThat(data).as("secret.yaml lists " + name).containsKey(name);
            assertThat(String.valueOf(data.get(name))).as(name + " ships empty").isEmpty();
        }
        assertThat(String.valueOf(data.get("DB_PASSWORD"))).as("DB_PASSWORD ships empty").isEmpty();
        data.forEach((name, value) -> assertThat(value == null || String.valueOf(value).isEmpty()
                || !LiveModeRules.isPlaceholder(String.valueOf(value))).as(name + " is a placeholder").isTrue());
        // the assessment partner stays off until its three variables are set
        for (String name : ASSESSMENT) {
            assertThat(String.valueOf(data.getOrDefault(name, ""))).as(name).isEmpty();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void composeRequiresEverySecretWithoutADefault() throws Exception {
        Map<String, Object> compose = new Yaml().load(Files.readString(Path.of("docker/compose.yaml")));
        Map<String, Object> services = (Map<String, Object>) compose.get("services");
        Map<String, Object> env = (Map<String, Object>) ((Map<String, Object>) services.get("greenbridge")).get("environment");
        for (String name : SECRETS) {
            assertThat(String.valueOf(env.get(name))).as(name).isEqualTo("${" + name + ":?set " + name + "}");
        }
        assertThat(String.valueOf(env.get("DB_PASSWORD"))).isEqualTo("${DB_PASSWORD:?set DB_PASSWORD}");
        Map<String, Object> pg = (Map<String, Object>) ((Map<String, Object>) services.get("postgres")).get("environment");
        assertThat(String.valueOf(pg.get("POSTGRES_PASSWORD"))).isEqualTo("${DB_PASSWORD:?set DB_PASSWORD}");
        for (String name : ASSESSMENT) {
            assertThat(env).containsKey(name);
        }
    }

    @Test
    void imageRunsAsANumericUserThatCannotWriteTheJarRoutesOrMappings() throws Exception {
        String dockerfile = Files.readString(Path.of("docker/Dockerfile"));
        assertThat(dockerfile).containsPattern("(?m)^USER \\d+:\\d+$");
        assertThat(dockerfile).doesNotContain("chown -R greenbridge");
        assertThat(dockerfile).contains("chown greenbridge:greenbridge /app/data");
        assertThat(dockerfile).doesNotContainPattern("(?m)^ENV DB_URL");
    }

    static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
