package io.greenbridge.assessment;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

import io.greenbridge.config.GreenbridgeProperties;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.support.Backoff;
import io.greenbridge.support.DataKeys;
import io.greenbridge.support.Hashes;

/**
 * The durable outbox of the assessment side effects (invitation emails, Greenhouse PATCH callbacks). Rows are
 * claimed with a conditional update, so several replicas never work on the same row at once; a claim lasts
 * {@link #CLAIM_LEASE}, after which a row whose worker died becomes due again.
 */
@Component
public class AssessmentOutbox {
    public static final String INVITATION_EMAIL = "invitation-email";
    public static final String GREENHOUSE_CALLBACK = "greenhouse-callback";
    /** Dead-letter sources of the two kinds. */
    public static final String EMAIL_SOURCE = "assessment-email";
    public static final String CALLBACK_SOURCE = "assessment-callback";
    static final Duration CLAIM_LEASE = Duration.ofMinutes(5);
    private static final int BATCH = 20;

    private final JdbcTemplate jdbc;
    private final DeadLetterStore deadLetters;
    private final GreenbridgeProperties.Assessment settings;
    private final DataKeys dataKeys;

    public AssessmentOutbox(JdbcTemplate jdbc, DeadLetterStore deadLetters, GreenbridgeProperties props, DataKeys dataKeys) {
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.settings = props.assessment();
        this.dataKeys = dataKeys;
    }

    /** Marks payloads sealed with DataKeys; older rows (before V80) may still hold a token in clear. */
    static final String SEALED = "sealed:";

    /** The candidate token as the pending e-mail row keeps it: AES-GCM-sealed, never in clear. */
    String seal(String token) {
        return SEALED + dataKeys.encrypt(token);
    }

    /** The token of a claimed e-mail row (null when the row carries none). */
    String unseal(String payload) {
        if (payload == null) {
            return null;
        }
        return payload.startsWith(SEALED) ? dataKeys.decrypt(payload.substring(SEALED.length())) : payload;
    }

    /** A claimed row; {@code attempt} counts this one (1 for the first). */
    public record Item(long id, String kind, String ref, int attempt, String payload) {
    }

    /** Queues work, due at once; call inside the transaction that makes the work necessary. */
    void enqueue(String kind, String ref, String payload) {
        OffsetDateTime now = Tenants.now();
        jdbc.update("INSERT INTO outbox (kind, ref, status, attempts, next_attempt_at, created_at, payload) "
                + "VALUES (?, ?, 'pending', 0, ?, ?, ?)", kind, ref, now, now, payload);
    }

    /** Claims up to a batch of due rows for this worker. */
    List<Item> claimDue() {
        OffsetDateTime now = Tenants.now();
        List<Item> due = jdbc.query("SELECT id, kind, ref, attempts, payload FROM outbox WHERE status = 'pending' "
                        + "AND next_attempt_at <= ? ORDER BY next_attempt_at, id FETCH FIRST " + BATCH + " ROWS ONLY",
                (rs, i) -> new Item(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getInt(4), rs.getString(5)), now);
        List<Item> claimed = new ArrayList<>();
        for (Item item : due) {
            int won = jdbc.update("UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ? "
                            + "WHERE id = ? AND status = 'pending' AND attempts = ? AND next_attempt_at <= ?",
                    now.plus(CLAIM_LEASE), item.id(), item.attempt(), now);
            if (won == 1) {
                claimed.add(new Item(item.id(), item.kind(), item.ref(), item.attempt() + 1, item.payload()));
            }
        }
        return claimed;
    }

    /** Done: the email's token copy is dropped, it is no longer needed. */
    void done(Item item) {
        jdbc.update("UPDATE outbox SET status = 'done', done_at = ?, payload = NULL, last_error = NULL WHERE id = ?",
                Tenants.now(), item.id());
    }

    /**
     * A failed attempt: retried after an exponential backoff, or dead after the last attempt or when it can never
     * succeed ({@code permanent}). True when dead.
     */
    boolean failed(Item item, String error, Integer httpStatus, String response, boolean permanent) {
        if (permanent || item.attempt() >= settings.maxAttempts()) {
            // the token dies with the row: a replay issues a fresh one (requeue)
            jdbc.update("UPDATE outbox SET status = 'dead', last_error = ?, payload = NULL WHERE id = ?", error, item.id());
            deadLetters.record(deadLetterSource(item.kind()), item.ref(),
                    item.kind() + " for invitation " + item.ref() + " failed " + item.attempt() + " times",
                    error, httpStatus, response, null);
            return true;
        }
        jdbc.update("UPDATE outbox SET next_attempt_at = ?, last_error = ? WHERE id = ?",
                Tenants.now().plus(backoff(item.attempt())), error, item.id());
        return false;
    }

    /**
     * Replays a dead row (dead-letter replay): all attempts again, due now. A dead e-mail no longer has its token, so
     * the invitation gets a fresh one (the old was never delivered). False when there is no dead row.
     */
    @Transactional
    public boolean requeue(String kind, String ref) {
        String payload = null;
        if (INVITATION_EMAIL.equals(kind)) {
            if (jdbc.queryForObject("SELECT COUNT(*) FROM outbox WHERE kind = ? AND ref = ? AND status = 'dead'",
                    Integer.class, kind, ref) == 0) {
                return false;
            }
            String token = Secrets.random256();
            jdbc.update("UPDATE invitations SET token_hash = ? WHERE id = ?", Hashes.sha256Hex(token), ref);
            payload = seal(token);
        }
        return jdbc.update("UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = ?, "
                + "payload = COALESCE(?, payload) WHERE kind = ? AND ref = ? AND status = 'dead'",
                Tenants.now(), payload, kind, ref) > 0;
    }

    /** Row counts per kind and status, e.g. {@code invitation-email.pending}. */
    Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        jdbc.query("SELECT kind, status, COUNT(*) FROM outbox GROUP BY kind, status ORDER BY kind, status",
                rs -> { out.put(rs.getString(1) + "." + rs.getString(2), rs.getInt(3)); });
        return out;
    }

    Duration backoff(int attempt) {
        return Backoff.exponential(settings.backoffInitial(), attempt - 1, settings.backoffMax()); // attempt counts from 1
    }

    static String deadLetterSource(String kind) {
        return INVITATION_EMAIL.equals(kind) ? EMAIL_SOURCE : CALLBACK_SOURCE;
    }
}
