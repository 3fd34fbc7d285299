package io.courier.protocol.index;

import java.util.Arrays;

/**
 * An immutable list of (key, value) pairs with distinct keys, kept as one array of alternating
 * keys and values: a match that reads it touches one array, not an object per subscriber or an
 * array per column. Each change returns a copy; writers swap the copy in under the node's
 * monitor while readers keep iterating the old one.
 *
 * <p>The static methods work on the bare array, so {@link Subscribers} can hold its plain
 * subscribers without this wrapper, one pointer hop less on every match.
 */
final class SubscriberSet<K, V> implements GroupMembers<K, V> {

    static final Object[] NO_ENTRIES = new Object[0];
    private static final SubscriberSet<?, ?> EMPTY = new SubscriberSet<>(NO_ENTRIES);

    private final Object[] entries;

    private SubscriberSet(Object[] entries) {
        this.entries = entries;
    }

    @SuppressWarnings("unchecked")
    static <K, V> SubscriberSet<K, V> empty() {
        return (SubscriberSet<K, V>) EMPTY;
    }

    @Override
    public int size() {
        return entries.length >> 1;
    }

    @Override
    @SuppressWarnings("unchecked")
    public K key(int i) {
        return (K) entries[i << 1];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V value(int i) {
        return (V) entries[(i << 1) + 1];
    }

    boolean isEmpty() {
        return entries.length == 0;
    }

    int indexOf(Object key) {
        return indexOf(entries, key);
    }

    SubscriberSet<K, V> with(K key, V value) {
        return new SubscriberSet<>(with(entries, key, value));
    }

    SubscriberSet<K, V> without(int i) {
        return entries.length == 2 ? empty() : new SubscriberSet<>(without(entries, i));
    }

    /** Position (pair index) of {@code key} in an alternating key/value array, or -1. */
    static int indexOf(Object[] entries, Object key) {
        for (int i = 0; i < entries.length; i += 2) {
            if (entries[i].equals(key)) {
                return i >> 1;
            }
        }
        return -1;
    }

    /** A copy of {@code entries} with {@code key} mapped to {@code value}, replaced or appended. */
    static Object[] with(Object[] entries, Object key, Object value) {
        int i = indexOf(entries, key);
        Object[] copy;
        if (i >= 0) {
            copy = entries.clone();
            copy[(i << 1) + 1] = value;
        } else {
            copy = Arrays.copyOf(entries, entries.length + 2);
            copy[entries.length] = key;
            copy[entries.length + 1] = value;
        }
        return copy;
    }

    /** A copy of {@code entries} without pair {@code i}. */
    static Object[] without(Object[] entries, int i) {
        if (entries.length == 2) {
            return NO_ENTRIES;
        }
        Object[] copy = new Object[entries.length - 2];
        System.arraycopy(entries, 0, copy, 0, i << 1);
        System.arraycopy(entries, (i << 1) + 2, copy, i << 1, entries.length - (i << 1) - 2);
        return copy;
    }
}
