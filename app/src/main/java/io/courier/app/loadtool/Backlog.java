package io.courier.app.loadtool;

import java.util.concurrent.atomic.LongAdder;

/**
 * The end-to-end bound of {@code --backlog N}: publishers wait while more than N messages are
 * published and not yet delivered (counting one message as delivered once its expected number of
 * deliveries arrived on average). Without it, flat out at QoS 0 measures how much a broker
 * buffers rather than how fast it delivers: the publishers' sockets outrun any subscriber, and
 * latency grows to seconds. A message the broker drops never arrives; so that drops do not
 * close the gate for good, when nothing has arrived for {@value #STALL_MILLIS} ms with the
 * backlog full, what is outstanding is written off (for the gate only).
 */
final class Backlog {

    /** How long nothing may arrive, with the backlog full, before it counts as dropped. */
    private static final long STALL_NANOS = java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(Backlog.STALL_MILLIS);
    static final long STALL_MILLIS = 500;

    private final long limit;
    private final int deliveriesPerMessage;
    private final DeliveryLedger ledger;
    private final LongAdder started = new LongAdder();
    private volatile long forgiven;
    private long lastArrivals = -1;
    private long lastProgress;

    /** {@code limit} 0 = no bound (also when the layout delivers nothing). */
    Backlog(long limit, int deliveriesPerMessage, DeliveryLedger ledger) {
        this.limit = deliveriesPerMessage == 0 ? 0 : limit;
        this.deliveriesPerMessage = deliveriesPerMessage;
        this.ledger = ledger;
    }

    boolean full() {
        if (limit == 0) {
            return false;
        }
        long arrivals = ledger.arrivals();
        // Lock-free while there is room (every publish asks); the lock only once it is full.
        if (started.sum() - arrivals / deliveriesPerMessage - forgiven < limit) {
            return false;
        }
        synchronized (this) {
            long outstanding = started.sum() - arrivals / deliveriesPerMessage - forgiven;
            if (outstanding < limit) {
                return false;
            }
            long now = System.nanoTime();
            if (arrivals != lastArrivals) {
                lastArrivals = arrivals;
                lastProgress = now;
                return true;
            }
            if (now - lastProgress > STALL_NANOS) {
                // Nothing arrived for a while with the room used up: the broker dropped what is
                // outstanding (or holds it for good). Give the room back; the final count after
                // the drain says what was really lost.
                forgiven += outstanding;
                lastProgress = now;
                return false;
            }
            return true;
        }
    }

    void started() {
        started.increment();
    }
}
