package io.greenbridge.sync;

import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Runs the {@link SyncFlow}s: from Quartz routes, {@code POST /api/sync/{name}} and JMX. One run of a flow at a
 * time per node (a second request joins the running one); Quartz's clustered store keeps scheduled ticks to one
 * node. Every run is recorded with its summary.
 */
@Component
public class SyncRunner implements DisposableBean {
    private static final Logger LOG = LoggerFactory.getLogger(SyncRunner.class);

    private final Map<String, SyncFlow> flows;
    private final SyncRunStore runs;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private final CamelContext camel;
    // Camel's thread pools: named, shown in JMX, shut down with the context
    private final ExecutorService pool;
    private final ScheduledExecutorService progress;

    public record Running(String runId, CompletableFuture<SyncRun> result) {
    }

    public SyncRunner(org.springframework.beans.factory.ObjectProvider<SyncFlow> flows, SyncRunStore runs,
                      CamelContext camel) {
        this.flows = flows.orderedStream().collect(Collectors.toMap(SyncFlow::name, Function.identity()));
        this.runs = runs;
        this.camel = camel;
        this.pool = camel.getExecutorServiceManager().newCachedThreadPool(this, "sync-run");
        this.progress = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "sync-progress");
    }

    public Set<String> flowNames() {
        return flows.keySet();
    }

    public boolean exists(String flow) {
        return flows.containsKey(flow);
    }

    /** Starts a run (or joins the one in progress) and returns at once. */
    public Running start(String flowName) {
        SyncFlow flow = flows.get(flowName);
        if (flow == null) {
            throw new IllegalArgumentException("unknown flow " + flowName);
        }
        return running.computeIfAbsent(flowName, name -> {
            String runId = UUID.randomUUID().toString();
            runs.started(runId, name);
            CompletableFuture<SyncRun> result = CompletableFuture.supplyAsync(() -> execute(flow, runId), pool);
            result.whenComplete((r, e) -> running.remove(name));
            return new Running(runId, result);
        });
    }

    /** Runs to the end and returns the recorded run; used by the Quartz routes. */
    public SyncRun runNow(String flowName) {
        return start(flowName).result().join();
    }

    private SyncRun execute(SyncFlow flow, String runId) {
        SyncSummary summary = new SyncSummary();
        var ticker = progress.scheduleAtFixedRate(() -> runs.progress(runId, summary), 1, 1, TimeUnit.SECONDS);
        long started = System.nanoTime();
        try {
            flow.run(summary);
            runs.finished(runId, summary, "succeeded", null);
            LOG.info("Sync {} run {} finished in {} ms: created {}, updated {}, unchanged {}, skipped {}, failed {}",
                    flow.name(), runId, (System.nanoTime() - started) / 1_000_000, summary.created, summary.updated,
                    summary.unchanged, summary.skipped, summary.failed);
        } catch (Throwable e) {
            LOG.error("Sync {} run {} failed: {}", flow.name(), runId, e.toString());
            runs.finished(runId, summary, "failed", String.valueOf(e.getMessage()));
        } finally {
            ticker.cancel(false);
        }
        return runs.find(runId).orElseThrow();
    }

    @Override
    public void destroy() {
        camel.getExecutorServiceManager().shutdownNow(progress);
        camel.getExecutorServiceManager().shutdownNow(pool);
    }
}
