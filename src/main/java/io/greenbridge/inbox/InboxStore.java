package io.greenbridge.inbox;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The durable webhook inbox. Accepting an event and recording its dedupe keys in the table of Camel's JDBC
 * idempotent repository ({@code CAMEL_MESSAGEPROCESSED}) happen in one transaction, before the caller gets its
 * 200. A node claims rows under its node id; a node that dies holding some is found by
 * {@link io.greenbridge.cluster.NodeRegistry}, which puts them back in line.
 */
@Component
public class InboxStore {
    public enum Acceptance { ACCEPTED, IGNORED, DUPLICATE }

    static final String REPOSITORY_NAME = "greenhouse-webhooks";
    // deliveries per transaction at most: a few hundred rows keep a commit short however deep the queue
    static final int MAX_GROUP = 200;
    private static final String INSERT_KEY = "INSERT INTO CAMEL_MESSAGEPROCESSED (processorName, messageId, createdAt)"
            + " VALUES (?,?,?)";
    private static final String INSERT_KEYS = INSERT_KEY + ", (?,?,?)";
    private static final String INSERT_EVENT = "INSERT INTO webhook_inbox (event_id, dedupe_key, action, entity_id,"
            + " partition_key, payload, status, attempts, next_attempt_at, received_at) VALUES (?,?,?,?,?,?,?,0,?,?)";

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final boolean postgres;
    private final GroupCommit<Delivery, Acceptance> writer;

    public InboxStore(DataSource dataSource, PlatformTransactionManager txManager) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.tx = new TransactionTemplate(txManager);
        this.postgres = isPostgres(jdbc);
        this.writer = new GroupCommit<>(MAX_GROUP, this::storeGroup, this::storeOne);
    }

    private static boolean isPostgres(JdbcTemplate jdbc) {
        String product = jdbc.execute((java.sql.Connection c) -> c.getMetaData().getDatabaseProductName());
        return product != null && product.toLowerCase(java.util.Locale.ROOT).contains("postgresql");
    }

    /** One delivery to store: its dedupe keys (the event key may be null) and its row. */
    record Delivery(String eventKey, String contentKey, String eventId, String action, String entityId,
                    String partitionKey, String payload, boolean ignored, Timestamp receivedAt) {
    }

    /**
     * Stores the event unless one of its keys was seen before, and returns once it is committed. The deliveries
     * that arrive while a commit is under way are stored together in the next transaction ({@link GroupCommit}):
     * the keys in one batch against the primary key that refuses a key seen before (so a duplicate costs no lookup
     * first), then the rows. Concurrent duplicates collide on the same key and are answered as duplicates, never
     * as errors; a duplicate stores nothing, not even its other key.
     */
    public Acceptance accept(String eventId, String contentKey, String action, String entityId, String partitionKey,
                             String payload, boolean ignored) {
        String eventKey = eventId == null || eventId.isBlank() ? null : "event:" + eventId;
        return writer.write(new Delivery(eventKey, contentKey, eventId, action, entityId, partitionKey, payload,
                ignored, Timestamp.from(Instant.now())));
    }

    private static Acceptance outcome(Delivery d) {
        return d.ignored() ? Acceptance.IGNORED : Acceptance.ACCEPTED;
    }

    /** Several deliveries in one transaction; any refused key rolls back all of them (GroupCommit then retries each). */
    private List<Acceptance> storeGroup(List<Delivery> group) {
        List<Object[]> keys = new ArrayList<>(group.size() * 2);
        List<Object[]> rows = new ArrayList<>(group.size());
        for (Delivery d : group) {
            if (d.eventKey() != null) {
                keys.add(new Object[] {REPOSITORY_NAME, d.eventKey(), d.receivedAt()});
            }
            keys.add(new Object[] {REPOSITORY_NAME, d.contentKey(), d.receivedAt()});
            rows.add(row(d));
        }
        tx.executeWithoutResult(status -> {
            jdbc.batchUpdate(INSERT_KEY, keys);
            jdbc.batchUpdate(INSERT_EVENT, rows);
        });
        return group.stream().map(InboxStore::outcome).toList();
    }

    /** One delivery in its own transaction: two statements (its keys in one multi-row insert, then the row). */
    private Acceptance storeOne(Delivery d) {
        try {
            return tx.execute(status -> {
                if (d.eventKey() == null) {
                    jdbc.update(INSERT_KEY, REPOSITORY_NAME, d.contentKey(), d.receivedAt());
                } else {
                    jdbc.update(INSERT_KEYS, REPOSITORY_NAME, d.eventKey(), d.receivedAt(), REPOSITORY_NAME,
                            d.contentKey(), d.receivedAt());
                }
                jdbc.update(INSERT_EVENT, row(d));
                return outcome(d);
            });
        } catch (DataIntegrityViolationException e) {
            return Acceptance.DUPLICATE;
        }
    }

    private static Object[] row(Delivery d) {
        return new Object[] {d.eventId(), d.contentKey(), d.action(), d.entityId(), d.partitionKey(), d.payload(),
                d.ignored() ? "ignored" : "pending", d.receivedAt(), d.receivedAt()};
    }

    @PreDestroy
    void stopWriter() {
        writer.close();
    }

    /**
     * An earlier pending row of the partition, a running one, or a claim on its candidate keep a row from being claimed.
     * One equality on status per subquery, so each is a short range of an open-rows index, never the done history.
     */
    private static final String CLAIMABLE = "i.status = 'pending' AND i.next_attempt_at <= ?"
            + " AND NOT EXISTS (SELECT 1 FROM webhook_inbox p WHERE p.partition_key = i.partition_key"
            + "   AND p.status = 'pending' AND p.id < i.id)"
            + " AND NOT EXISTS (SELECT 1 FROM webhook_inbox r WHERE r.partition_key = i.partition_key"
            + "   AND r.status = 'processing')"
            + " AND NOT EXISTS (SELECT 1 FROM candidate_claims c WHERE i.partition_key LIKE 'candidate:%'"
            + "   AND c.claim_key = SUBSTRING(i.partition_key, " + (InboxEvent.CANDIDATE_PREFIX.length() + 1) + "))";

    /**
     * Claims up to {@code limit} due events for {@code node}: only the oldest unfinished one of each partition, so
     * events of one candidate run in order, and none whose candidate another worker holds (those are left for later,
     * the worker takes other candidates' events). On PostgreSQL one statement with {@code FOR UPDATE SKIP LOCKED}, so
     * nodes claiming at once pass each other; elsewhere a conditional UPDATE per row.
     */
    public List<InboxEvent> claim(String node, int limit) {
        Timestamp now = Timestamp.from(Instant.now());
        if (postgres) {
            return sorted(jdbc.query("UPDATE webhook_inbox SET status = 'processing', claimed_by = ?, claimed_until = NULL,"
                    + " attempts = attempts + 1 WHERE id IN (SELECT i.id FROM webhook_inbox i WHERE " + CLAIMABLE
                    + " ORDER BY i.id LIMIT " + limit + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS, EVENT, node, now));
        }
        // one transaction, so one commit (one disk write on H2) for the whole batch
        List<Long> ids = tx.execute(status -> {
            List<Long> taken = new ArrayList<>();
            for (Long id : jdbc.queryForList("SELECT i.id FROM webhook_inbox i WHERE " + CLAIMABLE
                    + " ORDER BY i.id FETCH FIRST " + limit + " ROWS ONLY", Long.class, now)) {
                if (jdbc.update("UPDATE webhook_inbox SET status = 'processing', claimed_by = ?, claimed_until = NULL,"
                        + " attempts = attempts + 1 WHERE id = ? AND status = 'pending'", node, id) == 1) {
                    taken.add(id);
                }
            }
            return taken;
        });
        if (ids == null || ids.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return sorted(jdbc.query("SELECT " + COLUMNS + " FROM webhook_inbox WHERE id IN (" + in + ")", EVENT, ids.toArray()));
    }

    private static List<InboxEvent> sorted(List<InboxEvent> events) {
        return events.stream().sorted(java.util.Comparator.comparingLong(InboxEvent::id)).toList();
    }

    /**
     * Gives back an event this node claimed but did not run (its candidate was busy, or the node is stopping):
     * pending again, due after {@code delay}, and the attempt it was on not counted.
     */
    public void handBack(long id, String node, Duration delay) {
        jdbc.update("UPDATE webhook_inbox SET status = 'pending', next_attempt_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
                + " WHERE id = ? AND claimed_by = ? AND status = 'processing'",
                Timestamp.from(Instant.now().plus(delay)), id, node);
    }

    private static final String COLUMNS = "id, event_id, action, entity_id, partition_key, payload, attempts, received_at";
    private static final RowMapper<InboxEvent> EVENT = (rs, i) -> new InboxEvent(rs.getLong(1), rs.getString(2),
            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7), rs.getTimestamp(8).toInstant());

    public Optional<InboxEvent> find(long id) {
        return jdbc.query("SELECT " + COLUMNS + " FROM webhook_inbox WHERE id = ?", EVENT, id).stream().findFirst();
    }

    public void markDone(long id, String worker) {
        jdbc.update("UPDATE webhook_inbox SET status = 'done', processed_at = ?, claimed_by = NULL, claimed_until = NULL,"
                + " last_error = NULL WHERE id = ? AND claimed_by = ?", Timestamp.from(Instant.now()), id, worker);
    }

    public void retryLater(long id, String worker, Instant when, String error) {
        jdbc.update("UPDATE webhook_inbox SET status = 'pending', next_attempt_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?",
                Timestamp.from(when), error, id, worker);
    }

    public void markDead(long id, String worker, String error) {
        jdbc.update("UPDATE webhook_inbox SET status = 'dead', processed_at = ?, claimed_by = NULL,"
                + " claimed_until = NULL, last_error = ? WHERE id = ? AND claimed_by = ?",
                Timestamp.from(Instant.now()), error, id, worker);
    }

    /** Puts a dead event back in line with a fresh attempt budget (dead-letter replay). */
    public boolean requeue(long id) {
        return jdbc.update("UPDATE webhook_inbox SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                + " last_error = NULL WHERE id = ? AND status IN ('dead', 'ignored')", Timestamp.from(Instant.now()), id) == 1;
    }

    /** Counts per status, for /api/status, JMX and metrics. */
    public Map<String, Long> countsByStatus() {
        Map<String, Long> counts = new java.util.TreeMap<>();
        for (String s : List.of("pending", "processing", "done", "ignored", "dead")) {
            counts.put(s, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM webhook_inbox GROUP BY status",
                rs -> {
                    counts.put(rs.getString(1), rs.getLong(2));
                });
        return counts;
    }

    /** Age of the oldest unfinished event, the inbox's lag. */
    public Optional<Duration> oldestPendingAge() {
        Timestamp t = jdbc.queryForObject("SELECT MIN(received_at) FROM webhook_inbox WHERE status IN ('pending','processing')",
                Timestamp.class);
        return Optional.ofNullable(t).map(ts -> Duration.between(ts.toInstant(), Instant.now()));
    }
}
