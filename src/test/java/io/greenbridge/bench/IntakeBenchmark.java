package io.greenbridge.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import io.greenbridge.support.Sha256Signature;
import io.greenbridge.sandbox.GreenbridgeProcess;

/**
 * Webhook intake throughput and latency (signed events verified, de-duplicated and stored) beside a bare
 * platform-http route doing one JDBC insert, in the same process and run; plus start-up time and resident memory.
 */
@Tag("bench")
class IntakeBenchmark {
    static final int CLIENTS = Integer.getInteger("bench.intake.clients", 16);
    static final int REQUESTS = Integer.getInteger("bench.intake.requests", 5000);
    static final int WARMUP = Integer.getInteger("bench.intake.warmup", 1500);
    static final String SECRET = "test-webhook-secret";

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Run(double perSecond, double p50, double p99, int errors) {
    }

    @Test
    void intakeAgainstBareBaseline() throws Exception {
        Path dir = Files.createTempDirectory("gb-bench");
        int port = GreenbridgeProcess.freePort();
        try (GreenbridgeProcess gb = GreenbridgeProcess.start(IntakeBenchApplication.class.getName(), port, Map.of(
                "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("gb"),
                // measure intake alone: the stored events are not worked off during the run
                "greenbridge.inbox.poll-interval", "1h", "logging.level.io.greenbridge.inbox", "WARN"),
                dir.resolve("bench.log"))) {
            Duration startup = gb.awaitUp(Duration.ofSeconds(120));
            Thread.sleep(2000);
            long rss = gb.residentBytes();

            run(gb, "intake", WARMUP, "warm");
            run(gb, "baseline", WARMUP, "warm");
            Run intake = run(gb, "intake", REQUESTS, "a");
            Run baseline = run(gb, "baseline", REQUESTS, "a");
            assertThat(intake.errors()).isZero();
            assertThat(baseline.errors()).isZero();

            new BenchReport("intake")
                    .put("clients", CLIENTS).put("requests per run", REQUESTS)
                    .put("intake events/s", round(intake.perSecond())).put("intake p50 ms", intake.p50())
                    .put("intake p99 ms", intake.p99())
                    .put("baseline requests/s", round(baseline.perSecond())).put("baseline p50 ms", baseline.p50())
                    .put("baseline p99 ms", baseline.p99())
                    .put("throughput ratio intake/baseline", round(intake.perSecond() / baseline.perSecond()))
                    .put("p99 ratio intake/baseline", round(intake.p99() / baseline.p99()))
                    .put("start-up s", round(startup.toMillis() / 1000.0))
                    .put("resident memory after start MB", rss / (1024 * 1024))
                    .publish();
        }
    }

    Run run(GreenbridgeProcess gb, String target, int count, String tag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        long[] latencies = new long[count];
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + i
                            + ",\"first_name\":\"" + tag + "-" + target + "\",\"last_name\":\"Bench\"}}}";
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(gb.baseUrl()
                            + ("intake".equals(target) ? "/webhooks/greenhouse" : "/bench/baseline")))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
                    if ("intake".equals(target)) {
                        req.header("Signature", Sha256Signature.sign(bytes, SECRET))
                                .header("Greenhouse-Event-ID", tag + "-" + i);
                    }
                    long t0 = System.nanoTime();
                    try {
                        int status = http.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                        if (status != 200) {
                            errors.incrementAndGet();
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                    }
                    latencies[i] = System.nanoTime() - t0;
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return new Run(count / seconds, BenchReport.percentileMillis(latencies, 0.50),
                BenchReport.percentileMillis(latencies, 0.99), errors.get());
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
