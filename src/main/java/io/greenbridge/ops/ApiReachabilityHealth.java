package io.greenbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * Health of the two APIs: any HTTP answer from the base URL means reachable. An unreachable API shows as
 * DEGRADED (HTTP 200), so probes do not restart pods for another system's outage; the inbox keeps the work.
 */
@Configuration
public class ApiReachabilityHealth {
    public static final Status DEGRADED = new Status("DEGRADED", "reachable only in part");

    @Bean
    AbstractHealthIndicator greenhouseHealthIndicator(GreenbridgeProperties props) {
        return new Reachability(props.greenhouse().harvestUrl() + "/v3/");
    }

    @Bean
    AbstractHealthIndicator beameryHealthIndicator(GreenbridgeProperties props) {
        return new Reachability(props.beamery().apiUrl());
    }

    static final class Reachability extends AbstractHealthIndicator {
        private final String url;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Reachability(String url) {
            this.url = url;
        }

        @Override
        protected void doHealthCheck(Health.Builder builder) {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                builder.up().withDetail("url", url).withDetail("httpStatus", r.statusCode());
            } catch (Exception e) {
                builder.status(DEGRADED).withDetail("url", url).withDetail("error", e.getClass().getSimpleName());
            }
        }
    }
}
