package io.courier.protocol.index;

/**
 * The members of one shared subscription group at the moment of a match: an immutable
 * snapshot, indexed so that the caller can pick one member (round robin, random, least
 * loaded) without anything being copied or allocated.
 *
 * @param <K> the subscriber key
 * @param <V> the per-subscription value
 */
public interface GroupMembers<K, V> {

    /** Number of members; at least one whenever a match reports the group. */
    int size();

    /** The key of member {@code i}, {@code 0 <= i < size()}. */
    K key(int i);

    /** The subscription value of member {@code i}, {@code 0 <= i < size()}. */
    V value(int i);
}
