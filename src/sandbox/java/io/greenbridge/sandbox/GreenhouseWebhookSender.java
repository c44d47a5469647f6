package io.greenbridge.sandbox;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;

import io.greenbridge.support.Sha256Signature;

/**
 * Delivers webhooks the way Greenhouse does: a JSON POST signed with {@code Signature: sha256 <hex>} over the
 * exact body bytes, and a {@code Greenhouse-Event-ID} per delivery. Returns the receiver's HTTP status.
 */
public class GreenhouseWebhookSender {
    private final String secret;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private volatile String lastEventId;

    public GreenhouseWebhookSender(String secret) {
        this.secret = secret;
    }

    /** A fresh delivery. {@code action} is only for readability at the call site; the body carries it. */
    public int send(String targetUrl, String action, String bodyJson) {
        return send(targetUrl, action, bodyJson, UUID.randomUUID().toString());
    }

    /** A delivery with a chosen event id (resend with {@link #lastEventId()} to simulate a retry). */
    public int send(String targetUrl, String action, String bodyJson, String eventId) {
        byte[] body = bodyJson.getBytes(StandardCharsets.UTF_8);
        return post(targetUrl, body, Sha256Signature.sign(body, secret), eventId);
    }

    /** A delivery signed with the wrong secret. */
    public int sendWithWrongSignature(String targetUrl, String action, String bodyJson) {
        byte[] body = bodyJson.getBytes(StandardCharsets.UTF_8);
        return post(targetUrl, body, Sha256Signature.sign(body, secret + "-wrong"), UUID.randomUUID().toString());
    }

    /** A delivery with no Signature header at all. */
    public int sendUnsigned(String targetUrl, String action, String bodyJson) {
        return post(targetUrl, bodyJson.getBytes(StandardCharsets.UTF_8), null, UUID.randomUUID().toString());
    }

    public String lastEventId() {
        return lastEventId;
    }

    private int post(String url, byte[] body, String signature, String eventId) {
        lastEventId = eventId;
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("User-Agent", "Greenhouse-Webhooks-Simulator")
                .header("Greenhouse-Event-ID", eventId)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (signature != null) {
            request.header("Signature", signature);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            throw new IllegalStateException("webhook delivery to " + url + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
