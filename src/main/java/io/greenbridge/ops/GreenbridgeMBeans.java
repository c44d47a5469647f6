package io.greenbridge.ops;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.greenbridge.inbox.InboxStore;
import io.greenbridge.store.CursorStore;
import io.greenbridge.store.DeadLetterStore;
import io.greenbridge.sync.SyncRun;
import io.greenbridge.sync.SyncRunStore;
import io.greenbridge.sync.SyncRunner;

/**
 * Greenbridge's own MBeans under {@code io.greenbridge}: the inbox and dead letters, and one per sync flow
 * with its last run, cursor and a run-now operation. Camel's MBeans are under {@code org.apache.camel}.
 */
@Component
public class GreenbridgeMBeans implements SmartInitializingSingleton, DisposableBean {
    private final InboxStore inbox;
    private final DeadLetterStore deadLetters;
    private final SyncRunner runner;
    private final SyncRunStore runs;
    private final CursorStore cursors;
    private final List<ObjectName> registered = new ArrayList<>();
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    public GreenbridgeMBeans(InboxStore inbox, DeadLetterStore deadLetters, SyncRunner runner, SyncRunStore runs,
                             CursorStore cursors) {
        this.inbox = inbox;
        this.deadLetters = deadLetters;
        this.runner = runner;
        this.runs = runs;
        this.cursors = cursors;
    }

    /** The inbox and dead-letter counts. */
    public interface InboxMBean {
        long getPending();

        long getProcessing();

        long getDone();

        long getIgnored();

        long getDead();

        long getLagSeconds();

        long getOpenDeadLetters();
    }

    /** One sync flow. */
    public interface SyncFlowMBean {
        String getLastRunStatus();

        String getLastRunStartedAt();

        String getLastRunFinishedAt();

        String getLastRunSummary();

        String getCursors();

        /** Runs the flow now and returns its summary. */
        String runNow();
    }

    @Override
    public void afterSingletonsInstantiated() {
        register("io.greenbridge:type=Inbox", new StandardMBean(inboxBean(), InboxMBean.class, false));
        for (String flow : runner.flowNames()) {
            register("io.greenbridge:type=SyncFlow,name=" + flow,
                    new StandardMBean(flowBean(flow), SyncFlowMBean.class, false));
        }
    }

    private InboxMBean inboxBean() {
        return new InboxMBean() {
            private long count(String status) {
                return inbox.countsByStatus().getOrDefault(status, 0L);
            }

            public long getPending() { return count("pending"); }
            public long getProcessing() { return count("processing"); }
            public long getDone() { return count("done"); }
            public long getIgnored() { return count("ignored"); }
            public long getDead() { return count("dead"); }
            public long getLagSeconds() { return inbox.oldestPendingAge().map(d -> d.toSeconds()).orElse(0L); }
            public long getOpenDeadLetters() { return deadLetters.countOpen(); }
        };
    }

    private SyncFlowMBean flowBean(String flow) {
        return new SyncFlowMBean() {
            public String getLastRunStatus() { return runs.last(flow).map(SyncRun::status).orElse("never"); }
            public String getLastRunStartedAt() { return runs.last(flow).map(r -> r.startedAt().toString()).orElse(null); }
            public String getLastRunFinishedAt() {
                return runs.last(flow).map(r -> r.finishedAt() == null ? null : r.finishedAt().toString()).orElse(null);
            }
            public String getLastRunSummary() { return runs.last(flow).map(r -> StatusService.describe(r).toString()).orElse(null); }
            public String getCursors() {
                Map<String, String> all = cursors.all();
                return all.entrySet().stream().filter(e -> e.getKey().equals(flow) || e.getKey().startsWith(flow + "."))
                        .map(e -> e.getKey() + "=" + e.getValue()).toList().toString();
            }
            public String runNow() { return StatusService.describe(runner.runNow(flow)).toString(); }
        };
    }

    private void register(String name, Object bean) {
        try {
            ObjectName on = new ObjectName(name);
            if (server.isRegistered(on)) {
                server.unregisterMBean(on); // a second context in the same JVM (tests) takes over the name
            }
            server.registerMBean(bean, on);
            registered.add(on);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register MBean " + name, e);
        }
    }

    @Override
    public void destroy() {
        for (ObjectName on : registered) {
            try {
                if (server.isRegistered(on)) {
                    server.unregisterMBean(on);
                }
            } catch (Exception ignored) {
                // shutting down
            }
        }
    }
}
