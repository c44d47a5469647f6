package io.greenbridge.cluster;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import io.greenbridge.ops.StatusContributor;

/**
 * The nodes sharing this store ({@code cluster_nodes}), as Quartz's cluster check-in does it: each node checks in
 * every {@code greenbridge.cluster.check-in-interval}; one that missed {@code missed-check-ins} in a row is dead, and
 * the next live node to check in releases what it held: its 'processing' inbox events go back to pending (the attempt
 * they were on is not counted) and its candidate claims are freed. Claims whose owner is not a registered node at
 * all (a node that left, an older version) are released the same way. So a kill -9 costs seconds, not a lease.
 */
@Component
@DependsOnDatabaseInitialization
@EnableConfigurationProperties(ClusterSettings.class)
public class NodeRegistry implements InitializingBean, StatusContributor {
    private static final Logger LOG = LoggerFactory.getLogger(NodeRegistry.class);
    /** Claimed events put back in line; the attempt they were on is not counted. */
    private static final String BACK_IN_LINE = "UPDATE webhook_inbox SET status = 'pending', claimed_by = NULL,"
            + " claimed_until = NULL, attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END,"
            + " next_attempt_at = ? WHERE status = 'processing'";

    private final JdbcTemplate jdbc;
    private final String node;
    private final ClusterSettings settings;
    private final boolean singleProcessStore;
    private final ObjectProvider<CamelContext> camels;
    private volatile ScheduledExecutorService checkIns;
    private volatile boolean left;

    public NodeRegistry(DataSource dataSource, NodeIdentity identity, ClusterSettings settings,
                        ObjectProvider<CamelContext> camels,
                        @org.springframework.beans.factory.annotation.Value("${spring.datasource.url:}") String url) {
        this.jdbc = new JdbcTemplate(dataSource);
        this.camels = camels;
        this.node = identity.id();
        this.settings = settings;
        // an embedded H2 database is open in one process only: every other node in it is gone
        this.singleProcessStore = url.startsWith("jdbc:h2:") && !url.toUpperCase().contains("AUTO_SERVER=TRUE");
    }

    @Override
    public void afterPropertiesSet() {
        Timestamp now = now();
        jdbc.update("INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at) VALUES (?,?,?)", node, now, now);
        LOG.info("Node {} joined the cluster (check-in every {}, dead after {})", node, settings.checkInInterval(),
                settings.deadAfter());
        if (singleProcessStore) {
            releaseAll(jdbc.queryForList("SELECT node_id FROM cluster_nodes WHERE node_id <> ?", String.class, node),
                    "this embedded store is open in one process only");
        }
        releaseOrphans();
        // checking in starts with the registration, not with the routes: a slow start must not look like a death.
        // Camel's pool (named, in JMX) looked up, not injected: the inbox's lifecycle must not start Camel early
        CamelContext camel = camels.getObject();
        checkIns = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "cluster-check-in");
        long period = settings.checkInInterval().toMillis();
        checkIns.scheduleWithFixedDelay(this::checkInQuietly, period, period, TimeUnit.MILLISECONDS);
    }

    private void checkInQuietly() {
        try {
            checkIn();
        } catch (RuntimeException e) { // the store is down: try again next time, the schedule must go on
            LOG.warn("Node {} could not check in: {}", node, e.toString());
        }
    }

    /** Records this node's check-in and releases the claims of nodes that stopped checking in. */
    public void checkIn() {
        if (left) {
            return;
        }
        Timestamp now = now();
        if (jdbc.update("UPDATE cluster_nodes SET heartbeat_at = ? WHERE node_id = ?", now, node) == 0) {
            // another node took this one for dead (a long pause) and released its claims; it carries on as new
            LOG.warn("Node {} had been taken for dead and its claims released; checking in again", node);
            jdbc.update("INSERT INTO cluster_nodes (node_id, started_at, heartbeat_at) VALUES (?,?,?)", node, now, now);
        }
        Timestamp cutoff = Timestamp.from(now.toInstant().minus(settings.deadAfter()));
        List<String> dead = jdbc.queryForList("SELECT node_id FROM cluster_nodes WHERE heartbeat_at < ? AND node_id <> ?",
                String.class, cutoff, node);
        releaseAll(dead, "missed " + settings.missedCheckIns() + " check-ins");
        releaseOrphans();
    }

    /** After a clean drain: this node holds nothing any more, so it leaves and stops checking in. */
    public void leave() {
        left = true;
        if (checkIns != null) {
            camels.getObject().getExecutorServiceManager().shutdown(checkIns);
        }
        jdbc.update("DELETE FROM cluster_nodes WHERE node_id = ?", node);
        LOG.info("Node {} left the cluster", node);
    }

    public String nodeId() {
        return node;
    }

    private void releaseAll(List<String> nodes, String why) {
        for (String dead : nodes) {
            int events = jdbc.update(BACK_IN_LINE + " AND claimed_by = ?", now(), dead);
            int claims = jdbc.update("DELETE FROM candidate_claims WHERE claimed_by = ?", dead);
            jdbc.update("DELETE FROM cluster_nodes WHERE node_id = ?", dead);
            LOG.warn("Node {} is gone ({}): {} inbox events back in line, {} candidate claims freed", dead, why,
                    events, claims);
        }
    }

    private void releaseOrphans() {
        int events = jdbc.update(BACK_IN_LINE + " AND (claimed_by IS NULL"
                + " OR claimed_by NOT IN (SELECT node_id FROM cluster_nodes))", now());
        int claims = jdbc.update("DELETE FROM candidate_claims WHERE claimed_by NOT IN (SELECT node_id FROM cluster_nodes)");
        if (events + claims > 0) {
            LOG.warn("Claims of no registered node released: {} inbox events back in line, {} candidate claims freed",
                    events, claims);
        }
    }

    @Override
    public String section() {
        return "cluster";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("node", node);
        Map<String, String> nodes = new LinkedHashMap<>();
        jdbc.query("SELECT node_id, heartbeat_at FROM cluster_nodes ORDER BY started_at",
                rs -> {
                    nodes.put(rs.getString(1), rs.getTimestamp(2).toInstant().toString());
                });
        out.put("nodes", nodes);
        out.put("checkInInterval", settings.checkInInterval().toString());
        return out;
    }

    private static Timestamp now() {
        return Timestamp.from(Instant.now());
    }
}
