package io.greenbridge.assessment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import io.greenbridge.sandbox.GreenhouseCallbackReceiver;

/**
 * A raw-socket "Greenhouse" that misbehaves: {@code /stream} answers 200 with a chunked body that never ends,
 * {@code /trickle} sends one byte every 200 ms forever, {@code /redirect/<id>} answers 307 to the real callback
 * receiver's {@code <id>}. It records each request line and counts the body bytes it managed to write.
 */
final class HostileCallbackServer implements AutoCloseable {
    private final ServerSocket server;
    private final GreenhouseCallbackReceiver target;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    final AtomicLong bytesWritten = new AtomicLong();

    HostileCallbackServer(GreenhouseCallbackReceiver target) throws IOException {
        this.target = target;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread accept = new Thread(this::acceptLoop, "hostile-callback");
        accept.setDaemon(true);
        accept.start();
    }

    int port() {
        return server.getLocalPort();
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    List<String> requests() {
        return List.copyOf(requests);
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                Thread t = new Thread(() -> serve(s), "hostile-callback-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket s) {
        try (s) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
            String line = in.readLine();
            if (line == null) {
                return;
            }
            requests.add(line);
            for (String h = in.readLine(); h != null && !h.isEmpty(); h = in.readLine()) {
                // headers are not needed
            }
            String path = line.split(" ")[1];
            OutputStream out = s.getOutputStream();
            if (path.startsWith("/stream")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                byte[] chunk = ("1000\r\n" + "x".repeat(0x1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                while (true) {
                    out.write(chunk);
                    bytesWritten.addAndGet(0x1000);
                }
            } else if (path.startsWith("/trickle")) {
                out.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 100000000\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                while (true) {
                    out.write('x');
                    out.flush();
                    bytesWritten.incrementAndGet();
                    Thread.sleep(200);
                }
            } else if (path.startsWith("/redirect/")) {
                String location = target.callbackUrl(path.substring("/redirect/".length()));
                out.write(("HTTP/1.1 307 Temporary Redirect\r\nLocation: " + location + "\r\nContent-Length: 0\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
            } else {
                out.write("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.flush();
        } catch (IOException e) {
            // the client hung up: what a capped reader does
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
