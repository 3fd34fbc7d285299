package io.courier.protocol.index;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * One level of a {@link TopicTree}: an immutable payload snapshot and the children, which
 * readers look up without a lock by a region of a string, so a lookup needs no substring.
 *
 * <p>The child table is open addressing with linear probing over an array whose slots hold a
 * child node, {@code null} (never used: a probe stops here) or {@link #TOMBSTONE} (a removed
 * child: a probe goes on). Writers change it only while holding this node's monitor. A slot is
 * written with release and read with acquire semantics, so a reader that sees a child sees it
 * fully built. A reader may hold an old array: writers never move a live entry inside an array
 * (removal leaves a tombstone, it does not shift), and an array is never written again after a
 * rebuild has replaced it, so a child present both before and after a write is found in either
 * array. The load factor stays at most 3/4, counting tombstones, so every probe meets a
 * {@code null} and ends.
 *
 * <p>The wildcard children {@code +} and {@code #} sit in their own fields, outside the table:
 * the subscription match asks for them at every level, and a field read is cheaper than a
 * probe.
 *
 * @param <P> the payload; {@code null} means the node holds nothing
 */
final class TopicNode<P> {

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Object[].class);
    private static final Object TOMBSTONE = new Object();
    private static final int MIN_CAPACITY = 4;

    final TopicNode<P> parent;
    final String level;
    final int hash;

    private volatile P payload;
    private volatile TopicNode<P> plusChild;
    private volatile TopicNode<P> hashChild;
    /** The table of the other children; {@code null} while there are none. */
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
        this.level = level;
        this.hash = hash(level, 0, level.length());
    }

    /** {@code String.hashCode} of the region, spread so that the low bits index well. */
    static int hash(String text, int start, int end) {
        int h = 0;
        for (int i = start; i < end; i++) {
            h = 31 * h + text.charAt(i);
        }
        return h ^ (h >>> 16);
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
     * The child for {@code text[start, end)} from the table only, for callers that know the
     * level is not a wildcard (every level of a topic name). Lock-free and allocation-free.
     */
    TopicNode<P> exactChild(String text, int start, int end) {
        Object[] table = slots;
        if (table == null) {
            return null;
        }
        int h = hash(text, start, end);
        int length = end - start;
        int mask = table.length - 1;
        for (int i = h & mask; ; i = (i + 1) & mask) {
            Object entry = (Object) SLOT.getAcquire(table, i);
            if (entry == null) {
                return null;
            }
            if (entry != TOMBSTONE) {
                @SuppressWarnings("unchecked")
                TopicNode<P> node = (TopicNode<P>) entry;
                if (node.hash == h && node.level.length() == length
                        && node.level.regionMatches(0, text, start, length)) {
                    return node;
                }
            }
        }
    }

    /** The current table for iteration with {@link #childAt}; may be {@code null}. Lock-free. */
    Object[] childTable() {
        return slots;
    }

    /** The child in slot {@code i} of a table from {@link #childTable}, or {@code null}. */
    @SuppressWarnings("unchecked")
    static <P> TopicNode<P> childAt(Object[] table, int i) {
        Object entry = (Object) SLOT.getAcquire(table, i);
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
        } else {
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
        return liveCount > 0 || plusChild != null || hashChild != null;
    }

    private void insert(TopicNode<P> child) {
        Object[] table = slots;
        if (table == null) {
            table = new Object[MIN_CAPACITY];
            slots = table;
        } else if ((usedCount + 1) * 4 > table.length * 3) {
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

    /** A power of two at least twice {@code children}: room to grow before the next rebuild. */
    private static int capacityFor(int children) {
        int capacity = MIN_CAPACITY;
        while (capacity < children * 2) {
            capacity <<= 1;
        }
        return capacity;
    }
}
