package io.greenbridge.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A raw upstream on loopback for replies no simulator gives: bodies that never end, oversize pages, foreign next
 * links. It issues tokens at {@code /token} (Greenhouse) and {@code /v1/oauth/token} (Beamery) and records every
 * request with its Authorization header; other paths are answered by the handler registered for their prefix.
 */
public final class HostileServer implements AutoCloseable {
    /** One request as the server saw it. */
    public record Seen(String method, String pathAndQuery, String authorization, byte[] body) {
    }

    /** Answers one exchange. */
    @FunctionalInterface
    public interface Handler {
        void handle(HttpExchange ex) throws IOException;
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "hostile-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    public HostileServer() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
        server.start();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public HostileServer on(String pathPrefix, Handler handler) {
        handlers.put(pathPrefix, handler);
        return this;
    }

    public List<Seen> requests() {
        return List.copyOf(seen);
    }

    /** Requests other than token requests. */
    public List<Seen> apiRequests() {
        return seen.stream().filter(r -> !r.pathAndQuery().equals("/token") && !r.pathAndQuery().equals("/v1/oauth/token")).toList();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    // ---- ready-made hostile answers ------------------------------------------------------------------------

    /** A 200 JSON reply of exactly this text. */
    public static Handler json(String body) {
        return ex -> reply(ex, 200, body);
    }

    /** A 200 reply that streams {@code chunk} forever (until the client goes away), with no Content-Length. */
    public static Handler endless(String chunk, long pauseMillis) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        return ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            try {
                out.write('[');
                while (!Thread.currentThread().isInterrupted()) {
                    out.write(bytes);
                    out.flush();
                    if (pauseMillis > 0) {
                        Thread.sleep(pauseMillis);
                    }
                }
            } catch (IOException | InterruptedException e) {
                // the client hung up, as it should
            }
        };
    }

    public static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            ex.getResponseBody().write(bytes);
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            String pathAndQuery = ex.getRequestURI().getRawPath()
                    + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
            byte[] body = ex.getRequestBody().readAllBytes();
            seen.add(new Seen(ex.getRequestMethod(), pathAndQuery, ex.getRequestHeaders().getFirst("Authorization"), body));
            String path = ex.getRequestURI().getRawPath();
            if (path.equals("/token")) {
                reply(ex, 200, "{\"access_token\":\"hostile-gh-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                return;
            }
            if (path.equals("/v1/oauth/token")) {
                reply(ex, 200, "{\"access_token\":\"hostile-bm-token\",\"token_type\":\"Bearer\",\"expires_in\":3600}");
                return;
            }
            Handler best = null;
            int bestLength = -1;
            for (Map.Entry<String, Handler> h : handlers.entrySet()) {
                if (path.startsWith(h.getKey()) && h.getKey().length() > bestLength) {
                    best = h.getValue();
                    bestLength = h.getKey().length();
                }
            }
            if (best == null) {
                reply(ex, 404, "{\"message\":\"not found\"}");
            } else {
                best.handle(ex);
            }
        }
    }
}
