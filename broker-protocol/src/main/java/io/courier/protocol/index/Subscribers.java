package io.courier.protocol.index;

import io.courier.protocol.topic.TopicFilter;
import java.util.Arrays;

/**
 * The immutable payload of one {@link SubscriptionTrie} node: everyone subscribed with the
 * node's filter, plainly or through a shared group. Writers replace it whole under the node's
 * monitor; a match reads the volatile reference once and walks a snapshot that cannot change.
 *
 * <p>With 100,000 filters the trie does not fit in cache, and every object between the node
 * and the keys costs a miss per matching filter. So the first plain subscriber (most filters
 * have exactly one) is held in this object's own fields, and only the others in an array of
 * alternating keys and values (see {@link SubscriberSet}).
 *
 * <p>The filter is kept here, not rebuilt from the path, because a match must hand it to
 * {@link MatchSink#sharedGroup} without allocating.
 */
final class Subscribers<K, V> {

    private static final SharedGroup<?, ?>[] NO_GROUPS = new SharedGroup<?, ?>[0];

    /** One shared subscription group on this filter. */
    record SharedGroup<K, V>(String shareName, SubscriberSet<K, V> members) {
    }

    final TopicFilter filter;
    /** The first plain subscriber, or {@code null} if there is none. */
    private final K firstKey;
    private final V firstValue;
    /** The other plain subscribers: key, value, key, value... */
    private final Object[] more;
    final SharedGroup<K, V>[] groups;

    private Subscribers(TopicFilter filter, Object[] plain, SharedGroup<K, V>[] groups) {
        this.filter = filter;
        this.groups = groups;
        if (plain.length == 0) {
            firstKey = null;
            firstValue = null;
            more = SubscriberSet.NO_ENTRIES;
        } else {
            @SuppressWarnings("unchecked")
            K key = (K) plain[0];
            @SuppressWarnings("unchecked")
            V value = (V) plain[1];
            firstKey = key;
            firstValue = value;
            more = plain.length == 2 ? SubscriberSet.NO_ENTRIES : Arrays.copyOfRange(plain, 2, plain.length);
        }
    }

    @SuppressWarnings("unchecked")
    static <K, V> Subscribers<K, V> empty(TopicFilter filter) {
        return new Subscribers<>(filter, SubscriberSet.NO_ENTRIES, (SharedGroup<K, V>[]) NO_GROUPS);
    }

    /**
     * Hands every plain subscriber and every group to {@code sink}. The hot path of a match:
     * reads this object and, only for filters with several subscribers, one array.
     */
    @SuppressWarnings("unchecked")
    void report(MatchSink<K, V> sink) {
        if (firstKey != null) {
            sink.subscriber(firstKey, firstValue);
            Object[] others = more;
            for (int i = 0; i < others.length; i += 2) {
                sink.subscriber((K) others[i], (V) others[i + 1]);
            }
        }
        for (SharedGroup<K, V> group : groups) {
            sink.sharedGroup(group.shareName(), filter, group.members());
        }
    }

    /** The plain subscribers as one alternating key/value array (a copy; for writers and listing). */
    Object[] plainEntries() {
        if (firstKey == null) {
            return SubscriberSet.NO_ENTRIES;
        }
        Object[] entries = new Object[more.length + 2];
        entries[0] = firstKey;
        entries[1] = firstValue;
        System.arraycopy(more, 0, entries, 2, more.length);
        return entries;
    }

    /** Pair index of {@code key} among the plain subscribers, or -1. */
    int plainIndexOf(K key) {
        if (firstKey == null) {
            return -1;
        }
        if (firstKey.equals(key)) {
            return 0;
        }
        int i = SubscriberSet.indexOf(more, key);
        return i < 0 ? -1 : i + 1;
    }

    @SuppressWarnings("unchecked")
    V plainValue(int i) {
        return i == 0 ? firstValue : (V) more[((i - 1) << 1) + 1];
    }

    /** The snapshot with {@code key} subscribed plainly with {@code value}. */
    Subscribers<K, V> withPlain(K key, V value) {
        return new Subscribers<>(filter, SubscriberSet.with(plainEntries(), key, value), groups);
    }

    /** The snapshot without plain subscriber {@code i}, or {@code null} if nothing is left. */
    Subscribers<K, V> withoutPlain(int i) {
        return orNull(new Subscribers<>(filter, SubscriberSet.without(plainEntries(), i), groups));
    }

    /** The members of group {@code shareName}, empty if there is no such group. */
    SubscriberSet<K, V> group(String shareName) {
        int i = groupIndex(shareName);
        return i < 0 ? SubscriberSet.empty() : groups[i].members();
    }

    /**
     * The snapshot with group {@code shareName} holding {@code members}: the group is added,
     * replaced, or dropped when {@code members} is empty. {@code null} if nothing is left.
     */
    Subscribers<K, V> withGroup(String shareName, SubscriberSet<K, V> members) {
        int i = groupIndex(shareName);
        SharedGroup<K, V>[] newGroups;
        if (members.isEmpty()) {
            if (i < 0) {
                return orNull(this);
            }
            newGroups = Arrays.copyOf(groups, groups.length - 1);
            System.arraycopy(groups, i + 1, newGroups, i, groups.length - i - 1);
        } else if (i >= 0) {
            newGroups = groups.clone();
            newGroups[i] = new SharedGroup<>(shareName, members);
        } else {
            newGroups = Arrays.copyOf(groups, groups.length + 1);
            newGroups[groups.length] = new SharedGroup<>(shareName, members);
        }
        return orNull(new Subscribers<>(filter, plainEntries(), newGroups));
    }

    private int groupIndex(String shareName) {
        for (int i = 0; i < groups.length; i++) {
            if (groups[i].shareName().equals(shareName)) {
                return i;
            }
        }
        return -1;
    }

    /** An empty payload becomes {@code null}, which is what lets the tree prune the node. */
    private static <K, V> Subscribers<K, V> orNull(Subscribers<K, V> snapshot) {
        return snapshot.firstKey == null && snapshot.groups.length == 0 ? null : snapshot;
    }
}
