package io.greenbridge.cluster;

import java.lang.management.ManagementFactory;
import java.util.UUID;

import org.springframework.stereotype.Component;

/** This process's node id (host/pid plus a random part): the owner of every claim it takes. */
@Component
public class NodeIdentity {
    private final String id = ManagementFactory.getRuntimeMXBean().getName() + "/"
            + UUID.randomUUID().toString().substring(0, 8);

    public String id() {
        return id;
    }
}
