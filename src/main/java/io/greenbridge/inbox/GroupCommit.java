package io.greenbridge.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Group commit: the items that arrive while one transaction is under way go together in the next, so under load
 * many requests share one commit (one page write on H2, one fsync on PostgreSQL). No writer thread: a caller that
 * finds no write under way writes the queue itself (its own item first in line on a quiet system, so a lone item
 * is written at once, with no hand-off); the others wait, and the first of them still waiting writes the next
 * group. A caller returns only after the transaction holding its item committed. When a group fails (one of its
 * keys was seen before, or the store is down), each of its items is written again in a transaction of its own, so
 * one item's fault is answered to that item alone.
 */
final class GroupCommit<T, R> implements AutoCloseable {
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private static final class Item<T, R> {
        final T value;
        final Thread caller = Thread.currentThread();
        volatile boolean done;
        R result;
        RuntimeException failure;

        Item(T value) {
            this.value = value;
        }

        void finish(R r, RuntimeException f) {
            result = r;
            failure = f;
            done = true;
            LockSupport.unpark(caller);
        }
    }

    private final Queue<Item<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final int maxGroup;
    private final Function<List<T>, List<R>> group;
    private final Function<T, R> single;
    private volatile boolean open = true;

    /**
     * {@code group} writes several items in one transaction and returns their results in order; {@code single}
     * writes one in its own transaction.
     */
    GroupCommit(int maxGroup, Function<List<T>, List<R>> group, Function<T, R> single) {
        this.maxGroup = maxGroup;
        this.group = group;
        this.single = single;
    }

    /** Writes {@code value} and returns its result once committed; a store failure is thrown as it was. */
    R write(T value) {
        if (!open) {
            throw new IllegalStateException("the inbox is closed");
        }
        Item<T, R> item = new Item<>(value);
        queue.add(item);
        boolean interrupted = false;
        while (!item.done) {
            if (writing.compareAndSet(false, true)) {
                try {
                    writeQueued();
                } finally {
                    writing.set(false);
                }
                Item<T, R> next = queue.peek();
                if (next != null) {
                    LockSupport.unpark(next.caller); // it leads the next group
                }
            } else {
                LockSupport.parkNanos(this, PARK_NANOS); // woken when done or when the write under way ends
                interrupted |= Thread.interrupted(); // the answer still waits for the commit
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (item.failure != null) {
            throw item.failure;
        }
        return item.result;
    }

    /** Items waiting for the next transaction (a count over the queue: for tests and diagnostics, not the hot path). */
    int queued() {
        return queue.size();
    }

    private void writeQueued() {
        List<Item<T, R>> items = new ArrayList<>();
        for (Item<T, R> i = queue.poll(); i != null; i = items.size() < maxGroup ? queue.poll() : null) {
            items.add(i);
        }
        if (items.size() > 1) {
            try {
                List<R> results = group.apply(items.stream().map(i -> i.value).toList());
                for (int n = 0; n < items.size(); n++) {
                    items.get(n).finish(results.get(n), null);
                }
                return;
            } catch (RuntimeException | Error e) {
                // rolled back as a whole; one at a time below, so each item gets its own answer
            }
        }
        for (Item<T, R> item : items) {
            try {
                item.finish(single.apply(item.value), null);
            } catch (RuntimeException e) {
                item.finish(null, e);
            } catch (Error e) {
                item.finish(null, new IllegalStateException(e)); // never leave a waiter without an answer
            }
        }
    }

    /** Takes no new items; the ones already handed in are still written by their callers. */
    @Override
    public void close() {
        open = false;
    }
}
