package io.greenbridge.sync;

import java.util.concurrent.atomic.AtomicInteger;

/** The counts of one sync run, updated as the run goes. */
public final class SyncSummary {
    public final AtomicInteger created = new AtomicInteger();
    public final AtomicInteger updated = new AtomicInteger();
    public final AtomicInteger unchanged = new AtomicInteger();
    public final AtomicInteger skipped = new AtomicInteger();
    public final AtomicInteger failed = new AtomicInteger();

    /** Counts one record's outcome by name: created, updated, unchanged, skipped or failed. */
    public void count(String outcome) {
        switch (outcome) {
            case "created" -> created.incrementAndGet();
            case "updated", "linked" -> updated.incrementAndGet();
            case "unchanged" -> unchanged.incrementAndGet();
            case "skipped" -> skipped.incrementAndGet();
            default -> failed.incrementAndGet();
        }
    }
}
