package io.greenbridge.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/** A benchmark's figures: printed as a table and written to target/bench/<name>.json. */
public final class BenchReport {
    private final String name;
    private final Map<String, Object> figures = new LinkedHashMap<>();

    public BenchReport(String name) {
        this.name = name;
    }

    public BenchReport put(String figure, Object value) {
        figures.put(figure, value);
        return this;
    }

    /** A time figure beside its floor (the least time at the upstream limits) and their ratio. */
    public record AgainstFloor(double seconds, double floorSeconds, double ratio, String slowerApi, String limit) {
        @Override
        public String toString() {
            return seconds + " s (floor " + floorSeconds + " s on " + slowerApi + " at " + limit + "; ratio " + ratio + ")";
        }
    }

    /** Puts {@code figure} as seconds beside the floor and the ratio seconds / floor. */
    public BenchReport put(String figure, double seconds, BenchLimits.Floor floor) {
        double ratio = floor.seconds() == 0 ? 0 : round(seconds / floor.seconds());
        return put(figure, new AgainstFloor(round(seconds), round(floor.seconds()), ratio, floor.api(), floor.limit()));
    }

    public Map<String, Object> figures() {
        return figures;
    }

    /** Prints the table and writes the JSON file. */
    public void publish() throws Exception {
        int width = figures.keySet().stream().mapToInt(String::length).max().orElse(10);
        StringBuilder table = new StringBuilder("\n== benchmark: " + name + " ==\n");
        figures.forEach((k, v) -> table.append(String.format("  %-" + width + "s  %s%n", k, v)));
        System.out.println(table);
        Path dir = Path.of("target", "bench");
        Files.createDirectories(dir);
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(dir.resolve(name + ".json").toFile(),
                Map.of("benchmark", name, "figures", figures));
    }

    public static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }

    /** The q-quantile (0..1) of latencies in nanoseconds, in milliseconds. */
    public static double percentileMillis(long[] nanos, double q) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        int i = (int) Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
        return Math.round(sorted[i] / 10_000.0) / 100.0;
    }
}
