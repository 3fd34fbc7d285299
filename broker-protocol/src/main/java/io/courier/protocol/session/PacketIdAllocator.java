package io.courier.protocol.session;

/**
 * Packet identifiers for the QoS 1 and 2 PUBLISHes the server sends to one client.
 *
 * <p>A new outbound PUBLISH must carry a non-zero identifier that is not in use
 * [MQTT-2.2.1-4] (3.1.1: [MQTT-2.3.1-4]); an identifier stays in use until its flow ends: PUBACK
 * for QoS 1, PUBCOMP or a PUBREC with a reason code of 0x80 or more for QoS 2 (spec 2.2.1). The
 * caller releases it then. Identifiers are handed out cycling forward from the last one
 * allocated rather than lowest-free-first, so a just-released identifier is not reused at once:
 * a late or duplicated acknowledgement from the client for an old flow cannot be mistaken for
 * the new one.
 *
 * <p>Deterministic (the same calls give the same identifiers), so an event handler may call
 * {@link #allocate()} and replay gets the same answers. Allocation reads at most a few dozen
 * words whatever the number of identifiers in use (see {@link PacketIdSet}).
 */
public final class PacketIdAllocator {

    /** What {@link #allocate()} returns when all 65,535 identifiers are in use. */
    public static final int NONE = 0;

    private final PacketIdSet inUse;
    /** The identifier allocated last, 0 before the first. */
    private int last;

    public PacketIdAllocator() {
        this.inUse = new PacketIdSet();
    }

    private PacketIdAllocator(PacketIdSet inUse, int last) {
        this.inUse = inUse;
        this.last = last;
    }

    /**
     * An allocator as a snapshot left it: these identifiers in use and the search continuing
     * after {@code lastAllocated}.
     */
    public static PacketIdAllocator restore(int lastAllocated, int[] inUseIds) {
        PacketIdSet set = new PacketIdSet();
        for (int id : inUseIds) {
            set.add(id);
        }
        return new PacketIdAllocator(set, lastAllocated);
    }

    /** An independent copy (for snapshots). */
    public PacketIdAllocator copy() {
        return new PacketIdAllocator(inUse.copy(), last);
    }

    /**
     * The next identifier after the last one allocated that is not in use, wrapping from 65535 to
     * 1; marks it in use. {@link #NONE} (0) when every identifier is in use.
     */
    public int allocate() {
        if (inUse.size() == PacketIdSet.MAX_ID) {
            return NONE;
        }
        int id = inUse.nextAbsentFrom(last == PacketIdSet.MAX_ID ? 1 : last + 1);
        if (id < 0) {
            id = inUse.nextAbsentFrom(1);
        }
        inUse.add(id);
        last = id;
        return id;
    }

    /** Makes the identifier free again; true if it was in use (false: a duplicate or stray release). */
    public boolean release(int id) {
        return inUse.remove(id);
    }

    public boolean isInUse(int id) {
        return inUse.contains(id);
    }

    public int inUseCount() {
        return inUse.size();
    }

    /** The identifier allocated last, 0 if none has been yet; the next search starts after it. */
    public int lastAllocated() {
        return last;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PacketIdAllocator other && last == other.last && inUse.equals(other.inUse);
    }

    @Override
    public int hashCode() {
        return 31 * inUse.hashCode() + last;
    }

    @Override
    public String toString() {
        return "PacketIdAllocator[last=" + last + ", inUse=" + inUse + "]";
    }
}
