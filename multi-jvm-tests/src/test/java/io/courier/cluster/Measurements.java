package io.courier.cluster;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

/**
 * Figures the cluster tests measure, printed and appended to
 * {@code target/cluster-logs/measurements.txt} for docs/benchmarks.md.
 */
final class Measurements {

    private Measurements() {
    }

    /** Records samples in microseconds as p50 / p99 / max in milliseconds. */
    static void record(String name, long[] micros) {
        long[] sorted = micros.clone();
        Arrays.sort(sorted);
        String line = String.format("%s: n=%d p50=%.2f ms p99=%.2f ms max=%.2f ms", name, sorted.length,
                percentile(sorted, 50) / 1000.0, percentile(sorted, 99) / 1000.0, sorted[sorted.length - 1] / 1000.0);
        write(line);
    }

    /** Records one duration in milliseconds. */
    static void record(String name, double millis) {
        write(String.format("%s: %.0f ms", name, millis));
    }

    private static long percentile(long[] sorted, int p) {
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static void write(String line) {
        System.out.println("MEASURED " + line);
        try {
            Files.writeString(Checkout.logs("").resolve("measurements.txt"), line + System.lineSeparator(),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
