package io.courier.app.loadtool;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * The {@code load} mode: M subscribers subscribe (the layout says to what), N publishers send
 * numbered, time-stamped messages ({@link PayloadHeader}) flat out or at a fixed total rate;
 * after the warm-up the run is measured for the duration, then publishing stops, the tool waits
 * for every unfinished publish and for stragglers (the drain), and counts.
 *
 * <p>Rates: <em>offered</em> = publishes started during the measured seconds per second;
 * <em>delivered</em> = messages arriving at subscribers during the measured seconds per second
 * (with fan-out, one message to M subscribers is M deliveries). Latency covers messages sent
 * during the measured seconds, their first arrival at each receiver. Lost and duplicated
 * counts cover the whole run, warm-up included ({@link DeliveryLedger}).
 */
final class LoadRun {

    /** Once every publish has finished, the drain ends early after this long without arrivals. */
    private static final long QUIET_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final BenchOptions o;
    private final PrintStream progress;

    LoadRun(BenchOptions options, PrintStream progress) {
        this.o = options;
        this.progress = progress;
    }

    Report run() throws Exception {
        int total = o.publishers() + o.subscribers();
        Fleet fleet = new Fleet(o, total);
        DeliveryLedger ledger = new DeliveryLedger(o.layout(), o.publishers(), o.subscribers());
        List<BenchClient> subscribers = new ArrayList<>();
        List<Publisher> publishers = new ArrayList<>();
        String id = o.clientPrefix();

        long connectStart = System.nanoTime();
        for (int s = 0; s < o.subscribers(); s++) {
            int index = s;
            subscribers.add(fleet.client(id + "-s" + s, s, true, payload -> ledger.arrived(index, payload)));
        }
        Throttle connecting = new Throttle(o.connectConcurrency());
        connecting.run(o.subscribers(), i -> subscribers.get(i).connect()
                .thenCompose(v -> subscribers.get(i).subscribe(o.layout().filterOf(o.topicPrefix(), i), o.qos())),
                o.connectTimeoutSeconds());
        Backlog backlog = new Backlog(o.backlog(), o.layout().deliveriesPerMessage(o.subscribers()), ledger);
        double perPublisherRate = o.rate() == 0 ? 0 : (double) o.rate() / Math.max(1, o.publishers());
        for (int p = 0; p < o.publishers(); p++) {
            BenchClient client = fleet.client(id + "-p" + p, o.subscribers() + p, true, payload -> { });
            publishers.add(new Publisher(client, p, o.layout().topicOf(o.topicPrefix(), p), o.qos(), o.payloadSize(),
                    o.inflight(), perPublisherRate, (double) p / Math.max(1, o.publishers()), backlog));
        }
        connecting.run(o.publishers(), i -> publishers.get(i).client().connect(), o.connectTimeoutSeconds());
        double connectSeconds = (System.nanoTime() - connectStart) / 1e9;

        Histogram latency = new Histogram(DeliveryLedger.HIGHEST_MICROS, 3);
        List<Thread> threads = new ArrayList<>();
        long start = System.nanoTime();
        for (Publisher p : publishers) {
            Thread t = new Thread(() -> p.run(start), "bench-publisher-" + p.index());
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        Ticker ticker = new Ticker(ledger, publishers, latency, start);
        ticker.runFor("warm-up", o.warmupSeconds());
        long measureStart = System.nanoTime();
        ledger.startMeasuring(measureStart);
        long offeredBefore = Publisher.sum(publishers, Publisher::started);
        ticker.runFor("measure", o.durationSeconds());
        long measureEnd = System.nanoTime();
        ledger.stopMeasuring(measureEnd);
        long offered = Publisher.sum(publishers, Publisher::started) - offeredBefore;
        publishers.forEach(Publisher::stop);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(5));
        }

        long drainStart = System.nanoTime();
        long drainDeadline = drainStart + TimeUnit.SECONDS.toNanos(o.drainSeconds());
        long lastArrivals = -1;
        long lastChange = drainStart;
        DeliveryLedger.Tally tally;
        while (true) {
            long now = System.nanoTime();
            boolean publishesDone = publishers.stream().allMatch(Publisher::allFinished);
            tally = ledger.tally(Publisher.finishedCounts(publishers));
            long arrivals = ledger.arrivals();
            if (arrivals != lastArrivals) {
                lastArrivals = arrivals;
                lastChange = now;
            }
            if (publishesDone && (tally.lost() == 0 || now - lastChange > QUIET_NANOS) || now >= drainDeadline) {
                break;
            }
            ticker.tick("drain");
            Thread.sleep(100);
        }
        double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
        latency.add(ledger.latencySinceLastCall());
        long unfinished = publishers.stream().mapToLong(Publisher::unfinished).sum();

        Throttle closing = new Throttle(o.connectConcurrency());
        List<BenchClient> all = new ArrayList<>(subscribers);
        publishers.forEach(p -> all.add(p.client()));
        try {
            closing.run(all.size(), i -> all.get(i).disconnect(true), 10);
        } catch (Exception e) {
            progress.println("bench: not every client disconnected cleanly: " + e.getMessage());
        }

        double seconds = (measureEnd - measureStart) / 1e9;
        Report r = new Report()
                .put("mode", "load")
                .put("broker", o.host() + ":" + o.port())
                .put("mqtt", o.mqttVersion() == 3 ? "3.1.1" : "5.0")
                .put("layout", o.layout().optionName())
                .put("publishers", o.publishers())
                .put("subscribers", o.subscribers())
                .put("qos", o.qos())
                .put("payload_bytes", o.payloadSize())
                .put("rate_target", o.rate() == 0 ? "flat out" : o.rate() + " msg/s")
                .put("backlog_limit", o.backlog())
                .put("session_expiry_s", o.sessionExpiry())
                .put("measured_s", round(seconds))
                .put("offered_msg_s", round(offered / seconds))
                .put("delivered_msg_s", round(ledger.measuredArrivals() / seconds))
                .put("published", Publisher.sum(publishers, Publisher::started))
                .put("publish_failed", Publisher.sum(publishers, Publisher::failed))
                .put("publish_unfinished", unfinished)
                .put("expected_deliveries", tally.expected())
                .put("delivered", tally.unique())
                .put("lost", tally.lost())
                .put("duplicated", tally.duplicates())
                .put("unexpected", ledger.unexpected())
                .put("disconnected_by_broker", fleet.unexpectedDisconnects())
                .put("drain_s", round(drainSeconds));
        putLatency(r, latency);
        r.put("connections", total)
                .put("connect_rate_per_s", round(total / connectSeconds));
        if (fleet.firstDisconnect() != null) {
            r.put("first_disconnect", fleet.firstDisconnect());
        }
        return r;
    }

    static void putLatency(Report r, Histogram h) {
        r.put("latency_samples", h.getTotalCount());
        if (h.getTotalCount() == 0) {
            return;
        }
        r.put("latency_p50_ms", millis(h.getValueAtPercentile(50)))
                .put("latency_p90_ms", millis(h.getValueAtPercentile(90)))
                .put("latency_p99_ms", millis(h.getValueAtPercentile(99)))
                .put("latency_p99_9_ms", millis(h.getValueAtPercentile(99.9)))
                .put("latency_max_ms", millis(h.getMaxValue()));
    }

    private static double millis(long micros) {
        return Math.round(micros / 10.0) / 100.0;
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    /** Prints one progress line a second (to stderr, so stdout stays the summary). */
    private final class Ticker {
        private final DeliveryLedger ledger;
        private final List<Publisher> publishers;
        private final Histogram total;
        private final long start;
        private long lastTick;
        private long lastSent;
        private long lastArrivals;

        Ticker(DeliveryLedger ledger, List<Publisher> publishers, Histogram total, long start) {
            this.ledger = ledger;
            this.publishers = publishers;
            this.total = total;
            this.start = start;
            this.lastTick = start;
        }

        /** Sleeps through a phase of whole seconds, printing a line each second. */
        void runFor(String phase, int seconds) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            long now;
            while ((now = System.nanoTime()) < end) {
                Thread.sleep(Math.max(1, Math.min(100, TimeUnit.NANOSECONDS.toMillis(end - now))));
                tick(phase);
            }
        }

        /** Prints a line if a second has passed since the last one. */
        void tick(String phase) {
            long now = System.nanoTime();
            if (now - lastTick < TimeUnit.SECONDS.toNanos(1)) {
                return;
            }
            double dt = (now - lastTick) / 1e9;
            long sent = Publisher.sum(publishers, Publisher::started);
            long arrivals = ledger.arrivals();
            Histogram interval = ledger.latencySinceLastCall();
            total.add(interval);
            String p99 = interval.getTotalCount() == 0 ? "-"
                    : String.format(Locale.ROOT, "%.2f ms", interval.getValueAtPercentile(99) / 1000.0);
            progress.printf(Locale.ROOT, "%5.1fs %-8s sent %,10.0f/s  delivered %,10.0f/s  p99 %s%n",
                    (now - start) / 1e9, phase, (sent - lastSent) / dt, (arrivals - lastArrivals) / dt, p99);
            lastTick = now;
            lastSent = sent;
            lastArrivals = arrivals;
        }
    }
}
