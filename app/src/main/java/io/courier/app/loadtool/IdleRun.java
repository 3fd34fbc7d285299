package io.courier.app.loadtool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code idle} mode: opens {@code --connections} clients (clean sessions, no
 * subscriptions), {@code --connect-concurrency} CONNECTs at a time, reports the connect rate,
 * then holds them for {@code --duration} seconds (keep-alive pings only) and closes them. While
 * holding it prints {@value #HOLDING} on the progress stream, so a script can measure the
 * broker's memory with every connection open (bench/compare.sh does).
 */
final class IdleRun {

    static final String HOLDING = "holding";

    /** Connections opened and closed before the timed ones (see {@link #warmUp}). */
    static final int WARM_UP_CONNECTIONS = 200;

    private final BenchOptions o;
    private final PrintStream progress;

    IdleRun(BenchOptions options, PrintStream progress) {
        this.o = options;
        this.progress = progress;
    }

    /**
     * Opens and closes a few connections first, so that the tool's class loading and JIT
     * compilation (the first hundred connects of a fresh JVM are several times slower) are not
     * charged to the broker's connect rate.
     */
    private void warmUp(Fleet fleet) throws Exception {
        int n = Math.min(WARM_UP_CONNECTIONS, o.connections());
        Throttle warm = new Throttle(o.connectConcurrency());
        warm.run(n, i -> {
            BenchClient c = fleet.client(o.clientPrefix() + "-w" + i, i, true, payload -> { });
            return c.connect().thenCompose(v -> c.disconnect(true));
        }, o.connectTimeoutSeconds());
    }

    Report run() throws Exception {
        Fleet fleet = new Fleet(o, o.connections());
        List<BenchClient> clients = new ArrayList<>(o.connections());
        for (int i = 0; i < o.connections(); i++) {
            clients.add(fleet.client(o.clientPrefix() + "-i" + i, i, true, payload -> { }));
        }
        warmUp(fleet);
        Throttle connecting = new Throttle(o.connectConcurrency());
        long start = System.nanoTime();
        try (ProgressLine line = new ProgressLine(progress, "connect", connecting::done)) {
            connecting.run(clients.size(), i -> clients.get(i).connect(), o.connectTimeoutSeconds());
        }
        double connectSeconds = (System.nanoTime() - start) / 1e9;
        progress.println(HOLDING + " " + clients.size() + " connections for " + o.durationSeconds() + " s");
        progress.flush();
        long holdEnd = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.durationSeconds());
        try (ProgressLine line = new ProgressLine(progress, "hold", () -> clients.size() - fleet.unexpectedDisconnects())) {
            long left;
            while ((left = holdEnd - System.nanoTime()) > 0) {
                Thread.sleep(Math.min(200, TimeUnit.NANOSECONDS.toMillis(left) + 1));
            }
        }
        long lostDuringHold = fleet.unexpectedDisconnects();
        Throttle closing = new Throttle(o.connectConcurrency());
        long closeStart = System.nanoTime();
        int closed = closing.run(clients.size(), i -> clients.get(i).disconnect(true), o.connectTimeoutSeconds());
        double closeSeconds = (System.nanoTime() - closeStart) / 1e9;
        Report r = new Report()
                .put("mode", "idle")
                .put("broker", o.host() + ":" + o.port())
                .put("mqtt", o.mqttVersion() == 3 ? "3.1.1" : "5.0")
                .put("connections", clients.size())
                .put("source_addresses", fleet.sourceAddresses())
                .put("connect_s", Math.round(connectSeconds * 1000) / 1000.0)
                .put("connect_rate_per_s", Math.round(clients.size() / connectSeconds * 10) / 10.0)
                .put("held_s", o.durationSeconds())
                .put("disconnected_by_broker", lostDuringHold)
                .put("closed", closed)
                .put("close_s", Math.round(closeSeconds * 1000) / 1000.0);
        if (fleet.firstDisconnect() != null) {
            r.put("first_disconnect", fleet.firstDisconnect());
        }
        return r;
    }
}
