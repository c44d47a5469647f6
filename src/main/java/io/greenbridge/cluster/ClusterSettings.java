package io.greenbridge.cluster;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code greenbridge.cluster.*}: how often a node checks in, after how many missed check-ins it counts as dead,
 * and how soon an event handed back because its candidate was busy is tried again.
 */
@ConfigurationProperties("greenbridge.cluster")
public record ClusterSettings(
        @DefaultValue("2s") Duration checkInInterval,
        @DefaultValue("3") int missedCheckIns,
        @DefaultValue("500ms") Duration handBackDelay) {

    public ClusterSettings {
        if (checkInInterval.isNegative() || checkInInterval.isZero()) {
            throw new IllegalArgumentException("greenbridge.cluster.check-in-interval must be positive");
        }
        if (missedCheckIns < 2) {
            throw new IllegalArgumentException("greenbridge.cluster.missed-check-ins must be at least 2");
        }
    }

    /** A node whose last check-in is older than this is dead. */
    public Duration deadAfter() {
        return checkInInterval.multipliedBy(missedCheckIns);
    }
}
