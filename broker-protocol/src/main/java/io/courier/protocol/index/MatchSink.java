package io.courier.protocol.index;

import io.courier.protocol.topic.TopicFilter;

/**
 * Receives the result of {@link SubscriptionTrie#match}. A callback instead of a returned list,
 * so the match allocates nothing and a router can reuse one sink per thread.
 *
 * <p>Calls happen on the matching thread, during the match, with no lock held. A sink must
 * not write to the trie it is receiving from: that would be correct but reentrant and slow.
 *
 * @param <K> the subscriber key
 * @param <V> the per-subscription value
 */
public interface MatchSink<K, V> {

    /**
     * One plain subscription whose filter matches. A key subscribed with several matching
     * filters is reported once per filter; merging them (highest QoS, all subscription
     * identifiers, MQTT 5.0 section 4.7.2 and 3.3.4) is the caller's business.
     */
    void subscriber(K key, V value);

    /**
     * One shared subscription group whose filter matches, reported once per match; the caller
     * delivers to one of its members (4.8.2).
     *
     * @param shareName the group's ShareName
     * @param filter the filter the group subscribed with (groups of one name with different
     *     filters are different groups)
     * @param members an immutable snapshot of the members, never empty
     */
    void sharedGroup(String shareName, TopicFilter filter, GroupMembers<K, V> members);
}
