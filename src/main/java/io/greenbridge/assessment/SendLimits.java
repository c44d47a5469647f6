package io.greenbridge.assessment;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * send_test's rate limits (setting {@code greenbridge.assessment.rate-limits}): invitations per company and per
 * recipient e-mail within a sliding window, counted from the stored invitations so every replica sees the same
 * numbers. Keeps a company key from turning Greenbridge into a mail cannon.
 */
@Component
public class SendLimits {
    private final JdbcTemplate jdbc;
    private final GreenbridgeProperties.Assessment.RateLimits limits;
    private final Map<String, AtomicLong> refused = new ConcurrentHashMap<>();

    public SendLimits(JdbcTemplate jdbc, GreenbridgeProperties props) {
        this.jdbc = jdbc;
        GreenbridgeProperties.Assessment.RateLimits l = props.assessment().rateLimits();
        this.limits = l == null ? new GreenbridgeProperties.Assessment.RateLimits(60, 3, Duration.ofHours(1)) : l;
    }

    /** Over a limit: which one, and in how many seconds the oldest counted invitation leaves the window. */
    public record Refusal(String limit, String message, long retryAfterSeconds) {
    }

    public Optional<Refusal> check(String companyId, String email) {
        OffsetDateTime now = Tenants.now();
        OffsetDateTime since = now.minus(limits.window());
        Optional<Refusal> r = over("per-company", limits.perCompany(), now,
                "SELECT COUNT(*), MIN(created_at) FROM invitations WHERE company_id = ? AND created_at > ?", companyId, since);
        if (r.isEmpty()) {
            r = over("per-recipient", limits.perRecipient(), now,
                    "SELECT COUNT(*), MIN(created_at) FROM invitations WHERE LOWER(candidate_email) = ? AND created_at > ?",
                    email.toLowerCase(Locale.ROOT), since);
        }
        r.ifPresent(x -> refused.computeIfAbsent(companyId, k -> new AtomicLong()).incrementAndGet());
        return r;
    }

    /** send_test calls refused by a limit since start, per company (this instance). */
    public long refused(String companyId) {
        AtomicLong n = refused.get(companyId);
        return n == null ? 0 : n.get();
    }

    public Duration window() {
        return limits.window();
    }

    private Optional<Refusal> over(String name, int max, OffsetDateTime now, String sql, Object... args) {
        if (max <= 0) {
            return Optional.empty(); // 0 switches the limit off
        }
        return jdbc.query(sql, rs -> {
            rs.next();
            int count = rs.getInt(1);
            if (count < max) {
                return Optional.<Refusal>empty();
            }
            OffsetDateTime oldest = rs.getObject(2, OffsetDateTime.class);
            long retry = oldest == null ? limits.window().toSeconds()
                    : Math.max(1, Duration.between(now, oldest.plus(limits.window())).toSeconds() + 1);
            return Optional.of(new Refusal(name, "At most " + max + " invitations " + name.replace('-', ' ')
                    + " within " + limits.window().toMinutes() + " minutes; try again in " + retry + " seconds.", retry));
        }, args);
    }
}
