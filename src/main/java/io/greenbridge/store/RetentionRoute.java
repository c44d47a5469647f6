package io.greenbridge.store;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** The retention pass on a clustered Quartz trigger ({@code greenbridge.retention.cron}): one node per tick. */
@Component
public class RetentionRoute extends RouteBuilder {
    private final Retention retention;
    private final RetentionSettings settings;

    public RetentionRoute(Retention retention, RetentionSettings settings) {
        this.retention = retention;
        this.settings = settings;
    }

    @Override
    public void configure() {
        from("quartz:greenbridge/retention?cron=" + settings.cron().replace(' ', '+'))
                .routeId("retention-schedule")
                .process(e -> retention.purge());
    }
}
