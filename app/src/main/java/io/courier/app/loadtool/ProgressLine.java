package io.courier.app.loadtool;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A line a second about something counted (connections made, messages queued) while the main
 * thread is busy waiting: {@code   3.0s connect     4,012 done    1,337/s}. Closing stops it.
 */
final class ProgressLine implements AutoCloseable {

    private final ScheduledExecutorService timer;

    ProgressLine(PrintStream out, String what, LongSupplier count) {
        long start = System.nanoTime();
        long[] last = {0, start};
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(() -> {
            long now = System.nanoTime();
            long n = count.getAsLong();
            out.printf(Locale.ROOT, "%5.1fs %-8s %,10d done  %,10.0f/s%n", (now - start) / 1e9, what, n,
                    (n - last[0]) / ((now - last[1]) / 1e9));
            last[0] = n;
            last[1] = now;
        }, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
