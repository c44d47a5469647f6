package io.greenbridge.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.greenbridge.inbox.CrashSinkApplication;
import io.greenbridge.inbox.CrashTraffic;
import io.greenbridge.sandbox.GreenbridgeProcess;

/**
 * A node's life on an embedded H2 file: a second node on the same file is refused with a message that several nodes
 * need PostgreSQL; SIGTERM in the middle of work stops claiming, lets the running events finish within the grace
 * period, leaves no claim behind and says so in the log; a restart then does the rest, nothing lost or doubled.
 */
class NodeLifecycleTest {
    static final int EVENTS = 24;
    static final int WORKERS = 4;

    final CrashTraffic traffic = new CrashTraffic();
    GreenbridgeProcess node;
    GreenbridgeProcess second;

    @AfterEach
    void stop() throws Exception {
        for (GreenbridgeProcess p : new GreenbridgeProcess[] {node, second}) {
            if (p != null) {
                p.kill();
            }
        }
    }

    @Test
    void secondNodeOnOneH2FileIsRefusedAndSigtermDrainsTheInbox() throws Exception {
        Path dir = Files.createTempDirectory("gb-lifecycle");
        String dbUrl = "jdbc:h2:file:" + dir.resolve("gb");
        int port = GreenbridgeProcess.freePort();
        node = start(dbUrl, port, dir.resolve("node.log"));
        node.awaitUp(Duration.ofSeconds(90));

        Path secondLog = dir.resolve("second.log");
        second = start(dbUrl, GreenbridgeProcess.freePort(), secondLog);
        assertThatThrownBy(() -> second.awaitUp(Duration.ofSeconds(90))).hasMessageContaining("exited");
        assertThat(Files.readString(secondLog)).contains("already open in another Greenbridge process")
                .contains("Several nodes need PostgreSQL");

        for (int c = 0; c < EVENTS; c++) {
            assertThat(send(port, c)).isEqualTo(200);
        }
        Thread.sleep(500); // the workers are busy with the first events
        node.close(); // SIGTERM
        String log = Files.readString(dir.resolve("node.log"));
        assertThat(log).contains("Inbox: stopping on node").contains("Inbox: drained on node")
                .contains("left the cluster");
        try (Connection db = DriverManager.getConnection(dbUrl, "sa", "")) {
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'processing'")).as("left claimed").isZero();
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM candidate_claims")).isZero();
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM cluster_nodes")).isZero();
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'")).as("finished before the stop")
                    .isGreaterThanOrEqualTo(WORKERS).isLessThan(EVENTS);
            assertThat(CrashTraffic.count(db, "SELECT SUM(applied) FROM crash_sink"))
                    .isEqualTo(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'"));
        }

        node = start(dbUrl, port, dir.resolve("node-2.log"));
        node.awaitUp(Duration.ofSeconds(90));
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && traffic.unfinished(port) > 0) {
            Thread.sleep(200);
        }
        node.close();
        try (Connection db = DriverManager.getConnection(dbUrl, "sa", "")) {
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM webhook_inbox WHERE status = 'done'")).isEqualTo(EVENTS);
            assertThat(CrashTraffic.count(db, "SELECT COUNT(*) FROM crash_sink")).isEqualTo(EVENTS);
            assertThat(CrashTraffic.count(db, "SELECT SUM(applied) FROM crash_sink")).as("applied once each").isEqualTo(EVENTS);
        }
    }

    GreenbridgeProcess start(String dbUrl, int port, Path log) throws Exception {
        return GreenbridgeProcess.start(CrashSinkApplication.class.getName(), port, Map.of(
                "spring.datasource.url", dbUrl, "greenbridge.inbox.dispatch-uri", "direct:crash-sink",
                "greenbridge.inbox.workers", String.valueOf(WORKERS), "crash.sink.delay-ms", "1000",
                "spring.lifecycle.timeout-per-shutdown-phase", "6s"),
                log, "-Xmx384m", "-XX:TieredStopAtLevel=1");
    }

    int send(int port, int candidate) {
        return traffic.send(port, 8000 + candidate, 1, "drain-" + candidate);
    }
}
