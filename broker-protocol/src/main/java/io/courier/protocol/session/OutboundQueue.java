package io.courier.protocol.session;

import io.courier.protocol.packet.Qos;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Deliveries waiting to be sent to one client: for a free slot in the {@link InflightWindow}, or
 * for the client to come back (the offline queue). First in, first out, and bounded: every
 * message dropped is counted, by cause, in {@link #droppedOverflow()} and {@link #droppedExpired()}.
 *
 * <p><b>Expiry.</b> A message whose Message Expiry Interval runs out before its onward delivery
 * starts must be deleted [MQTT-3.3.2-5]; {@link #poll(long)} and {@link #peek(long)} skip and drop
 * expired messages, {@link #offer(Delivery, long)} refuses one that has expired already and, when
 * the queue is full, drops expired messages before it considers dropping a live one. Time is
 * always passed in, so replaying the same calls gives the same queue.
 *
 * <p><b>Overflow.</b> When a message arrives at a full queue, one message is dropped: the
 * incoming one or a queued one. The victim is chosen among the QoS 0 messages (queued or
 * incoming) if there are any, otherwise among all of them, and the {@link OverflowPolicy} picks the
 * oldest or the newest of those. QoS 0 goes first because it promised nothing: "at most once"
 * allows loss, and the session state holds QoS 0 messages for an offline client only
 * optionally (spec 4.1), while a QoS 1 or 2 message is one the broker took ownership of and promised to
 * deliver to every matching session [MQTT-4.5.0-1]. So a QoS 1/2 message never makes way for a
 * QoS 0 one, and a QoS 0 message never survives an overflow at a QoS 1/2 message's expense.
 * Finding a queued QoS 0 message is a scan, which only happens on overflow and only when a
 * QoS 0 message is queued (a count is kept).
 */
public final class OutboundQueue {

    /** Which message an overflow drops, among those eligible (see the class comment). */
    public enum OverflowPolicy {
        /** Keep what is queued: drop the newest, normally the incoming message. */
        DROP_NEWEST,
        /** Keep what is recent: drop the oldest, normally the head of the queue. */
        DROP_OLDEST
    }

    /** What {@link #offer(Delivery, long)} did with a message, so the caller can report drops. */
    public sealed interface OfferOutcome {
        /** Queued; nothing dropped. */
        record Accepted() implements OfferOutcome {
        }

        /** Queued, and {@code evicted}, which was queued, dropped to make room. */
        record AcceptedWithEviction(Delivery evicted) implements OfferOutcome {
            public AcceptedWithEviction {
                Objects.requireNonNull(evicted, "evicted");
            }
        }

        /** Not queued. */
        record Rejected(RejectReason reason) implements OfferOutcome {
            public Rejected {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    public enum RejectReason {
        /** The queue was full and the incoming message was the one to drop. */
        OVERFLOW,
        /** The message had expired already [MQTT-3.3.2-5]. */
        EXPIRED
    }

    private static final OfferOutcome ACCEPTED = new OfferOutcome.Accepted();
    private static final OfferOutcome REJECTED_OVERFLOW = new OfferOutcome.Rejected(RejectReason.OVERFLOW);
    private static final OfferOutcome REJECTED_EXPIRED = new OfferOutcome.Rejected(RejectReason.EXPIRED);

    private final int capacity;
    private final OverflowPolicy policy;
    private final ArrayDeque<Delivery> queue;
    /** How many queued deliveries are QoS 0, so overflow only scans when one is. */
    private int qos0Count;
    private long droppedOverflow;
    private long droppedExpired;

    /** @param capacity the most messages held, at least 1 (1,000 is a reasonable default) */
    public OutboundQueue(int capacity, OverflowPolicy policy) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.capacity = capacity;
        this.policy = Objects.requireNonNull(policy, "policy");
        this.queue = new ArrayDeque<>();
    }

    private OutboundQueue(OutboundQueue other) {
        this.capacity = other.capacity;
        this.policy = other.policy;
        this.queue = new ArrayDeque<>(other.queue); // deliveries are immutable
        this.qos0Count = other.qos0Count;
        this.droppedOverflow = other.droppedOverflow;
        this.droppedExpired = other.droppedExpired;
    }

    /** An independent copy (for snapshots). */
    public OutboundQueue copy() {
        return new OutboundQueue(this);
    }

    /** Adds a delivery at the tail, dropping one message if the queue is full (class comment). */
    public OfferOutcome offer(Delivery delivery, long nowMillis) {
        Objects.requireNonNull(delivery, "delivery");
        if (delivery.isExpired(nowMillis)) {
            droppedExpired++;
            return REJECTED_EXPIRED;
        }
        if (queue.size() >= capacity) {
            purgeExpired(nowMillis);
        }
        if (queue.size() < capacity) {
            append(delivery);
            return ACCEPTED;
        }
        droppedOverflow++;
        boolean incomingQos0 = delivery.qos() == Qos.AT_MOST_ONCE;
        Delivery evicted;
        if (policy == OverflowPolicy.DROP_NEWEST) {
            if (incomingQos0 || qos0Count == 0) {
                return REJECTED_OVERFLOW;
            }
            evicted = removeQos0(queue.descendingIterator());
        } else if (qos0Count > 0) {
            evicted = removeQos0(queue.iterator());
        } else if (incomingQos0) {
            return REJECTED_OVERFLOW;
        } else {
            evicted = queue.removeFirst();
        }
        append(delivery);
        return new OfferOutcome.AcceptedWithEviction(evicted);
    }

    /** Removes and returns the next delivery that has not expired, or null; drops expired ones. */
    public Delivery poll(long nowMillis) {
        Delivery head = peek(nowMillis);
        if (head != null) {
            removeHead();
        }
        return head;
    }

    /** The next delivery that has not expired, left in place, or null; drops expired ones first. */
    public Delivery peek(long nowMillis) {
        while (!queue.isEmpty()) {
            Delivery head = queue.peekFirst();
            if (!head.isExpired(nowMillis)) {
                return head;
            }
            removeHead();
            droppedExpired++;
        }
        return null;
    }

    /** Drops every expired delivery, wherever it is in the queue; returns how many. */
    public int purgeExpired(long nowMillis) {
        int dropped = 0;
        for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (d.isExpired(nowMillis)) {
                it.remove();
                forget(d);
                dropped++;
            }
        }
        droppedExpired += dropped;
        return dropped;
    }

    /**
     * Removes every queued delivery that {@code filter} accepts, keeping the others in order;
     * returns the removed ones, head first. For deliveries that leave this session for another
     * (a shared subscription's messages when its member goes, 4.8.2): not counted as drops.
     */
    public List<Delivery> removeIf(Predicate<Delivery> filter) {
        List<Delivery> removed = new ArrayList<>();
        for (Iterator<Delivery> it = queue.iterator(); it.hasNext(); ) {
            Delivery d = it.next();
            if (filter.test(d)) {
                it.remove();
                forget(d);
                removed.add(d);
            }
        }
        return removed;
    }

    public int size() {
        return queue.size();
    }

    public boolean isEmpty() {
        return queue.isEmpty();
    }

    public int capacity() {
        return capacity;
    }

    public OverflowPolicy policy() {
        return policy;
    }

    /** Messages dropped because the queue was full: evicted ones and rejected incoming ones. */
    public long droppedOverflow() {
        return droppedOverflow;
    }

    /** Messages dropped because they expired before being sent [MQTT-3.3.2-5]. */
    public long droppedExpired() {
        return droppedExpired;
    }

    /** The queued deliveries, head first, including any expired ones not yet dropped; a copy. */
    public List<Delivery> deliveries() {
        return List.copyOf(queue);
    }

    private void append(Delivery delivery) {
        queue.addLast(delivery);
        if (delivery.qos() == Qos.AT_MOST_ONCE) {
            qos0Count++;
        }
    }

    private void removeHead() {
        forget(queue.removeFirst());
    }

    private void forget(Delivery removed) {
        if (removed.qos() == Qos.AT_MOST_ONCE) {
            qos0Count--;
        }
    }

    /** Removes the first QoS 0 delivery the iterator reaches; the caller knows there is one. */
    private Delivery removeQos0(Iterator<Delivery> it) {
        while (it.hasNext()) {
            Delivery d = it.next();
            if (d.qos() == Qos.AT_MOST_ONCE) {
                it.remove();
                qos0Count--;
                return d;
            }
        }
        throw new IllegalStateException("QoS 0 count out of step with the queue");
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof OutboundQueue other) || capacity != other.capacity || policy != other.policy
                || droppedOverflow != other.droppedOverflow || droppedExpired != other.droppedExpired
                || queue.size() != other.queue.size()) {
            return false;
        }
        Iterator<Delivery> mine = queue.iterator();
        for (Delivery theirs : other.queue) {
            if (!mine.next().equals(theirs)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return Objects.hash(capacity, policy, droppedOverflow, droppedExpired, List.copyOf(queue));
    }

    @Override
    public String toString() {
        return "OutboundQueue[size=" + queue.size() + "/" + capacity + ", policy=" + policy
                + ", droppedOverflow=" + droppedOverflow + ", droppedExpired=" + droppedExpired + "]";
    }
}
