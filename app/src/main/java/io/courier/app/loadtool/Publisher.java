package io.courier.app.loadtool;

import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.ToLongFunction;

/**
 * One publishing client and the thread loop that drives it: sequence numbers 0, 1, 2, ... with
 * no gaps, at most {@code inflight} publishes unfinished (so a broker that does not keep up slows
 * the publisher instead of filling the tool's memory), and either flat out or on a fixed
 * schedule. On a schedule the payload carries the scheduled time, so time spent waiting for the
 * window counts as latency ({@link PayloadHeader}). {@link Backlog} bounds all publishers
 * together, end to end.
 */
final class Publisher {

    private final BenchClient client;
    private final int index;
    private final String topic;
    private final int qos;
    private final int payloadSize;
    private final int inflight;
    private final Semaphore window;
    private final long intervalNanos;
    private final double phase;
    private final Backlog backlog;
    private final LongAdder finished = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private volatile long started;
    private volatile boolean stopped;

    /**
     * @param rate  messages per second for this publisher, 0 = flat out
     * @param phase fraction of an interval to shift this publisher's schedule by, so that N
     *              publishers at a fixed rate do not all send in the same instant
     */
    Publisher(BenchClient client, int index, String topic, int qos, int payloadSize, int inflight, double rate,
              double phase, Backlog backlog) {
        this.backlog = backlog;
        this.client = client;
        this.index = index;
        this.topic = topic;
        this.qos = qos;
        this.payloadSize = payloadSize;
        this.inflight = inflight;
        this.window = new Semaphore(inflight);
        this.intervalNanos = rate == 0 ? 0 : Math.max(1, Math.round(1e9 / rate));
        this.phase = phase;
    }

    /** The publishing loop; returns after {@link #stop()} (checked at least every 100 ms). */
    void run(long startNanos) {
        long first = startNanos + Math.round(intervalNanos * phase);
        try {
            while (!stopped) {
                if (intervalNanos > 0) {
                    long wait;
                    while (!stopped && (wait = first + started * intervalNanos - System.nanoTime()) > 0) {
                        LockSupport.parkNanos(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
                    }
                }
                if (backlog.full()) {
                    LockSupport.parkNanos(1_000_000); // 1 ms: waking sooner would take CPU from the broker
                    continue;
                }
                if (stopped || !window.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long stamp = intervalNanos == 0 ? System.nanoTime() : first + started * intervalNanos;
                byte[] payload = PayloadHeader.write(payloadSize, index, started, stamp);
                started++; // only this thread writes it
                backlog.started();
                client.publish(topic, qos, payload).whenComplete((v, e) -> {
                    if (e == null) {
                        finished.increment();
                    } else {
                        failed.increment();
                    }
                    window.release();
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void stop() {
        stopped = true;
    }

    BenchClient client() {
        return client;
    }

    int index() {
        return index;
    }

    long started() {
        return started;
    }

    long finished() {
        return finished.sum();
    }

    long failed() {
        return failed.sum();
    }

    /** Publishes started and not yet finished or failed. */
    long unfinished() {
        return started - finished() - failed();
    }

    boolean allFinished() {
        return window.availablePermits() == inflight;
    }

    static long sum(List<Publisher> publishers, ToLongFunction<Publisher> f) {
        return publishers.stream().mapToLong(f).sum();
    }

    static long[] finishedCounts(List<Publisher> publishers) {
        return publishers.stream().mapToLong(Publisher::finished).toArray();
    }
}
