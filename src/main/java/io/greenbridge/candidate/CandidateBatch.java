package io.greenbridge.candidate;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

import io.greenbridge.store.DeadLetter;
import io.greenbridge.store.DeadLetterReplayer;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.sync.SyncSummary;

/**
 * Syncs a batch of loaded candidates a few at a time (the shared Beamery and Harvest limiters do the pacing).
 * A candidate that fails is counted, dead-lettered as source {@code candidate-sync} (replay = sync it again)
 * and does not stop the batch.
 */
@Component
public class CandidateBatch implements DeadLetterReplayer, DisposableBean {
    static final String SOURCE = "candidate-sync";
    private static final Logger LOG = LoggerFactory.getLogger(CandidateBatch.class);
    private static final int PARALLEL = 4;

    private final CandidateSync sync;
    private final DeadLetterStore deadLetters;
    private final ExecutorService pool = Executors.newFixedThreadPool(PARALLEL, r -> {
        Thread t = new Thread(r, "candidate-batch");
        t.setDaemon(true);
        return t;
    });

    public CandidateBatch(CandidateSync sync, DeadLetterStore deadLetters) {
        this.sync = sync;
        this.deadLetters = deadLetters;
    }

    /** Returns how many candidates failed. */
    public int syncAll(Collection<CandidateData> batch, CandidateSync.Context context, SyncSummary summary) {
        AtomicInteger failed = new AtomicInteger();
        List<Future<?>> running = new ArrayList<>(batch.size());
        for (CandidateData data : batch) {
            running.add(pool.submit(() -> {
                try {
                    summary.count(sync.sync(data, context).outcome());
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    summary.count("failed");
                    LOG.warn("Candidate {} failed in {}: {}", data.greenhouseId(), context.trigger(), e.getMessage());
                    deadLetters.record(SOURCE, data.greenhouseId(), context.trigger() + " of candidate " + data.greenhouseId(), e, null);
                }
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
        return failed.get();
    }

    /** Candidates Greenhouse no longer has are counted as skipped. */
    public int syncLoaded(Collection<Long> ids, Map<Long, CandidateData> loaded, CandidateSync.Context context, SyncSummary summary) {
        ids.stream().filter(id -> !loaded.containsKey(id)).forEach(id -> summary.count("skipped"));
        return syncAll(loaded.values(), context, summary);
    }

    @Override
    public String source() {
        return SOURCE;
    }

    @Override
    public boolean replay(DeadLetter letter) {
        sync.syncCandidate(Long.parseLong(letter.ref()), sync.defaults("replay"));
        return true;
    }

    @Override
    public void destroy() {
        pool.shutdownNow();
    }
}
