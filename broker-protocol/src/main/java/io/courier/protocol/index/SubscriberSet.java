package io.courier.protocol.index;

import java.util.Arrays;

/**
 * An immutable list of (key, value) pairs with distinct keys, kept as two parallel arrays so a
 * snapshot costs no object per subscriber. Each change returns a copy; writers swap the copy in
 * under the node's monitor while readers keep iterating the old one.
 */
final class SubscriberSet<K, V> implements GroupMembers<K, V> {

    private static final SubscriberSet<?, ?> EMPTY = new SubscriberSet<>(new Object[0], new Object[0]);

    private final Object[] keys;
    private final Object[] values;

    private SubscriberSet(Object[] keys, Object[] values) {
        this.keys = keys;
        this.values = values;
    }

    @SuppressWarnings("unchecked")
    static <K, V> SubscriberSet<K, V> empty() {
        return (SubscriberSet<K, V>) EMPTY;
    }

    @Override
    public int size() {
        return keys.length;
    }

    @Override
    @SuppressWarnings("unchecked")
    public K key(int i) {
        return (K) keys[i];
    }

    @Override
    @SuppressWarnings("unchecked")
    public V value(int i) {
        return (V) values[i];
    }

    boolean isEmpty() {
        return keys.length == 0;
    }

    /** Position of {@code key}, or -1. */
    int indexOf(Object key) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    /** A copy with {@code key} mapped to {@code value}, replacing the key's old value if any. */
    SubscriberSet<K, V> with(K key, V value) {
        int i = indexOf(key);
        if (i >= 0) {
            Object[] newValues = values.clone();
            newValues[i] = value;
            return new SubscriberSet<>(keys, newValues); // keys unchanged: share the array
        }
        Object[] newKeys = Arrays.copyOf(keys, keys.length + 1);
        Object[] newValues = Arrays.copyOf(values, values.length + 1);
        newKeys[keys.length] = key;
        newValues[values.length] = value;
        return new SubscriberSet<>(newKeys, newValues);
    }

    /** A copy without the entry at {@code i}. */
    SubscriberSet<K, V> without(int i) {
        if (keys.length == 1) {
            return empty();
        }
        return new SubscriberSet<>(remove(keys, i), remove(values, i));
    }

    private static Object[] remove(Object[] array, int i) {
        Object[] copy = new Object[array.length - 1];
        System.arraycopy(array, 0, copy, 0, i);
        System.arraycopy(array, i + 1, copy, i, array.length - i - 1);
        return copy;
    }
}
