package io.courier.app.loadtool;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Restart recovery, in two modes run on either side of a broker restart.
 *
 * <p>{@code sessions-prepare}: {@code --sessions} persistent sessions
 * ({@code <client-prefix>-<i>}, session expiry {@code --session-expiry}) each subscribe to
 * their own topic {@code <topic-prefix>/<i>} and disconnect; then one publisher sends
 * {@code --queued} messages to each topic, so every session has that many queued. All at QoS
 * {@code --qos} (1 or 2), and the publisher waits for every acknowledgement: once it is done,
 * the broker has taken responsibility for every queued message.
 *
 * <p>{@code sessions-check}: waits (up to {@code --connect-timeout}) for the broker's listener,
 * then resumes {@code --sample} of those sessions (every sessions/sample-th one, starting at
 * {@code --sample-offset}, so repeated checks take fresh sessions) and waits (up to
 * {@code --drain}) until each has received its queued messages. It reports wall-clock times (epoch milliseconds) for the
 * listener and for the moment the last sampled session had everything, so the caller can
 * measure from the broker's process start.
 */
final class SessionRecoveryRun {

    private final BenchOptions o;
    private final PrintStream progress;

    SessionRecoveryRun(BenchOptions options, PrintStream progress) throws BenchOptions.BadOptionException {
        if (options.sessionExpiry() == 0) {
            throw new BenchOptions.BadOptionException("--session-expiry", options.mode() + " needs persistent sessions (above 0)");
        }
        if (options.qos() == 0) {
            throw new BenchOptions.BadOptionException("--qos", options.mode() + " needs QoS 1 or 2 (QoS 0 is not queued for offline sessions)");
        }
        this.o = options;
        this.progress = progress;
    }

    Report prepare() throws Exception {
        Fleet fleet = new Fleet(o, o.sessions());
        Throttle sessions = new Throttle(o.connectConcurrency());
        long start = System.nanoTime();
        try (ProgressLine line = new ProgressLine(progress, "sessions", sessions::done)) {
            sessions.run(o.sessions(), i -> {
                BenchClient c = fleet.client(sessionId(i), i, true, payload -> { });
                return c.connect().thenCompose(v -> c.subscribe(topic(i), o.qos())).thenCompose(v -> c.disconnect(false));
            }, o.connectTimeoutSeconds());
        }
        double sessionSeconds = (System.nanoTime() - start) / 1e9;

        BenchClient publisher = fleet.client(o.clientPrefix() + "-publisher", 0, true, payload -> { });
        publisher.connect().get(o.connectTimeoutSeconds(), TimeUnit.SECONDS);
        Semaphore window = new Semaphore(o.inflight());
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        long total = (long) o.sessions() * o.queued();
        long publishStart = System.nanoTime();
        try (ProgressLine line = new ProgressLine(progress, "queue", acked::sum)) {
            for (int k = 0; k < o.queued(); k++) {
                for (int i = 0; i < o.sessions(); i++) {
                    acquire(window, 1, fleet);
                    publisher.publish(topic(i), o.qos(), PayloadHeader.write(o.payloadSize(), k, i, System.nanoTime()))
                            .whenComplete((v, e) -> {
                                (e == null ? acked : failed).increment();
                                window.release();
                            });
                }
            }
            acquire(window, o.inflight(), fleet);
        }
        double publishSeconds = (System.nanoTime() - publishStart) / 1e9;
        publisher.disconnect(false).get(o.connectTimeoutSeconds(), TimeUnit.SECONDS);
        return new Report()
                .put("mode", "sessions-prepare")
                .put("broker", o.host() + ":" + o.port())
                .put("sessions", o.sessions())
                .put("queued_per_session", o.queued())
                .put("sessions_s", round(sessionSeconds))
                .put("sessions_per_s", round(o.sessions() / sessionSeconds))
                .put("queued_total", total)
                .put("queued_acked", acked.sum())
                .put("queued_failed", failed.sum())
                .put("queue_s", round(publishSeconds))
                .put("queue_msg_s", round(acked.sum() / Math.max(publishSeconds, 1e-9)));
    }

    Report check() throws Exception {
        long listenerUp = awaitListener();
        Fleet fleet = new Fleet(o, o.sample());
        int stride = Math.max(1, o.sessions() / o.sample());
        List<SequenceTracker> got = new ArrayList<>(o.sample());
        LongAdder sessionsComplete = new LongAdder();
        AtomicLong lastComplete = new AtomicLong();
        List<BenchClient> clients = new ArrayList<>(o.sample());
        for (int j = 0; j < o.sample(); j++) {
            SequenceTracker t = new SequenceTracker();
            got.add(t);
            int session = (o.sampleOffset() + j * stride) % o.sessions();
            clients.add(fleet.client(sessionId(session), j, false, payload -> {
                PayloadHeader.Header h = PayloadHeader.read(payload);
                if (h == null) {
                    return;
                }
                synchronized (t) {
                    if (t.arrived(h.publisher()) && t.unique() == o.queued()) {
                        sessionsComplete.increment();
                        lastComplete.accumulateAndGet(System.currentTimeMillis(), Math::max);
                    }
                }
            }));
        }
        Throttle connecting = new Throttle(o.connectConcurrency());
        connecting.run(clients.size(), i -> clients.get(i).connect(), o.connectTimeoutSeconds());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.drainSeconds());
        try (ProgressLine line = new ProgressLine(progress, "complete", sessionsComplete::sum)) {
            while (sessionsComplete.sum() < o.sample() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        long received = 0;
        long duplicates = 0;
        for (SequenceTracker t : got) {
            synchronized (t) {
                received += t.unique();
                duplicates += t.duplicates();
            }
        }
        Throttle closing = new Throttle(o.connectConcurrency());
        closing.run(clients.size(), i -> clients.get(i).disconnect(false), o.connectTimeoutSeconds());
        boolean complete = sessionsComplete.sum() == o.sample();
        return new Report()
                .put("mode", "sessions-check")
                .put("broker", o.host() + ":" + o.port())
                .put("sample", o.sample())
                .put("sessions_complete", sessionsComplete.sum())
                .put("expected", (long) o.sample() * o.queued())
                .put("received", received)
                .put("missing", (long) o.sample() * o.queued() - received)
                .put("duplicated", duplicates)
                .put("listener_epoch_ms", listenerUp)
                .put("deliverable_epoch_ms", complete ? lastComplete.get() : null);
    }

    /**
     * Waits for room in the publisher's window, up to {@code --connect-timeout}, but gives up at
     * once when the broker closed the publisher: its unacknowledged publishes would never
     * complete.
     */
    private void acquire(Semaphore window, int permits, Fleet fleet) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.connectTimeoutSeconds());
        while (!window.tryAcquire(permits, 200, TimeUnit.MILLISECONDS)) {
            if (fleet.unexpectedDisconnects() > 0) {
                throw new IllegalStateException("the broker closed a connection: " + fleet.firstDisconnect());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("acknowledgements missing for " + o.connectTimeoutSeconds() + " s");
            }
        }
    }

    private String sessionId(int i) {
        return o.clientPrefix() + "-" + i;
    }

    private String topic(int i) {
        return o.topicPrefix() + "/" + i;
    }

    /** Polls the broker's port until it accepts a TCP connection; the time it first did. */
    private long awaitListener() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.connectTimeoutSeconds());
        IOException last = null;
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(o.host(), o.port()), 200);
                return System.currentTimeMillis();
            } catch (IOException e) {
                last = e;
                Thread.sleep(10);
            }
        }
        throw new IOException("no listener on " + o.host() + ":" + o.port() + " within " + o.connectTimeoutSeconds() + " s", last);
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
