package io.greenbridge.web;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import io.greenbridge.config.GreenbridgeProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Refuses request bodies over {@code greenbridge.inbox.max-body-bytes} with 413 before any route reads them,
 * whether the size is declared (Content-Length) or only discovered while reading (chunked). A body that cannot be
 * read (bad chunk framing, shorter than its Content-Length) is a 400. Runs after the security chain, so an
 * unauthenticated caller cannot make it buffer a body on the admin paths.
 */
@Component
@Order(5)
public class BodyLimitFilter extends OncePerRequestFilter {
    private final long max;

    public BodyLimitFilter(GreenbridgeProperties props) {
        this.max = props.inbox().maxBodyBytes();
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !carriesBody(request);
    }

    /** The methods whose bodies the edge checks (type, encoding, size). */
    static boolean carriesBody(HttpServletRequest request) {
        String m = request.getMethod();
        return "POST".equals(m) || "PUT".equals(m) || "PATCH".equals(m) || "DELETE".equals(m);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        long declared = request.getContentLengthLong();
        if (declared > max) {
            tooLarge(response);
            return;
        }
        byte[] body;
        try {
            body = readAtMost(request.getInputStream(), max + 1);
        } catch (IOException e) {
            // Tomcat's BadRequestException (bad chunk, short body) or a timeout: the caller's framing, not ours
            response.setHeader("Connection", "close");
            ApiError.write(response, 400, "unreadable_body", "The body could not be read (bad chunked framing or shorter than its Content-Length).");
            return;
        }
        if (body.length > max) {
            tooLarge(response);
            return;
        }
        chain.doFilter(new CachedBodyRequest(request, body), response);
    }

    private void tooLarge(HttpServletResponse response) throws IOException {
        response.setHeader("Connection", "close"); // the rest of the body is not read
        ApiError.write(response, 413, "payload_too_large", "The body is larger than " + max + " bytes.");
    }

    private static byte[] readAtMost(InputStream in, long limit) throws IOException {
        return in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 8));
    }

    /** A request whose body was read once and is replayed from memory. */
    static final class CachedBodyRequest extends HttpServletRequestWrapper {
        private final byte[] body;

        CachedBodyRequest(HttpServletRequest request, byte[] body) {
            super(request);
            this.body = body;
        }

        /** Form fields (candidate-link pages) parsed from the cached body, since the original stream is spent. */
        private java.util.Map<String, String[]> parameters;

        @Override
        public String getParameter(String name) {
            String[] v = getParameterMap().get(name);
            return v == null || v.length == 0 ? null : v[0];
        }

        @Override
        public java.util.Enumeration<String> getParameterNames() {
            return java.util.Collections.enumeration(getParameterMap().keySet());
        }

        @Override
        public String[] getParameterValues(String name) {
            String[] v = getParameterMap().get(name);
            return v == null ? null : v.clone();
        }

        @Override
        public synchronized java.util.Map<String, String[]> getParameterMap() {
            if (parameters == null) {
                java.util.Map<String, java.util.List<String>> all = new java.util.LinkedHashMap<>();
                parse(getQueryString(), all);
                String type = getContentType();
                if (type != null && ContentTypeFilter.isForm(type)) {
                    parse(new String(body, java.nio.charset.StandardCharsets.UTF_8), all);
                }
                java.util.Map<String, String[]> out = new java.util.LinkedHashMap<>();
                all.forEach((k, v) -> out.put(k, v.toArray(String[]::new)));
                parameters = java.util.Collections.unmodifiableMap(out);
            }
            return parameters;
        }

        private static void parse(String query, java.util.Map<String, java.util.List<String>> into) {
            if (query == null || query.isEmpty()) {
                return;
            }
            for (String pair : query.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                try {
                    String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), java.nio.charset.StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
                    into.computeIfAbsent(k, x -> new java.util.ArrayList<>()).add(v);
                } catch (IllegalArgumentException malformed) {
                    // a malformed %-escape: the pair is dropped, as Tomcat does
                }
            }
        }

        @Override
        public int getContentLength() {
            return body.length;
        }

        @Override
        public long getContentLengthLong() {
            return body.length;
        }

        @Override
        public java.io.BufferedReader getReader() {
            String charset = getCharacterEncoding() == null ? "UTF-8" : getCharacterEncoding();
            return new java.io.BufferedReader(new java.io.InputStreamReader(new ByteArrayInputStream(body),
                    java.nio.charset.Charset.forName(charset)));
        }

        @Override
        public ServletInputStream getInputStream() {
            ByteArrayInputStream in = new ByteArrayInputStream(body);
            return new ServletInputStream() {
                @Override
                public boolean isFinished() {
                    return in.available() == 0;
                }

                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setReadListener(ReadListener listener) {
                    throw new UnsupportedOperationException("synchronous reads only");
                }

                @Override
                public int read() {
                    return in.read();
                }

                @Override
                public int read(byte[] b, int off, int len) {
                    return in.read(b, off, len);
                }
            };
        }
    }
}
