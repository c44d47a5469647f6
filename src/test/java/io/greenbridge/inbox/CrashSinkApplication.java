package io.greenbridge.inbox;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;

import io.greenbridge.GreenbridgeApplication;

/**
 * Greenbridge with a stand-in flow that upserts each candidate's latest value into {@code crash_sink}, for
 * {@link CrashRecoveryTest} to kill -9 and restart. The upsert is idempotent the way the real flows' link-based
 * writes are, so a re-run after a crash leaves one row per candidate.
 */
// not a @Configuration: component scanning must not pick it up in other contexts; it is passed as a source
public class CrashSinkApplication {
    public static void main(String[] args) {
        new SpringApplicationBuilder(GreenbridgeApplication.class, CrashSinkApplication.class).run(args);
    }

    @Bean
    RouteBuilder crashSinkRoute(JdbcTemplate jdbc) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS crash_sink (entity VARCHAR(50) PRIMARY KEY, seq INT NOT NULL,"
                + " applied INT NOT NULL)");
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:crash-sink").routeId("crash-sink").process(e -> {
                    String entity = e.getMessage().getHeader("GreenhouseEntityId", String.class);
                    String body = e.getMessage().getBody(String.class);
                    int seq = Integer.parseInt(body.replaceAll(".*\"first_name\":\"seq-(\\d+)\".*", "$1"));
                    Thread.sleep(5); // widen the window in which a kill lands mid-event
                    if (jdbc.update("UPDATE crash_sink SET seq = ?, applied = applied + 1 WHERE entity = ?", seq, entity) == 0) {
                        jdbc.update("INSERT INTO crash_sink (entity, seq, applied) VALUES (?, ?, 1)", entity, seq);
                    }
                });
            }
        };
    }
}
