package io.courier.app.loadtool;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Counts what subscribers received, per receiver and publisher, from the
 * {@link PayloadHeader} in each payload: first arrivals, duplicates, and the end-to-end latency
 * of messages sent while measuring. Subscribers call {@link #arrived} from the client's event
 * loop threads; each (receiver, publisher) stream has its own {@link SequenceTracker} and lock,
 * so subscribers do not contend with each other.
 *
 * <p>A receiver is a subscriber, except with {@link Layout#SHARED}: the group as a whole is one
 * receiver, since each message should reach exactly one member, and a second member getting it
 * is a duplicate.
 *
 * <p>Lost = deliveries expected from the publishes that finished (given layout and QoS, see
 * {@link #tally}) minus the distinct ones that arrived; it is only meaningful after the drain.
 */
public final class DeliveryLedger {

    /** Latencies above a minute are recorded as a minute (a broker that slow has other problems). */
    static final long HIGHEST_MICROS = 60_000_000L;

    private final Layout layout;
    private final int publishers;
    private final SequenceTracker[][] trackers;
    private final LongAdder arrivals = new LongAdder();
    private final LongAdder measuredArrivals = new LongAdder();
    private final LongAdder unexpected = new LongAdder();
    private final Recorder latency = new Recorder(HIGHEST_MICROS, 3);
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    public DeliveryLedger(Layout layout, int publishers, int subscribers) {
        this.layout = layout;
        this.publishers = publishers;
        int receivers = layout == Layout.SHARED ? Math.min(1, subscribers) : subscribers;
        trackers = new SequenceTracker[receivers][publishers];
        for (int r = 0; r < receivers; r++) {
            for (int p = 0; p < publishers; p++) {
                if (layout.receives(r, p)) {
                    trackers[r][p] = new SequenceTracker();
                }
            }
        }
    }

    /** From now on arrivals count as measured, and latency is recorded for messages sent from now on. */
    public void startMeasuring(long nowNanos) {
        measureFrom = nowNanos;
    }

    public void stopMeasuring(long nowNanos) {
        measureUntil = nowNanos;
    }

    /** One message arrived at subscriber {@code subscriber}, now. */
    public void arrived(int subscriber, ByteBuffer payload) {
        arrived(subscriber, payload, System.nanoTime());
    }

    void arrived(int subscriber, ByteBuffer payload, long nowNanos) {
        arrivals.increment();
        if (nowNanos >= measureFrom && nowNanos < measureUntil) {
            measuredArrivals.increment();
        }
        PayloadHeader.Header h = PayloadHeader.read(payload);
        int receiver = layout == Layout.SHARED ? 0 : subscriber;
        if (h == null || h.publisher() < 0 || h.publisher() >= publishers || receiver >= trackers.length
                || trackers[receiver][h.publisher()] == null || h.sequence() < 0) {
            unexpected.increment(); // not the tool's, or to a subscriber the layout says should not get it
            return;
        }
        SequenceTracker t = trackers[receiver][h.publisher()];
        boolean first;
        synchronized (t) {
            first = t.arrived(h.sequence());
        }
        if (first && h.sentNanos() >= measureFrom && h.sentNanos() < measureUntil) {
            latency.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, (nowNanos - h.sentNanos()) / 1_000)));
        }
    }

    /** All arrivals so far, duplicates included. */
    public long arrivals() {
        return arrivals.sum();
    }

    /** Arrivals between {@link #startMeasuring} and {@link #stopMeasuring}. */
    public long measuredArrivals() {
        return measuredArrivals.sum();
    }

    /** Payloads that were not the tool's or reached a subscriber the layout excludes. */
    public long unexpected() {
        return unexpected.sum();
    }

    /** Latencies (microseconds) recorded since the last call; the caller adds them up. */
    public Histogram latencySinceLastCall() {
        return latency.getIntervalHistogram();
    }

    /** Expected, distinct and duplicate deliveries, and what is missing. */
    public record Tally(long expected, long unique, long duplicates, long lost) {
    }

    /**
     * Counts against what publishers finished: {@code finished[p]} is how many of publisher p's
     * messages completed for their QoS (written, PUBACKed, PUBCOMPed). Each should reach every
     * receiver the layout gives it.
     */
    public Tally tally(long[] finished) {
        long expected = 0;
        long unique = 0;
        long duplicates = 0;
        long lost = 0;
        for (SequenceTracker[] row : trackers) {
            for (int p = 0; p < publishers; p++) {
                SequenceTracker t = row[p];
                if (t == null) {
                    continue;
                }
                synchronized (t) {
                    expected += finished[p];
                    unique += t.unique();
                    duplicates += t.duplicates();
                    // A publish that failed (reported apart) is not expected; if it arrived anyway
                    // it offsets a missing one, so with failed publishes "lost" is a lower bound.
                    lost += Math.max(0, finished[p] - t.unique());
                }
            }
        }
        return new Tally(expected, unique, duplicates, lost);
    }
}
