package io.courier.protocol.index;

import io.courier.protocol.topic.TopicFilter;
import java.util.Arrays;

/**
 * The immutable payload of one {@link SubscriptionTrie} node: everyone subscribed with the
 * node's filter, plainly or through a shared group. Writers replace it whole under the node's
 * monitor; a match reads the volatile reference once and walks a snapshot that cannot change.
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
    final SubscriberSet<K, V> plain;
    final SharedGroup<K, V>[] groups;

    private Subscribers(TopicFilter filter, SubscriberSet<K, V> plain, SharedGroup<K, V>[] groups) {
        this.filter = filter;
        this.plain = plain;
        this.groups = groups;
    }

    @SuppressWarnings("unchecked")
    static <K, V> Subscribers<K, V> empty(TopicFilter filter) {
        return new Subscribers<>(filter, SubscriberSet.empty(), (SharedGroup<K, V>[]) NO_GROUPS);
    }

    /** The snapshot with the plain subscribers replaced, or {@code null} if nothing is left. */
    Subscribers<K, V> withPlain(SubscriberSet<K, V> newPlain) {
        return orNull(new Subscribers<>(filter, newPlain, groups));
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
        return orNull(new Subscribers<>(filter, plain, newGroups));
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
        return snapshot.plain.isEmpty() && snapshot.groups.length == 0 ? null : snapshot;
    }
}
