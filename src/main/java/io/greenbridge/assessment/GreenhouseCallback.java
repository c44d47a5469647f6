package io.greenbridge.assessment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.stereotype.Component;

import io.greenbridge.support.RemoteCallException;

/**
 * Greenhouse's "Mark Test as Completed": {@code PATCH <url from send_test>} with no body; Greenhouse then reads
 * test_status. Authenticated as Greenhouse documents it ({@code Authorization: Basic …}) with the company's key as
 * username and an empty password, the credential Greenhouse itself uses with us. Redirects are never followed, the
 * reply is read only up to {@link #MAX_REPLY_BYTES} and the whole call ends within {@link #DEADLINE}, so a URL that
 * answers forever cannot hang the worker or fill the heap.
 */
@Component
public class GreenhouseCallback {
    static final int MAX_REPLY_BYTES = 4096;
    static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final String CALL = "PATCH take_home_test";

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NEVER).build();
    private final Duration deadline;

    public GreenhouseCallback() {
        this(DEADLINE);
    }

    GreenhouseCallback(Duration deadline) {
        this.deadline = deadline;
    }

    /** {@code apiKey} null: sent without credentials (an invitation stored before keys were kept). */
    void markCompleted(String callbackUrl, String apiKey) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(callbackUrl))
                .timeout(deadline)
                .method("PATCH", HttpRequest.BodyPublishers.noBody());
        if (apiKey != null) {
            request.header("Authorization", "Basic "
                    + Base64.getEncoder().encodeToString((apiKey + ":").getBytes(StandardCharsets.UTF_8)));
        }
        CompletableFuture<HttpResponse<String>> call = http.sendAsync(request.build(), info -> new Capped(MAX_REPLY_BYTES));
        HttpResponse<String> response;
        try {
            response = call.get(deadline.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw new RemoteCallException("greenhouse", CALL, 0, "no complete reply within " + deadline.toSeconds() + " s", true);
        } catch (ExecutionException e) {
            throw new RemoteCallException("greenhouse", CALL, 0, String.valueOf(e.getCause()), true);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new RemoteCallException("greenhouse", CALL, 0, "interrupted", true);
        }
        int status = response.statusCode();
        if (status / 100 == 3) {
            throw new RemoteCallException("greenhouse", CALL, status, "redirect not followed", true);
        }
        if (status / 100 != 2) {
            throw new RemoteCallException("greenhouse", CALL, status, response.body(), true);
        }
    }

    /** Keeps the first {@code cap} bytes of the reply, then stops reading (the rest is discarded, the stream closed). */
    static final class Capped implements HttpResponse.BodySubscriber<String> {
        private final int cap;
        private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private Flow.Subscription subscription;

        Capped(int cap) {
            this.cap = cap;
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            this.subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> items) {
            for (ByteBuffer b : items) {
                int n = Math.min(b.remaining(), cap - kept.size());
                byte[] chunk = new byte[n];
                b.get(chunk);
                kept.write(chunk, 0, n);
            }
            if (kept.size() >= cap) {
                subscription.cancel();
                finish(" … (reply cut at " + cap + " bytes)");
            } else {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable t) {
            if (!result.isDone()) {
                result.completeExceptionally(t instanceof IOException ? t : new IOException(t));
            }
        }

        @Override
        public void onComplete() {
            finish("");
        }

        private void finish(String suffix) {
            result.complete(kept.toString(StandardCharsets.UTF_8) + suffix);
        }
    }
}
