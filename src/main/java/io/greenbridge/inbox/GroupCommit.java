package io.greenbridge.inbox;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: one writer thread stores what the callers hand it, and the items that arrive while one
 * transaction is under way go together in the next, so under load many requests share one commit (one page
 * write on H2, one fsync on PostgreSQL). A caller returns only after the transaction holding its item committed.
 * A lone item is written at once: nothing waits for a group to fill. When a group fails (one of its keys was seen
 * before, or the store is down), each of its items is written again in a transaction of its own, so one item's
 * fault is answered to that item alone.
 */
final class GroupCommit<T, R> implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

    private record Item<T, R>(T value, CompletableFuture<R> result) {
    }

    private final BlockingQueue<Item<T, R>> queue = new LinkedBlockingQueue<>();
    private final int maxGroup;
    private final Function<List<T>, List<R>> group;
    private final Function<T, R> single;
    private final Thread writer;
    private volatile boolean open = true;

    /**
     * {@code group} writes several items in one transaction and returns their results in order; {@code single}
     * writes one in its own transaction.
     */
    GroupCommit(String name, int maxGroup, Function<List<T>, List<R>> group, Function<T, R> single) {
        this.maxGroup = maxGroup;
        this.group = group;
        this.single = single;
        this.writer = new Thread(this::run, name);
        writer.setDaemon(true);
        writer.start();
    }

    /** Writes {@code value} and returns its result once committed; a store failure is thrown as it was. */
    R write(T value) {
        Item<T, R> item = new Item<>(value, new CompletableFuture<>());
        if (!open) {
            throw new IllegalStateException("the inbox writer is stopped");
        }
        queue.add(item);
        if (!open && queue.remove(item)) {
            throw new IllegalStateException("the inbox writer is stopped");
        }
        try {
            return item.result().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the inbox commit", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    /** Items waiting for the next transaction. */
    int queued() {
        return queue.size();
    }

    private void run() {
        List<Item<T, R>> items = new ArrayList<>(maxGroup);
        while (open || !queue.isEmpty()) {
            try {
                Item<T, R> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                items.add(first);
                queue.drainTo(items, maxGroup - 1);
                store(items);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) {
                LOG.error("Inbox writer: {}", t.toString());
                items.forEach(i -> i.result().completeExceptionally(t));
            } finally {
                items.clear();
            }
        }
    }

    private void store(List<Item<T, R>> items) {
        if (items.size() > 1) {
            try {
                List<R> results = group.apply(items.stream().map(Item::value).toList());
                for (int i = 0; i < items.size(); i++) {
                    items.get(i).result().complete(results.get(i));
                }
                return;
            } catch (RuntimeException e) {
                // rolled back as a whole; one at a time below, so each item gets its own answer
            }
        }
        for (Item<T, R> item : items) {
            try {
                item.result().complete(single.apply(item.value()));
            } catch (RuntimeException e) {
                item.result().completeExceptionally(e);
            }
        }
    }

    /**
     * Stops taking items; what is queued is still written. No interrupt: an interrupted file channel would close
     * the H2 store under the transaction.
     */
    @Override
    public void close() throws InterruptedException {
        open = false;
        writer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
