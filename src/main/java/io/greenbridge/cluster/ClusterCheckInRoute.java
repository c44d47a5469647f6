package io.greenbridge.cluster;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** Every node checks in on its own timer (not Quartz: every node must run it, not one per tick). */
@Component
public class ClusterCheckInRoute extends RouteBuilder {
    private final NodeRegistry registry;
    private final long periodMillis;

    public ClusterCheckInRoute(NodeRegistry registry, ClusterSettings settings) {
        this.registry = registry;
        this.periodMillis = settings.checkInInterval().toMillis();
    }

    @Override
    public void configure() {
        from("timer:cluster-check-in?period=" + periodMillis + "&delay=" + periodMillis)
                .routeId("cluster-check-in")
                .bean(registry, "checkIn");
    }
}
