package io.greenbridge.greenhouse;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.ops.StatusContributor;

/**
 * Harvest list endpoints answer an empty list, not an error, when the token's {@code sub} is not a Site Admin:
 * every sync would then find nothing, silently. A tenant always has at least one user (the {@code sub} itself),
 * so {@code GET /v3/users?per_page=1} answering empty means the {@code sub} is not a Site Admin. Checked in the
 * background at start-up (live mode) and again at most every 10 minutes when health or status is read; the
 * cached answer is shown in {@code /actuator/health} (component {@code greenhouseSiteAdmin}) and {@code /api/status}.
 */
@Component("greenhouseSiteAdmin")
public class SiteAdminCheck implements HealthIndicator, StatusContributor, DisposableBean {
    static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final Logger LOG = LoggerFactory.getLogger(SiteAdminCheck.class);

    /** One check: {@code siteAdmin} is null when it could not be decided. */
    public record Result(Boolean siteAdmin, Instant checkedAt, String message) {
    }

    private final HarvestClient harvest;
    private final GreenbridgeProperties props;
    private final Clock clock = Clock.systemUTC();
    private final AtomicBoolean refreshing = new AtomicBoolean();
    private final CamelContext camel;
    private final ExecutorService background;
    private volatile Result last;

    public SiteAdminCheck(HarvestClient harvest, GreenbridgeProperties props, CamelContext camel) {
        this.harvest = harvest;
        this.props = props;
        this.camel = camel;
        this.background = camel.getExecutorServiceManager().newSingleThreadExecutor(this, "greenhouse-site-admin-check");
    }

    /** Live mode: check once the application is up; the outcome is logged, never fatal. */
    @EventListener(ApplicationReadyEvent.class)
    public void onReady() {
        if (props.mode() != GreenbridgeProperties.Mode.SANDBOX) {
            refreshInBackground();
        }
    }

    /** The cached answer (null before the first check); a stale one starts a background re-check. */
    public Result current() {
        Result r = last;
        if (r == null || r.checkedAt().plus(MAX_AGE).isBefore(clock.instant())) {
            refreshInBackground();
        }
        return r;
    }

    /** Checks now, on this thread, and caches and logs the outcome. */
    public synchronized Result refresh() {
        Result r;
        try {
            boolean anyUser = harvest.stream("users", Map.of("per_page", "1")).findFirst().isPresent();
            r = anyUser ? new Result(true, clock.instant(), "the Greenhouse user (GREENHOUSE_USER_ID) is a Site Admin")
                    : new Result(false, clock.instant(), notAdminMessage());
        } catch (RuntimeException e) {
            r = new Result(null, clock.instant(), "could not check whether GREENHOUSE_USER_ID is a Site Admin: " + e.getMessage());
        }
        Result before = last;
        last = r;
        if (before == null || !Objects.equals(before.siteAdmin(), r.siteAdmin())) {
            if (Boolean.FALSE.equals(r.siteAdmin())) {
                LOG.error("{}", r.message());
            } else if (r.siteAdmin() == null) {
                LOG.warn("{}", r.message());
            } else {
                LOG.info("Greenhouse access checked: {}", r.message());
            }
        }
        return r;
    }

    private String notAdminMessage() {
        return "Greenhouse answers every list with nothing for user " + props.greenhouse().userId()
                + " (GREENHOUSE_USER_ID): that user is not a Site Admin, so no jobs, candidates or users can be read and"
                + " nothing from Greenhouse will sync. Make this user a Site Admin in Greenhouse, or set GREENHOUSE_USER_ID"
                + " to the id of a Site Admin.";
    }

    private void refreshInBackground() {
        if (refreshing.compareAndSet(false, true)) {
            try {
                background.execute(() -> {
                    try {
                        refresh();
                    } finally {
                        refreshing.set(false);
                    }
                });
            } catch (RuntimeException e) { // shutting down
                refreshing.set(false);
            }
        }
    }

    @Override
    public Health health() {
        Result r = current();
        if (r == null) {
            return Health.status(Status.UNKNOWN).withDetail("siteAdmin", "not checked yet").build();
        }
        Health.Builder b = Boolean.FALSE.equals(r.siteAdmin()) ? Health.down()
                : r.siteAdmin() == null ? Health.status(Status.UNKNOWN) : Health.up();
        return b.withDetail("siteAdmin", r.siteAdmin() == null ? "unknown" : r.siteAdmin())
                .withDetail("checkedAt", r.checkedAt().toString()).withDetail("message", r.message()).build();
    }

    @Override
    public String section() {
        return "greenhouseAccess";
    }

    @Override
    public Map<String, Object> status() {
        Result r = current();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("siteAdmin", r == null ? null : r.siteAdmin());
        out.put("checkedAt", r == null ? null : r.checkedAt().toString());
        out.put("message", r == null ? "not checked yet" : r.message());
        return out;
    }

    @Override
    public void destroy() {
        camel.getExecutorServiceManager().shutdownNow(background);
    }
}
