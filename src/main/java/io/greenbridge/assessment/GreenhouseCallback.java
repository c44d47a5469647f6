package io.greenbridge.assessment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.springframework.stereotype.Component;

import io.greenbridge.support.BoundedBody;
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
        HttpResponse<byte[]> response;
        try {
            response = BoundedBody.sendKeepingHead(http, request.build(), MAX_REPLY_BYTES, deadline);
        } catch (java.net.http.HttpTimeoutException e) {
            throw new RemoteCallException("greenhouse", CALL, 0, "no complete reply within " + deadline.toSeconds() + " s", true);
        } catch (IOException e) {
            throw new RemoteCallException("greenhouse", CALL, 0, String.valueOf(e), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("greenhouse", CALL, 0, "interrupted", true);
        }
        int status = response.statusCode();
        if (status / 100 == 3) {
            throw new RemoteCallException("greenhouse", CALL, status, "redirect not followed", true);
        }
        if (status / 100 != 2) {
            throw new RemoteCallException("greenhouse", CALL, status, reply(response.body()), true);
        }
    }

    /** The kept head of the reply, marked when the reply was cut at the cap. */
    private static String reply(byte[] head) {
        String text = new String(head, StandardCharsets.UTF_8);
        return head.length >= MAX_REPLY_BYTES ? text + " … (reply cut at " + MAX_REPLY_BYTES + " bytes)" : text;
    }
}
