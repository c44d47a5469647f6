package io.greenbridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;

import io.greenbridge.config.StartupValidator.InvalidConfigurationException;

class StartupValidatorTest {

    @Test
    void liveModeRefusesToStartNamingEveryMissingVariable() {
        Throwable thrown = null;
        try (var ctx = new SpringApplicationBuilder(GreenbridgeApplication.class)
                .properties("spring.datasource.url=jdbc:h2:mem:validator;DB_CLOSE_DELAY=-1",
                        "server.port=0", "greenbridge.mode=live", "GREENHOUSE_CLIENT_ID=",
                        "GREENHOUSE_USER_ID=abc", "BEAMERY_API_URL=not a url")
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
                "BEAMERY_CLIENT_SECRET is required", "GREENBRIDGE_ADMIN_TOKEN is required");
    }
}
