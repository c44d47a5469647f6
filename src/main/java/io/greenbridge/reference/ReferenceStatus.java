package io.greenbridge.reference;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

import io.greenbridge.ops.StatusContributor;

/**
 * The {@code reference} section of {@code /api/status} and the MBean {@code io.greenbridge:type=Reference}:
 * unmatched Greenhouse user ids (ids only, never emails) and cached reference records per kind.
 */
@Component
public class ReferenceStatus implements StatusContributor, SmartInitializingSingleton, DisposableBean {
    private static final String MBEAN = "io.greenbridge:type=Reference";
    private final UnmatchedUsers unmatched;
    private final ReferenceCache cache;
    private final MBeanServer server = ManagementFactory.getPlatformMBeanServer();

    public ReferenceStatus(UnmatchedUsers unmatched, ReferenceCache cache) {
        this.unmatched = unmatched;
        this.cache = cache;
    }

    /** JMX view of the reference data. */
    public interface ReferenceMBean {
        int getUnmatchedUserCount();

        String[] getUnmatchedUserIds();

        String getCachedRecords();
    }

    @Override
    public String section() {
        return "reference";
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> out = new LinkedHashMap<>();
        List<String> ids = unmatched.ids();
        out.put("unmatchedUsers", ids);
        out.put("unmatchedUserCount", ids.size());
        out.put("cached", cache.counts());
        return out;
    }

    @Override
    public void afterSingletonsInstantiated() {
        ReferenceMBean bean = new ReferenceMBean() {
            public int getUnmatchedUserCount() { return unmatched.ids().size(); }
            public String[] getUnmatchedUserIds() { return unmatched.ids().toArray(String[]::new); }
            public String getCachedRecords() { return cache.counts().toString(); }
        };
        try {
            ObjectName name = new ObjectName(MBEAN);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name); // a second context in the same JVM (tests) takes over the name
            }
            server.registerMBean(new StandardMBean(bean, ReferenceMBean.class, false), name);
        } catch (Exception e) {
            throw new IllegalStateException("cannot register " + MBEAN, e);
        }
    }

    @Override
    public void destroy() {
        try {
            ObjectName name = new ObjectName(MBEAN);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
        } catch (Exception ignored) {
            // shutting down
        }
    }
}
