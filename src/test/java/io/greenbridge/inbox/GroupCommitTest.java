package io.greenbridge.inbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The writer's grouping and its fallback, with a store made of lists: items that queue up during a write share the
 * next one, and a failed group is answered item by item.
 */
class GroupCommitTest {
    final List<List<Integer>> groups = new CopyOnWriteArrayList<>();
    final List<Integer> singles = new CopyOnWriteArrayList<>();
    final CountDownLatch release = new CountDownLatch(1);
    final ExecutorService callers = Executors.newFixedThreadPool(8);
    GroupCommit<Integer, String> writer;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        callers.shutdownNow();
        if (writer != null) {
            writer.close();
        }
    }

    /** A group write that refuses the odd numbers as a whole, and a single write that holds the first item back. */
    GroupCommit<Integer, String> start() {
        return new GroupCommit<>(10, items -> {
            groups.add(items);
            if (items.stream().anyMatch(i -> i % 2 == 1)) {
                throw new IllegalStateException("refused");
            }
            return items.stream().map(i -> "group " + i).toList();
        }, item -> {
            singles.add(item);
            if (item == 0) {
                hold(release);
            }
            if (item == 13) {
                throw new IllegalArgumentException("thirteen");
            }
            return "single " + item;
        });
    }

    @Test
    void aLoneItemIsWrittenAtOnceOnItsOwn() {
        writer = start();
        release.countDown();
        assertThat(writer.write(0)).isEqualTo("single 0");
        assertThat(groups).isEmpty();
    }

    @Test
    void itemsQueuedDuringAWriteShareTheNextOneAndEachGetsItsOwnResult() throws Exception {
        Future<String> first = firstWriteHeld();
        List<Future<String>> queued = new ArrayList<>();
        for (int i = 2; i <= 8; i += 2) {
            int n = i;
            queued.add(callers.submit(() -> writer.write(n)));
        }
        await().until(() -> writer.queued() == 4);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("single 0");
        List<String> results = new ArrayList<>();
        for (Future<String> f : queued) {
            results.add(f.get(5, TimeUnit.SECONDS));
        }
        assertThat(results).containsExactly("group 2", "group 4", "group 6", "group 8");
        assertThat(groups).hasSize(1);
        assertThat(groups.get(0)).containsExactlyInAnyOrder(2, 4, 6, 8);
    }

    @Test
    void aFailedGroupIsWrittenItemByItemSoOnlyTheFaultyItemFails() throws Exception {
        Future<String> first = firstWriteHeld();
        Future<String> two = callers.submit(() -> writer.write(2));
        Future<String> thirteen = callers.submit(() -> writer.write(13));
        await().until(() -> writer.queued() == 2);
        release.countDown();
        first.get(5, TimeUnit.SECONDS);
        assertThat(two.get(5, TimeUnit.SECONDS)).isEqualTo("single 2");
        assertThatThrownBy(() -> thirteen.get(5, TimeUnit.SECONDS)).hasCauseInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("thirteen");
        assertThat(groups).hasSize(1);
    }

    @Test
    void afterCloseNothingIsTakenAndWhatWasQueuedIsWritten() throws Exception {
        Future<String> first = firstWriteHeld();
        Future<String> queued = callers.submit(() -> writer.write(2));
        await().until(() -> writer.queued() == 1);
        writer.close();
        assertThatThrownBy(() -> writer.write(4)).isInstanceOf(IllegalStateException.class);
        release.countDown();
        assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("single 0");
        assertThat(queued.get(5, TimeUnit.SECONDS)).isEqualTo("single 2");
    }

    /** Starts the writer and a first write that holds the store until {@code release}, so others queue behind it. */
    private Future<String> firstWriteHeld() {
        writer = start();
        Future<String> first = callers.submit(() -> writer.write(0));
        await().until(() -> singles.contains(0));
        return first;
    }

    private static void hold(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
