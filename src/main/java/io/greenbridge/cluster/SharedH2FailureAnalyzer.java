package io.greenbridge.cluster;

import java.sql.SQLException;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * A second node started on an embedded H2 file that another process has open fails with H2's "Database may be
 * already in use" (90020). Greenbridge refuses that on purpose (no AUTO_SERVER: the store listens on no port); this
 * says why and what several nodes need instead.
 */
public class SharedH2FailureAnalyzer implements FailureAnalyzer {
    static final int DATABASE_ALREADY_OPEN = 90020;

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SQLException sql && sql.getErrorCode() == DATABASE_ALREADY_OPEN) {
                return new FailureAnalysis("The embedded H2 store is already open in another Greenbridge process ("
                        + firstLine(sql.getMessage()) + "). One H2 file serves one node only.",
                        "Several nodes need PostgreSQL: set DB_URL=jdbc:postgresql://... (with DB_USERNAME, DB_PASSWORD)"
                                + " on every node (README.md, Deployment). For one node, stop the other process first.",
                        t);
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "database in use";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
