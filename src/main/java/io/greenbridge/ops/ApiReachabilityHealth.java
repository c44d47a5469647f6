package io.greenbridge.ops;

import java.time.Duration;
import java.util.function.LongSupplier;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.greenbridge.beamery.BeameryClient;
import io.greenbridge.greenhouse.HarvestClient;

/**
 * Health of the two APIs: any HTTP answer from the base URL means reachable. An unreachable API shows as
 * DEGRADED (HTTP 200), so probes do not restart pods for another system's outage; the inbox keeps the work.
 * The answer is cached for {@link #CACHE_FOR}: anonymous health calls never drive traffic to Greenhouse or Beamery.
 * The HEAD goes through each system's client ({@code probe}: its connection, no token, no rate-limit share).
 */
@Configuration
public class ApiReachabilityHealth {
    public static final Status DEGRADED = new Status("DEGRADED", "reachable only in part");
    static final Duration CACHE_FOR = Duration.ofSeconds(30);
    static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    @Bean
    HealthIndicator greenhouseHealthIndicator(HarvestClient harvest) {
        return new Reachability(harvest.probeUrl(), () -> harvest.probe(PROBE_TIMEOUT), CACHE_FOR, System::nanoTime);
    }

    @Bean
    HealthIndicator beameryHealthIndicator(BeameryClient beamery) {
        return new Reachability(beamery.probeUrl(), () -> beamery.probe(PROBE_TIMEOUT), CACHE_FOR, System::nanoTime);
    }

    /** One HEAD of an API: its HTTP status, or an exception when unreachable. */
    interface Probe {
        int status() throws Exception;
    }

    static final class Reachability implements HealthIndicator {
        private final String url;
        private final Probe probe;
        private final long cacheNanos;
        private final LongSupplier clock;
        private Health last;
        private long checkedAt;

        Reachability(String url, Probe probe, Duration cacheFor, LongSupplier clock) {
            this.url = url;
            this.probe = probe;
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
                return Health.up().withDetail("url", url).withDetail("httpStatus", probe.status()).build();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Health.status(DEGRADED).withDetail("url", url).withDetail("error", e.getClass().getSimpleName()).build();
            } catch (Exception e) {
                return Health.status(DEGRADED).withDetail("url", url).withDetail("error", e.getClass().getSimpleName()).build();
            }
        }
    }
}
