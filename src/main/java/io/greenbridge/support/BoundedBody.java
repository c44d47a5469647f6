package io.greenbridge.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends a request and reads its reply with a size cap and one deadline for headers and body together: a reply
 * that keeps coming cannot fill the heap or hold a thread forever. Past the cap the read stops at once
 * ({@link TooLargeException}); past the deadline it is cancelled ({@link HttpTimeoutException}).
 */
public final class BoundedBody {
    /** The reply (declared or received) is larger than the cap; retrying will not make it smaller. */
    public static final class TooLargeException extends IOException {
        private final long maxBytes;

        TooLargeException(long maxBytes) {
            super("reply larger than " + maxBytes + " bytes");
            this.maxBytes = maxBytes;
        }

        public long maxBytes() {
            return maxBytes;
        }
    }

    private BoundedBody() {
    }

    /** The response with its whole body, at most {@code maxBytes} long, read within {@code deadline}. */
    public static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes, Duration deadline)
            throws IOException, InterruptedException {
        return send(http, request, maxBytes, deadline, false);
    }

    /**
     * The response with the first {@code maxBytes} of its body, read within {@code deadline}: the rest is
     * discarded and the connection dropped, for replies whose status is all that matters.
     */
    public static HttpResponse<byte[]> sendKeepingHead(HttpClient http, HttpRequest request, long maxBytes, Duration deadline)
            throws IOException, InterruptedException {
        return send(http, request, maxBytes, deadline, true);
    }

    private static HttpResponse<byte[]> send(HttpClient http, HttpRequest request, long maxBytes, Duration deadline,
                                             boolean keepHead) throws IOException, InterruptedException {
        AtomicReference<Capped> reading = new AtomicReference<>();
        CompletableFuture<HttpResponse<byte[]>> reply = http.sendAsync(request, info -> {
            Capped body = new Capped(maxBytes, keepHead ? -1 : info.headers().firstValueAsLong("Content-Length").orElse(-1),
                    keepHead);
            reading.set(body);
            return body;
        });
        try {
            return reply.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            abort(reading, reply);
            throw new HttpTimeoutException("no complete reply within " + deadline.toMillis() + " ms");
        } catch (InterruptedException e) {
            abort(reading, reply);
            throw e;
        } catch (ExecutionException e) {
            for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
                if (t instanceof TooLargeException tooLarge) {
                    throw new TooLargeException(tooLarge.maxBytes());
                }
            }
            Throwable cause = e.getCause();
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(cause), cause);
        }
    }

    private static void abort(AtomicReference<Capped> reading, CompletableFuture<?> reply) {
        Capped body = reading.get();
        if (body != null) {
            body.abort();
        }
        reply.cancel(true);
    }

    /**
     * Collects the body until it passes the cap, then cancels the subscription (the connection is dropped) and
     * fails, or with {@code keepHead} completes with the first {@code maxBytes}.
     */
    private static final class Capped implements HttpResponse.BodySubscriber<byte[]> {
        private final long maxBytes;
        private final long declared;
        private final boolean keepHead;
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private Flow.Subscription subscription;
        private long received;

        Capped(long maxBytes, long declared, boolean keepHead) {
            this.maxBytes = maxBytes;
            this.declared = declared;
            this.keepHead = keepHead;
        }

        @Override
        public synchronized void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (result.isDone()) {
                s.cancel();
            } else if (declared > maxBytes) {
                fail(new TooLargeException(maxBytes));
            } else {
                s.request(Long.MAX_VALUE);
            }
        }

        @Override
        public synchronized void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if (keepHead && received + b.remaining() >= maxBytes) {
                    byte[] head = new byte[(int) (maxBytes - received)];
                    b.get(head);
                    out.write(head, 0, head.length);
                    subscription.cancel();
                    result.complete(out.toByteArray());
                    return;
                }
                received += b.remaining();
                if (received > maxBytes) {
                    fail(new TooLargeException(maxBytes));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public synchronized void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public synchronized void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }

        synchronized void abort() {
            fail(new HttpTimeoutException("reply cancelled at the deadline"));
        }

        private void fail(IOException e) {
            if (subscription != null) {
                subscription.cancel();
            }
            out.reset();
            result.completeExceptionally(e);
        }
    }
}
