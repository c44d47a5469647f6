package io.greenbridge.sandbox;

import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Greenbridge in a child JVM on the test classpath, for what needs a real process: kill -9, start-up time and
 * resident memory.
 */
public final class GreenbridgeProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final long startedNanos;
    private long upNanos;

    private GreenbridgeProcess(Process process, int port, long startedNanos) {
        this.process = process;
        this.port = port;
        this.startedNanos = startedNanos;
    }

    /** Starts {@code mainClass} with the test profile and these system properties; output goes to {@code log}. */
    public static GreenbridgeProcess start(String mainClass, int port, Map<String, String> properties, Path log,
                                           String... jvmOptions) throws Exception {
        return start(mainClass, port, properties, log, new File(System.getProperty("user.dir")).toPath(), Map.of(),
                jvmOptions);
    }

    /** As above, in {@code workDir} (relative paths such as ./data resolve there) with extra environment variables. */
    public static GreenbridgeProcess start(String mainClass, int port, Map<String, String> properties, Path log,
                                           Path workDir, Map<String, String> env, String... jvmOptions) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = new ArrayList<>(List.of(java));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dspring.profiles.active=test",
                "-Dserver.port=" + port));
        properties.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
        cmd.add(mainClass);
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(workDir.toFile())
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("DB_URL");
        builder.environment().putAll(env);
        Process p = builder.start();
        return new GreenbridgeProcess(p, port, started);
    }

    /** Waits until liveness answers 200; returns the start-up time. */
    public Duration awaitUp(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("Greenbridge exited with " + process.exitValue());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(baseUrl() + "/actuator/health/liveness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    upNanos = System.nanoTime();
                    return Duration.ofNanos(upNanos - startedNanos);
                }
            } catch (Exception e) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new AssertionError("Greenbridge did not start within " + timeout);
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** Resident set size in bytes (Linux /proc). */
    public long residentBytes() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
            }
        }
        return -1;
    }

    public long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hooks, no draining. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                kill();
            }
        }
    }

    public static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
