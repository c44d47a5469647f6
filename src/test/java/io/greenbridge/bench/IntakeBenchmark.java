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
import java.util.concurrent.atomic.AtomicReference;

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
    // the runs alternate (intake, baseline, baseline, intake, …) so a load change on the machine meets both alike
    static final int ROUNDS = Integer.getInteger("bench.intake.rounds", 4);
    static final String SECRET = "test-webhook-secret";
    // extra JVM options for the measured process, e.g. -XX:StartFlightRecording=filename=intake.jfr to profile it
    static final String JVM_OPTIONS = System.getProperty("bench.intake.jvm-options", "");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    record Run(long[] latencies, double seconds, int errors, String firstError) {
        Run plus(Run other) {
            long[] both = java.util.Arrays.copyOf(latencies, latencies.length + other.latencies.length);
            System.arraycopy(other.latencies, 0, both, latencies.length, other.latencies.length);
            return new Run(both, seconds + other.seconds, errors + other.errors, firstError != null ? firstError : other.firstError);
        }

        double perSecond() {
            return latencies.length / seconds;
        }

        double p50() {
            return BenchReport.percentileMillis(latencies, 0.50);
        }

        double p99() {
            return BenchReport.percentileMillis(latencies, 0.99);
        }
    }

    @Test
    void intakeAgainstBareBaseline() throws Exception {
        Path dir = Files.createTempDirectory("gb-bench");
        int port = GreenbridgeProcess.freePort();
        try (GreenbridgeProcess gb = GreenbridgeProcess.start(IntakeBenchApplication.class.getName(), port, Map.of(
                "spring.datasource.url", "jdbc:h2:file:" + dir.resolve("gb"),
                // measure intake alone: the stored events are not worked off during the run
                "greenbridge.inbox.poll-interval", "1h", "logging.level.io.greenbridge.inbox", "WARN"),
                dir.resolve("bench.log"), JVM_OPTIONS.isBlank() ? new String[0] : JVM_OPTIONS.trim().split("\\s+"))) {
            Duration startup = gb.awaitUp(Duration.ofSeconds(300)) /* a loaded machine starts slowly */;
            Thread.sleep(2000);
            long rss = gb.residentBytes();

            run(gb, "intake", WARMUP, "warm");
            run(gb, "baseline", WARMUP, "warm");
            Run intake = new Run(new long[0], 0, 0, null);
            Run baseline = intake;
            for (int r = 0; r < ROUNDS; r++) {
                boolean intakeFirst = r % 2 == 0;
                Run first = run(gb, intakeFirst ? "intake" : "baseline", REQUESTS / ROUNDS, "r" + r);
                Run second = run(gb, intakeFirst ? "baseline" : "intake", REQUESTS / ROUNDS, "r" + r);
                intake = intake.plus(intakeFirst ? first : second);
                baseline = baseline.plus(intakeFirst ? second : first);
            }
            assertThat(intake.errors()).as("intake errors, first: %s", intake.firstError()).isZero();
            assertThat(baseline.errors()).as("baseline errors, first: %s", baseline.firstError()).isZero();

            new BenchReport("intake")
                    .put("clients", CLIENTS).put("requests each", ROUNDS * (REQUESTS / ROUNDS)).put("alternating runs", ROUNDS * 2)
                    .put("intake events/s", round(intake.perSecond())).put("intake p50 ms", intake.p50())
                    .put("intake p99 ms", intake.p99())
                    .put("baseline requests/s", round(baseline.perSecond())).put("baseline p50 ms", baseline.p50())
                    .put("baseline p99 ms", baseline.p99())
                    .put("throughput ratio intake/baseline", round(intake.perSecond() / baseline.perSecond()))
                    .put("p99 ratio intake/baseline", round(intake.p99() / baseline.p99()))
                    .put("targets (issue 13)", "throughput ratio >= 0.8, p99 ratio <= 1.5")
                    .put("start-up s", round(startup.toMillis() / 1000.0))
                    .put("resident memory after start MB", rss / (1024 * 1024))
                    .publish();
        }
    }

    Run run(GreenbridgeProcess gb, String target, int count, String tag) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
        AtomicInteger next = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>();
        long[] latencies = new long[count];
        List<Future<?>> futures = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < CLIENTS; c++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    String body = "{\"action\":\"update_candidate\",\"payload\":{\"candidate\":{\"id\":" + (i + 1)
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
                            firstError.compareAndSet(null, "HTTP " + status);
                        }
                    } catch (Exception e) {
                        errors.incrementAndGet();
                        firstError.compareAndSet(null, e.toString());
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
        return new Run(latencies, seconds, errors.get(), firstError.get());
    }

    static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
