package io.greenbridge.inbox;

import java.sql.Timestamp;
import java.util.Date;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import io.greenbridge.GreenbridgeApplication;
import io.greenbridge.cluster.NodeIdentity;
import io.greenbridge.contact.CandidateLocks;

/**
 * Greenbridge with a stand-in flow that upserts each candidate's latest value into {@code crash_sink}, for
 * {@link CrashRecoveryTest} and {@code TwoNodeCrashTest} to kill -9 and restart. Like the real flows it works under the
 * candidate's claim and looks before it inserts (no unique key), so two writers of one candidate at once would leave
 * two rows: the claims, not the table, keep it to one. A clustered Quartz tick records which node ran each fire time.
 */
// not a @Configuration: component scanning must not pick it up in other contexts; it is passed as a source
public class CrashSinkApplication {
    public static void main(String[] args) {
        new SpringApplicationBuilder(GreenbridgeApplication.class, CrashSinkApplication.class).run(args);
    }

    @Bean
    RouteBuilder crashSinkRoute(JdbcTemplate jdbc, CandidateLocks locks, NodeIdentity node,
                                @Value("${crash.sink.delay-ms:5}") long delayMillis) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS crash_sink (entity VARCHAR(50) NOT NULL, seq INT NOT NULL,"
                + " applied INT NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS crash_ticks (fire_time TIMESTAMP WITH TIME ZONE NOT NULL,"
                + " node VARCHAR(200) NOT NULL)");
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:crash-sink").routeId("crash-sink").process(e -> {
                    String entity = e.getMessage().getHeader("GreenhouseEntityId", String.class);
                    String body = e.getMessage().getBody(String.class);
                    int seq = Integer.parseInt(body.replaceAll(".*\"first_name\":\"seq-(\\d+)\".*", "$1"));
                    locks.withCandidate(entity, () -> {
                        sleep(delayMillis); // widen the window in which a kill or a stop lands mid-event
                        if (jdbc.update("UPDATE crash_sink SET seq = ?, applied = applied + 1 WHERE entity = ?", seq, entity) == 0) {
                            jdbc.update("INSERT INTO crash_sink (entity, seq, applied) VALUES (?, ?, 1)", entity, seq);
                        }
                    });
                });
                from("quartz:crash/tick?cron=0/2+*+*+*+*+?").routeId("crash-tick").process(e -> {
                    Date fire = e.getMessage().getHeader("scheduledFireTime", Date.class);
                    jdbc.update("INSERT INTO crash_ticks (fire_time, node) VALUES (?, ?)",
                            new Timestamp(fire.getTime()), node.id());
                });
            }
        };
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
