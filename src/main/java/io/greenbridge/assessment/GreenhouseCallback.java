package io.greenbridge.assessment;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.springframework.stereotype.Component;

import io.greenbridge.support.RemoteCallException;

/**
 * Greenhouse's "Mark Test as Completed": {@code PATCH <url from send_test>} with no body; Greenhouse then reads
 * test_status. Sent without credentials: which credential Greenhouse expects here is not confirmed (see README).
 */
@Component
public class GreenhouseCallback {
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    void markCompleted(String callbackUrl) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(callbackUrl))
                .timeout(Duration.ofSeconds(30))
                .method("PATCH", HttpRequest.BodyPublishers.noBody())
                .build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new RemoteCallException("greenhouse", "PATCH take_home_test", 0, e.toString(), true);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteCallException("greenhouse", "PATCH take_home_test", 0, "interrupted", true);
        }
        if (response.statusCode() / 100 != 2) {
            throw new RemoteCallException("greenhouse", "PATCH take_home_test", response.statusCode(), response.body(), true);
        }
    }
}
