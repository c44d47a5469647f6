package io.greenbridge.sandbox;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A minimal Greenhouse for the assessment callback: records {@code PATCH
 * /integrations/testing_partners/take_home_tests/{id}} calls and can fail the next ones on purpose. Like Greenhouse's
 * documented call it requires {@code Authorization: Basic base64("<company key>:")}: without it, 401.
 */
public class GreenhouseCallbackReceiver implements AutoCloseable {
    public static final String PATH = "/integrations/testing_partners/take_home_tests/";

    /** One request served, with the Authorization header it carried (null: none). */
    public record Call(String method, String path, String authorization, int status) {
        /** The Basic username (the company key) this call carried, or null. */
        public String basicUsername() {
            return GreenhouseCallbackReceiver.basicUsername(authorization);
        }
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private volatile int failureStatus = 503;

    public GreenhouseCallbackReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** The {@code url} Greenhouse would put in send_test for this take-home test. */
    public String callbackUrl(String takeHomeTestId) {
        return baseUrl() + PATH + takeHomeTestId;
    }

    /** The next {@code count} calls answer {@code status}. */
    public void failNext(int count, int status) {
        failureStatus = status;
        failuresLeft.set(count);
    }

    public List<Call> calls() {
        return List.copyOf(calls);
    }

    /** Calls to this take-home test's callback that Greenhouse accepted. */
    public long accepted(String takeHomeTestId) {
        return calls.stream().filter(c -> c.path().equals(PATH + takeHomeTestId) && c.status() / 100 == 2).count();
    }

    /** The username of {@code Basic base64(user:)} with an empty password, else null. */
    static String basicUsername(String authorization) {
        if (authorization == null || !authorization.startsWith("Basic ")) {
            return null;
        }
        try {
            String decoded = new String(java.util.Base64.getDecoder().decode(authorization.substring(6).trim()),
                    java.nio.charset.StandardCharsets.UTF_8);
            return decoded.endsWith(":") && decoded.length() > 1 ? decoded.substring(0, decoded.length() - 1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        int status;
        if (!"PATCH".equals(ex.getRequestMethod()) || !path.startsWith(PATH)) {
            status = 404;
        } else if (basicUsername(ex.getRequestHeaders().getFirst("Authorization")) == null) {
            status = 401;
        } else if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            status = failureStatus;
        } else {
            status = 200;
        }
        ex.getRequestBody().readAllBytes();
        calls.add(new Call(ex.getRequestMethod(), path, ex.getRequestHeaders().getFirst("Authorization"), status));
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }
}
