package io.courier.protocol.session;

import io.courier.protocol.packet.Qos;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * The QoS 1 and 2 PUBLISHes sent to the client whose flows have not ended, keyed by packet
 * identifier.
 *
 * <p>The window is bounded by the client's Receive Maximum (5.0) or a configured maximum (3.1.1):
 * the server must not have more such PUBLISHes outstanding than that [MQTT-3.3.4-9]
 * [MQTT-4.9.0-2]. A flow holds its slot until PUBACK (QoS 1), PUBCOMP, or a PUBREC with a
 * reason code of 0x80 or more (QoS 2); so an entry that is only waiting for PUBCOMP still counts.
 *
 * <p>Entries are kept in the order their outstanding packet was sent: a PUBLISH's entry where the
 * PUBLISH went out, and, once the PUBREC arrives and the PUBREL goes out, at the end, where the
 * PUBREL went out. Replaying that order on reconnection re-sends PUBLISHes in their original order
 * [MQTT-4.6.0-1] and PUBRELs in the order their PUBRECs arrived [MQTT-4.6.0-4]; a plain "order
 * the PUBLISHes were sent" would break the second rule whenever a client answers two QoS 2
 * messages out of order.
 *
 * <p>Nothing here expires: once a PUBLISH has been sent, it is delivered even if its Message
 * Expiry Interval runs out [MQTT-4.3.3-7]; expiry only applies while a message waits in the
 * {@link OutboundQueue} [MQTT-3.3.2-5]. Packet identifiers come from a {@link PacketIdAllocator}
 * that the caller releases when an operation here returns a removed entry.
 */
public final class InflightWindow {

    /** Where a flow stands. */
    public enum Stage {
        /** QoS 1: PUBLISH sent, waiting for PUBACK. */
        AWAITING_PUBACK,
        /** QoS 2: PUBLISH sent, waiting for PUBREC. */
        AWAITING_PUBREC,
        /** QoS 2: PUBREC received and PUBREL sent, waiting for PUBCOMP. */
        AWAITING_PUBCOMP
    }

    /**
     * One outstanding flow. {@code delivery} is null exactly when the stage is
     * {@link Stage#AWAITING_PUBCOMP}: after PUBREC the message has been received and must never be
     * sent again [MQTT-4.3.3-6], so only the identifier is kept.
     */
    public record Entry(int packetId, Stage stage, Delivery delivery) {
        public Entry {
            PacketIdSet.check(packetId);
            Objects.requireNonNull(stage, "stage");
            if ((stage == Stage.AWAITING_PUBCOMP) != (delivery == null)) {
                throw new IllegalArgumentException("a delivery is kept until PUBREC, and only until then: " + stage);
            }
        }
    }

    private final LinkedHashMap<Integer, Entry> entries;
    private int capacity;

    /** @param capacity the Receive Maximum or configured maximum, 1..65535 */
    public InflightWindow(int capacity) {
        this.entries = new LinkedHashMap<>();
        setCapacity(capacity);
    }

    private InflightWindow(InflightWindow other) {
        this.entries = new LinkedHashMap<>(other.entries); // entries are immutable
        this.capacity = other.capacity;
    }

    /** A window as a snapshot left it: these entries, in this order. */
    public static InflightWindow restore(int capacity, List<Entry> entries) {
        InflightWindow w = new InflightWindow(capacity);
        for (Entry e : entries) {
            w.entries.put(e.packetId(), e);
        }
        return w;
    }

    /** An independent copy (for snapshots). */
    public InflightWindow copy() {
        return new InflightWindow(this);
    }

    public int capacity() {
        return capacity;
    }

    /**
     * Changes the bound, for a resumed session whose new connection states another Receive
     * Maximum. A capacity below {@link #size()} keeps every entry; {@link #hasRoom()} stays false
     * until enough flows end.
     */
    public void setCapacity(int capacity) {
        if (capacity < 1 || capacity > PacketIdSet.MAX_ID) {
            throw new IllegalArgumentException("capacity out of range 1..65535: " + capacity);
        }
        this.capacity = capacity;
    }

    public int size() {
        return entries.size();
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether one more QoS 1 or 2 PUBLISH may be sent [MQTT-3.3.4-9]. */
    public boolean hasRoom() {
        return entries.size() < capacity;
    }

    public boolean contains(int packetId) {
        return entries.containsKey(packetId);
    }

    /** The entry for this identifier, or null. */
    public Entry get(int packetId) {
        return entries.get(packetId);
    }

    /**
     * Records a QoS 1 or 2 PUBLISH sent with this identifier.
     *
     * @throws IllegalStateException    if the window is full or the identifier is already in it
     *                                  (the caller broke [MQTT-3.3.4-9] or [MQTT-2.2.1-4])
     * @throws IllegalArgumentException for a QoS 0 delivery, which has no flow
     */
    public Entry add(int packetId, Delivery delivery) {
        Objects.requireNonNull(delivery, "delivery");
        if (delivery.qos() == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("QoS 0 deliveries are not acknowledged, so never in flight");
        }
        if (!hasRoom()) {
            throw new IllegalStateException("inflight window full (" + capacity + ")");
        }
        if (entries.containsKey(packetId)) {
            throw new IllegalStateException("packet identifier " + packetId + " already in flight");
        }
        Stage stage = delivery.qos() == Qos.AT_LEAST_ONCE ? Stage.AWAITING_PUBACK : Stage.AWAITING_PUBREC;
        Entry entry = new Entry(packetId, stage, delivery);
        entries.put(packetId, entry);
        return entry;
    }

    /**
     * PUBACK (any reason code: a PUBACK of 0x80 or more also ends the flow [MQTT-4.4.0-2]). Returns
     * the removed entry, or null when no QoS 1 flow has this identifier, which the caller ignores.
     */
    public Entry onPubAck(int packetId) {
        return removeIf(packetId, Stage.AWAITING_PUBACK);
    }

    /**
     * PUBREC with a reason code below 0x80: the flow moves on to PUBREL [MQTT-4.3.3-4]. Returns
     * true if the caller is to send (or, for a repeated PUBREC, send again) a PUBREL; false if no
     * QoS 2 flow has this identifier (5.0 answers with a PUBREL 0x92 Packet Identifier not found).
     */
    public boolean onPubRec(int packetId) {
        Entry entry = entries.get(packetId);
        if (entry == null || entry.stage() == Stage.AWAITING_PUBACK) {
            return false;
        }
        if (entry.stage() == Stage.AWAITING_PUBREC) {
            // Re-inserted at the end: the PUBREL is sent now, after everything already in flight.
            entries.remove(packetId);
            entries.put(packetId, new Entry(packetId, Stage.AWAITING_PUBCOMP, null));
        }
        return true;
    }

    /**
     * PUBREC with a reason code of 0x80 or more: the receiver refused the message, the flow ends
     * and the PUBLISH must not be sent again [MQTT-4.4.0-2]. Returns the removed entry, or null.
     */
    public Entry onPubRecError(int packetId) {
        return removeIf(packetId, Stage.AWAITING_PUBREC);
    }

    /** PUBCOMP: the QoS 2 flow is complete. Returns the removed entry, or null. */
    public Entry onPubComp(int packetId) {
        return removeIf(packetId, Stage.AWAITING_PUBCOMP);
    }

    private Entry removeIf(int packetId, Stage stage) {
        Entry entry = entries.get(packetId);
        if (entry == null || entry.stage() != stage) {
            return null;
        }
        entries.remove(packetId);
        return entry;
    }

    /**
     * Removes every QoS 1 flow still waiting for its PUBACK whose delivery {@code filter} accepts;
     * returns the removed entries in window order, and the caller releases their identifiers. For
     * a shared subscription's messages that go to another member when this one leaves (4.8.2).
     * QoS 2 flows are never removed: once its PUBLISH went out, a QoS 2 message is completed with
     * this client when it reconnects [MQTT-4.8.2-4] and goes to no other member even if the
     * session ends [MQTT-4.8.2-5] (the client may have passed it on before its PUBREC was lost).
     */
    public List<Entry> removeAwaitingPubAck(Predicate<Delivery> filter) {
        List<Entry> removed = new ArrayList<>();
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry e = it.next();
            if (e.stage() == Stage.AWAITING_PUBACK && filter.test(e.delivery())) {
                it.remove();
                removed.add(e);
            }
        }
        return removed;
    }

    /**
     * What to send again, in order, when the client resumes the session [MQTT-4.4.0-1]: a PUBLISH
     * with DUP=1 for each flow waiting for PUBACK or PUBREC, a PUBREL for each waiting for PUBCOMP,
     * in the order those packets were last sent (see the class comment).
     */
    public List<Resend> resendOrder() {
        List<Resend> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.stage() == Stage.AWAITING_PUBCOMP
                    ? new Resend.ResendPubRel(e.packetId())
                    : new Resend.ResendPublish(e.packetId(), e.delivery()));
        }
        return out;
    }

    /** The entries in the order described in the class comment; a copy. */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof InflightWindow other) || capacity != other.capacity || size() != other.size()) {
            return false;
        }
        // Order is part of the state (it decides the resend order); LinkedHashMap.equals ignores it.
        Iterator<Entry> mine = entries.values().iterator();
        for (Entry theirs : other.entries.values()) {
            if (!mine.next().equals(theirs)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return 31 * List.copyOf(entries.values()).hashCode() + capacity;
    }

    @Override
    public String toString() {
        return "InflightWindow[capacity=" + capacity + ", entries=" + entries.values() + "]";
    }
}
