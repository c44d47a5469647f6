package io.greenbridge.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** HTTP/1.1 over a plain socket, so tests can send what java.net.http refuses to: lying framings, odd paths. */
final class RawHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, headers (lower-case names), body, and the body as JSON when it is JSON. */
    record Answer(int status, Map<String, String> headers, String body) {
        JsonNode json() {
            try {
                return body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }

        /** The error contract: a JSON object with text fields error and message. */
        boolean isContractError() {
            JsonNode j = json();
            return j != null && j.isObject() && j.path("error").isTextual() && j.path("message").isTextual()
                    && headers.getOrDefault("content-type", "").startsWith("application/json");
        }

        @Override
        public String toString() {
            return status + " " + headers.get("content-type") + " " + (body.length() > 300 ? body.substring(0, 300) : body);
        }
    }

    private final int port;

    RawHttp(int port) {
        this.port = port;
    }

    /** Sends head (request line and headers, CRLF separated, without the blank line) and body; half-closes when asked. */
    Answer send(String head, byte[] body, boolean halfClose) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            out.write((head + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException serverClosedEarly) {
                    // the server may answer (413) and close before the whole body is written
                }
            }
            out.flush();
            if (halfClose) {
                s.shutdownOutput();
            }
            return read(s.getInputStream());
        }
    }

    Answer send(String head) throws IOException {
        return send(head, null, false);
    }

    /** A request with {@code Host} and {@code Connection: close} added. */
    Answer request(String method, String target, Map<String, String> headers, byte[] body) throws IOException {
        StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                + "\r\nConnection: close");
        headers.forEach((k, v) -> head.append("\r\n").append(k).append(": ").append(v));
        if (body != null && headers.keySet().stream().noneMatch(k -> k.equalsIgnoreCase("Transfer-Encoding")
                || k.equalsIgnoreCase("Content-Length"))) {
            head.append("\r\nContent-Length: ").append(body.length);
        }
        return send(head.toString(), body, false);
    }

    static byte[] chunked(byte[] body, int chunk) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < body.length; i += chunk) {
            int n = Math.min(chunk, body.length - i);
            out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, i, n);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                all.write(buf, 0, n);
                if (complete(all.toString(StandardCharsets.ISO_8859_1))) {
                    break; // the server may keep reading a body it refused; the answer is all we need
                }
            }
        } catch (SocketTimeoutException | java.net.SocketException e) {
            // what arrived is the answer (a reset after the server closed early)
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, Map.of(), text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        byte[] rest = text.substring(end + 4).getBytes(StandardCharsets.ISO_8859_1);
        String body = "chunked".equalsIgnoreCase(headers.get("transfer-encoding")) ? dechunk(rest) : new String(rest, StandardCharsets.UTF_8);
        return new Answer(status, headers, body);
    }

    /** Whether a Content-Length framed answer has fully arrived. */
    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        for (String line : text.substring(0, end).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return text.length() - end - 4 >= Integer.parseInt(line.substring(15).trim());
            }
        }
        return false;
    }

    private static String dechunk(byte[] raw) {
        String s = new String(raw, StandardCharsets.ISO_8859_1);
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length()) {
            int eol = s.indexOf("\r\n", i);
            if (eol < 0) {
                break;
            }
            int size = Integer.parseInt(s.substring(i, eol).split(";")[0].trim(), 16);
            if (size == 0) {
                break;
            }
            out.append(s, eol + 2, Math.min(s.length(), eol + 2 + size));
            i = eol + 2 + size + 2;
        }
        return new String(out.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
    }
}
