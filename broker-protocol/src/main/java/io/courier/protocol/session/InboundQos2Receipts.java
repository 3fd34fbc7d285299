package io.courier.protocol.session;

/**
 * The packet identifiers of QoS 2 PUBLISHes from the client that the server accepted (answered
 * with a successful PUBREC) and whose PUBREL has not arrived yet.
 *
 * <p>This is what makes QoS 2 exactly once on the way in: until the PUBREL arrives, a PUBLISH
 * with the same identifier is the client re-sending the same message, so it is acknowledged with
 * another PUBREC and not routed again [MQTT-4.3.3-10] (3.1.1: [MQTT-4.3.3-2]). After the PUBCOMP,
 * or after a PUBREC that refused the message, the identifier names a new message
 * [MQTT-4.3.3-9] [MQTT-4.3.3-12].
 *
 * <p>In 5.0 a receipt holds one of the server's Receive Maximum slots until the PUBCOMP is sent:
 * the client must not exceed it [MQTT-3.3.4-7], and the engine, comparing {@link #size()} plus
 * its unanswered QoS 1 PUBLISHes with it, disconnects with 0x93 Receive Maximum exceeded when it
 * does. Nothing is refused here; the identifier space bounds the set (at most 65,535 entries).
 */
public final class InboundQos2Receipts {

    private final PacketIdSet ids;

    public InboundQos2Receipts() {
        this.ids = new PacketIdSet();
    }

    private InboundQos2Receipts(PacketIdSet ids) {
        this.ids = ids;
    }

    /** An independent copy (for snapshots). */
    public InboundQos2Receipts copy() {
        return new InboundQos2Receipts(ids.copy());
    }

    /**
     * A QoS 2 PUBLISH with this identifier was accepted. True if it is new, so the caller routes
     * it; false if it is a duplicate of one still awaiting PUBREL, which the caller must only
     * acknowledge with PUBREC again [MQTT-4.3.3-10].
     */
    public boolean onPublish(int packetId) {
        return ids.add(packetId);
    }

    /**
     * PUBREL. True if the identifier was known: answer PUBCOMP Success. False if not: 5.0 answers
     * PUBCOMP 0x92 Packet Identifier not found (3.1.1 has no reason codes and answers PUBCOMP
     * anyway). Either way the identifier is free for a new message afterwards [MQTT-4.3.3-12].
     */
    public boolean onPubRel(int packetId) {
        return ids.remove(packetId);
    }

    /**
     * The message recorded by {@link #onPublish(int)} was refused after all (PUBREC with a reason
     * code of 0x80 or more, e.g. not authorised): the flow ends and a later PUBLISH with this
     * identifier is a new message [MQTT-4.3.3-9]. True if the identifier was recorded.
     */
    public boolean forget(int packetId) {
        return ids.remove(packetId);
    }

    public boolean contains(int packetId) {
        return ids.contains(packetId);
    }

    public int size() {
        return ids.size();
    }

    public boolean isEmpty() {
        return ids.size() == 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundQos2Receipts other && ids.equals(other.ids);
    }

    @Override
    public int hashCode() {
        return ids.hashCode();
    }

    @Override
    public String toString() {
        return "InboundQos2Receipts" + ids;
    }
}
