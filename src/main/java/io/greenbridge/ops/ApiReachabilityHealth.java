package io.greenbridge.ops;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.LongSupplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * Health of the two APIs: any HTTP answer from the base URL means reachable. An unreachable API shows as
 * DEGRADED (HTTP 200), so probes do not restart pods for another system's outage; the inbox keeps the work.
 * The answer is cached for {@link #CACHE_FOR}: anonymous health calls never drive traffic to Greenhouse or Beamery.
 */
@Configuration
public class ApiReachabilityHealth {
    public static final Status DEGRADED = new Status("DEGRADED", "reachable only in part");
    static final Duration CACHE_FOR = Duration.ofSeconds(30);

    @Bean
    HealthIndicator greenhouseHealthIndicator(GreenbridgeProperties props) {
        return new Reachability(props.greenhouse().harvestUrl() + "/v3/", CACHE_FOR, System::nanoTime);
    }

    @Bean
    HealthIndicator beameryHealthIndicator(GreenbridgeProperties props) {
        return new Reachability(props.beamery().apiUrl(), CACHE_FOR, System::nanoTime);
    }

    static final class Reachability implements HealthIndicator {
        private final String url;
        private final long cacheNanos;
        private final LongSupplier clock;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        private Health last;
        private long checkedAt;

        Reachability(String url, Duration cacheFor, LongSupplier clock) {
            this.url = url;
            this.cacheNanos = cacheFor.toNanos();
            this.clock = clock;
        }

        /** One upstream HEAD per cache period, whatever the number of callers (they wait for the one check). */
        @Override
        public synchronized Health health() {
            long now = clock.getAsLong();
            if (last == null || now - checkedAt >= cacheNanos) {
                last = check();
                checkedAt = clock.getAsLong();
            }
            return last;
        }

        private Health check() {
            try {
                HttpResponse<Void> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3))
                        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
                return Health.up().withDetail("url", url).withDetail("httpStatus", r.statusCode()).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.status(DEGRADED).withDetail("url", url).withDetail("error", e.getClass().getSimpleName()).build();
            } catch (Exception e) {
                return Health.status(DEGRADED).withDetail("url", url).withDetail("error", e.getClass().getSimpleName()).build();
            }
        }
    }
}
