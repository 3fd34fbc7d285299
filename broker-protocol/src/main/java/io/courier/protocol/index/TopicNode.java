package io.courier.protocol.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One level of a {@link TopicTree}: an immutable payload snapshot and the children, which
 * readers look up without a lock by a region of a string, so a lookup needs no substring.
 *
 * <p><b>Children.</b> A trie too big for the cache pays one miss for every object a lookup
 * touches, so the layout saves objects where the shape of topic trees allows:
 * <ul>
 * <li>the wildcard children {@code +} and {@code #} have their own fields, because the
 * subscription match asks for them at every level;</li>
 * <li>the first exact child sits in the field {@link #single}: below the first few levels
 * almost every node has one child ({@code dev-42/sensors/temp}), and a field in the parent
 * saves reading a separate table;</li>
 * <li>from the second exact child on, all exact children are in {@link #slots}, an
 * open-addressing table with linear probing.</li>
 * </ul>
 *
 * <p><b>Lock-free reads.</b> Writers change children only while holding this node's monitor;
 * readers take no lock. A table slot holds a child, {@code null} (never used: a probe stops) or
 * {@link #TOMBSTONE} (a removed child: a probe goes on). Slots are written with release and read
 * with acquire semantics, so a reader that sees a child sees it fully built. A reader may hold
 * an old table: a live entry never moves inside a table (removal leaves a tombstone rather than
 * shifting), and a table replaced by a rebuild is never written again, so a child present
 * before and after a write is in either table. When the second exact child arrives, the table
 * holding both is published before {@link #single} is cleared, and readers read
 * {@code single} before {@code slots}, so a reader that misses the single child finds it in the
 * table. The load factor stays at most 1/2, counting tombstones, so every probe meets a
 * {@code null} and ends; it is that low because each occupied slot a probe passes means reading
 * that child (another miss), above all for lookups that find nothing.
 *
 * @param <P> the payload; {@code null} means the node holds nothing
 */
final class TopicNode<P> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object TOMBSTONE = new Object();
    private static final int MIN_CAPACITY = 8;

    final TopicNode<P> parent;
    final int hash;
    /**
     * A level of up to 16 chars, all below U+0100 (most levels: {@code sensors},
     * {@code dev-0a1b2}), packed one byte per char into these two longs, zero-padded, so a
     * lookup compares it inside the node without reading another object. Zero padding is
     * unambiguous because U+0000 cannot appear in a topic [MQTT-4.7.3-2].
     */
    private final long key0;
    private final long key1;
    /** Any other level, char by char; {@code null} when the level is packed. */
    private final char[] longLevel;

    private volatile P payload;
    private volatile TopicNode<P> plusChild;
    private volatile TopicNode<P> hashChild;
    /** The only exact child, while there is exactly one and no table. */
    private volatile TopicNode<P> single;
    /** The exact children once there have been two at a time; {@code null} otherwise. */
    private volatile Object[] slots;

    /** Children in {@link #slots}; guarded by this. */
    private int liveCount;
    /** Slots that are not {@code null}: children plus tombstones; guarded by this. */
    private int usedCount;
    /**
     * Set, under the locks of parent and node, when the node is cut out of the tree. A writer
     * that reaches a removed node starts again from the root; see {@link TopicTree}.
     */
    boolean removed;

    TopicNode(TopicNode<P> parent, String level) {
        this.parent = parent;
        this.hash = hash(level, 0, level.length());
        if (isPackable(level, 0, level.length())) {
            this.key0 = pack(level, 0, Math.min(level.length(), 8));
            this.key1 = level.length() > 8 ? pack(level, 8, level.length()) : 0;
            this.longLevel = null;
        } else {
            this.key0 = 0;
            this.key1 = 0;
            this.longLevel = level.toCharArray();
        }
    }

    /** {@code String.hashCode} of the region, spread so that the low bits index well. */
    static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return spread(h);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean isPackable(String text, int start, int end) {
        if (end - start > 16) {
            return false;
        }
        for (int i = start; i < end; i++) {
            if (text.charAt(i) > 0xFF) {
                return false;
            }
        }
        return true;
    }

    /** Up to eight chars below U+0100, the first in the lowest byte. */
    private static long pack(String text, int start, int end) {
        long key = 0;
        for (int i = end - 1; i >= start; i--) {
            key = (key << 8) | text.charAt(i);
        }
        return key;
    }

    private boolean longLevelEquals(String text, int start, int end) {
        char[] chars = longLevel;
        if (chars == null || chars.length != end - start) {
            return false;
        }
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] != text.charAt(start + i)) {
                return false;
            }
        }
        return true;
    }

    /** Whether the level starts with {@code c} (a char below U+0100); false for an empty level. */
    boolean levelStartsWith(char c) {
        if (longLevel != null) {
            return longLevel.length > 0 && longLevel[0] == c;
        }
        return (key0 & 0xFF) == c;
    }

    P payload() {
        return payload;
    }

    /** Replaces the payload snapshot; the caller holds this node's monitor. */
    void payload(P snapshot) {
        assert Thread.holdsLock(this);
        payload = snapshot;
    }

    TopicNode<P> plusChild() {
        return plusChild;
    }

    TopicNode<P> hashChild() {
        return hashChild;
    }

    /** The child for the level {@code text[start, end)}, wildcard levels included. Lock-free. */
    TopicNode<P> child(String text, int start, int end) {
        if (end - start == 1) {
            char c = text.charAt(start);
            if (c == '+') {
                return plusChild;
            }
            if (c == '#') {
                return hashChild;
            }
        }
        return exactChild(text, start, end);
    }

    /**
     * The child for {@code text[start, end)} among the exact children, for callers that know the
     * level is not a wildcard (every level of a topic name). Lock-free and allocation-free.
     */
    TopicNode<P> exactChild(String text, int start, int end) {
        // One pass computes the hash and the packed key; a level that does not pack (long, or
        // with a char from U+0100 up) can only equal a node that does not pack either.
        int h = 0;
        long k0 = 0;
        long k1 = 0;
        boolean packable = end - start <= 16;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            h = 31 * h + c;
            packable &= c <= 0xFF;
            int at = i - start;
            if (at < 8) {
                k0 |= (long) (c & 0xFF) << (at << 3);
            } else {
                k1 |= (long) (c & 0xFF) << ((at - 8) << 3);
            }
        }
        h = spread(h);
        TopicNode<P> one = single; // before slots: see the class comment
        if (one != null && one.matches(h, packable, k0, k1, text, start, end)) {
            return one;
        }
        Object[] table = slots;
        if (table == null) {
            return null;
        }
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object entry = (Object) SLOT.getAcquire(table, i);
            if (entry == null) {
                return null;
            }
            if (entry != TOMBSTONE) {
                @SuppressWarnings("unchecked")
                TopicNode<P> node = (TopicNode<P>) entry;
                if (node.matches(h, packable, k0, k1, text, start, end)) {
                    return node;
                }
            }
        }
    }

    private boolean matches(int h, boolean packable, long k0, long k1, String text, int start, int end) {
        if (hash != h) {
            return false;
        }
        if (packable) {
            return longLevel == null && key0 == k0 && key1 == k1;
        }
        return longLevelEquals(text, start, end);
    }

    /**
     * The exact children at this moment, for iteration with {@link #childSlots} and
     * {@link #childAt}: the single child, the table, or {@code null}. Lock-free.
     */
    Object exactChildren() {
        TopicNode<P> one = single;
        return one != null ? one : slots;
    }

    /** Number of positions to visit in a value of {@link #exactChildren}. */
    static int childSlots(Object children) {
        if (children == null) {
            return 0;
        }
        return children instanceof TopicNode ? 1 : ((Object[]) children).length;
    }

    /** The child at position {@code i} of a value of {@link #exactChildren}, or {@code null}. */
    @SuppressWarnings("unchecked")
    static <P> TopicNode<P> childAt(Object children, int i) {
        if (children instanceof TopicNode) {
            return (TopicNode<P>) children;
        }
        Object entry = (Object) SLOT.getAcquire((Object[]) children, i);
        return entry == null || entry == TOMBSTONE ? null : (TopicNode<P>) entry;
    }

    /** Adds a new, empty child; the caller holds this monitor and knows the level is absent. */
    TopicNode<P> addChild(String childLevel) {
        assert Thread.holdsLock(this);
        TopicNode<P> child = new TopicNode<>(this, childLevel);
        if (childLevel.equals("+")) {
            plusChild = child;
        } else if (childLevel.equals("#")) {
            hashChild = child;
        } else if (single == null && slots == null) {
            single = child;
        } else {
            TopicNode<P> one = single;
            if (one != null) {
                insert(one); // publish a table that holds it...
                single = null; // ...before readers stop finding it here
            }
            insert(child);
        }
        return child;
    }

    /** Removes {@code child}; the caller holds this monitor. */
    void removeChild(TopicNode<P> child) {
        assert Thread.holdsLock(this);
        if (child == plusChild) {
            plusChild = null;
        } else if (child == hashChild) {
            hashChild = null;
        } else if (child == single) {
            single = null;
        } else {
            Object[] table = slots;
            int mask = table.length - 1;
            int i = child.hash & mask;
            while (table[i] != child) {
                i = (i + 1) & mask;
            }
            SLOT.setRelease(table, i, TOMBSTONE);
            liveCount--;
            if (liveCount == 0) {
                slots = null;
                usedCount = 0;
            } else if (usedCount - liveCount > liveCount && table.length > MIN_CAPACITY) {
                rebuild(capacityFor(liveCount)); // mostly tombstones: shrink
            }
        }
    }

    /** Whether any child is attached; the caller holds this monitor. */
    boolean hasChildren() {
        return liveCount > 0 || single != null || plusChild != null || hashChild != null;
    }

    private void insert(TopicNode<P> child) {
        Object[] table = slots;
        if (table == null) {
            table = new Object[MIN_CAPACITY];
            slots = table;
        } else if ((usedCount + 1) * 2 > table.length) {
            table = rebuild(capacityFor(liveCount + 1));
        }
        int mask = table.length - 1;
        int i = child.hash & mask;
        while (table[i] != null && table[i] != TOMBSTONE) {
            i = (i + 1) & mask;
        }
        if (table[i] == null) {
            usedCount++;
        }
        SLOT.setRelease(table, i, (Object) child);
        liveCount++;
    }

    /** Copies the live children into a fresh array, then publishes it. */
    private Object[] rebuild(int capacity) {
        Object[] old = slots;
        Object[] table = new Object[capacity];
        int mask = capacity - 1;
        for (Object entry : old) {
            if (entry != null && entry != TOMBSTONE) {
                int i = ((TopicNode<?>) entry).hash & mask;
                while (table[i] != null) {
                    i = (i + 1) & mask;
                }
                table[i] = entry;
            }
        }
        usedCount = liveCount;
        slots = table; // the volatile write publishes the plain writes above
        return table;
    }

    /** A power of two at least four times {@code children}: room to grow before the next rebuild. */
    private static int capacityFor(int children) {
        int capacity = MIN_CAPACITY;
        while (capacity < children * 4) {
            capacity <<= 1;
        }
        return capacity;
    }
}
