package io.greenbridge.inbox;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import io.greenbridge.config.GreenbridgeProperties;

/**
 * Polls the inbox on every node; claims keep nodes from sharing an event. A poll keeps claiming while there is work
 * ({@link InboxWorker#poll}), so the delay only applies to an idle inbox.
 */
@Component
public class InboxRoute extends RouteBuilder {
    private final InboxWorker worker;
    private final long delayMillis;

    public InboxRoute(InboxWorker worker, GreenbridgeProperties props) {
        this.worker = worker;
        this.delayMillis = props.inbox().pollInterval().toMillis();
    }

    @Override
    public void configure() {
        from("scheduler:greenhouse-inbox?delay=" + delayMillis + "&initialDelay=1000&useFixedDelay=true")
                .routeId("greenhouse-inbox-worker")
                .bean(worker, "poll");
    }
}
