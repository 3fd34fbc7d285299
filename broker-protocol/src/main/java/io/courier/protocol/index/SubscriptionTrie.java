package io.courier.protocol.index;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Maps topic filters to subscribers and answers, for a published topic name, who receives it.
 *
 * <h2>Shape</h2>
 * One node per filter level; the node at the end of a filter's path holds an immutable
 * {@link Subscribers} snapshot: the plain subscribers (key to value) and the shared groups on
 * that filter. A match walks the topic's levels from the root and, at every node, follows up
 * to three children: the exact level, {@code +} (one level, whatever it is) and {@code #}
 * (everything left, reported at once). A filter matches a topic in at most one way, so each
 * matching filter is reached exactly once and reported once per subscriber.
 *
 * <h2>Concurrency</h2>
 * Routing reads far outnumber subscription changes, so reads take no lock and never wait,
 * and writers pay instead. Three rules make that safe:
 * <ol>
 * <li><b>Copy-on-write payloads.</b> A node's subscribers are an immutable snapshot behind a
 * volatile field. A writer builds the next snapshot from the current one while holding that
 * node's monitor, then swaps it in. A reader reads the field once and walks a snapshot no one
 * will change; it sees the state before or after a concurrent write, never half of it.
 * Writers on different filters hold different monitors, so they do not contend either.</li>
 * <li><b>Lock-free child tables.</b> Children are found by a region of the topic string in an
 * open-addressing table ({@link TopicNode}) read with acquire loads: no lock, no substring per
 * level. Writers add and remove children under the parent's monitor, leave tombstones rather
 * than moving entries, and publish a resized table through a volatile write, so a reader on
 * an old table still finds every child that was never removed.</li>
 * <li><b>Pruning with retry.</b> When an unsubscribe leaves a node with no subscribers and no
 * children, the node is cut out under the monitors of parent and node (parent first, always
 * top-down, so writers cannot deadlock) and marked removed. A writer that walked to that node
 * before it was cut out sees the mark once it holds the node's monitor and starts again from
 * the root, where it creates a fresh path. Memory follows the live subscriptions, not the
 * history of churn.</li>
 * </ol>
 * What a reader can observe: each match is a consistent view of every node it visits, but not
 * an atomic snapshot of the whole trie. A subscription made or removed while a match is running
 * may or may not be reported; one that exists, unchanged, throughout the match always is.
 *
 * <h2>The $ rule</h2>
 * A filter whose first level is a wildcard does not match a name starting with {@code $}
 * [MQTT-4.7.2-1], so for such names the match does not follow {@code +} and {@code #} at the
 * root.
 *
 * <h2>Cost</h2>
 * A match allocates nothing: levels are regions of the topic string, hashed in place, and
 * results go to a {@link MatchSink}. Recursion goes one frame deeper per {@code +} level
 * followed; the exact path is a loop. A subscribe or unsubscribe copies its node's
 * subscribers, so it costs O(n) in the subscribers of that one filter.
 *
 * @param <K> the subscriber key, compared with {@code equals} (a client id)
 * @param <V> the per-subscription value (the subscription options)
 */
public final class SubscriptionTrie<K, V> {

    private final TopicTree<Subscribers<K, V>> tree = new TopicTree<>();
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Subscribes {@code key} with {@code filter}. A second subscription of the same key with the
     * same filter replaces the first [MQTT-3.8.4-3].
     *
     * @return the value replaced, or {@code null} if the subscription is new
     */
    public V subscribe(TopicFilter filter, K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        return tree.update(filter.value(), node -> {
            Subscribers<K, V> current = payloadOrEmpty(node, filter);
            int i = current.plain.indexOf(key);
            if (i < 0) {
                size.incrementAndGet();
            }
            node.payload(current.withPlain(current.plain.with(key, value)));
            return i < 0 ? null : current.plain.value(i);
        });
    }

    /**
     * Makes {@code key} a member of the shared group {@code filter.shareName()} on
     * {@code filter.filter()}; membership is replaced like a plain subscription.
     *
     * @return the value replaced, or {@code null} if the key was not a member
     */
    public V subscribeShared(SharedFilter filter, K key, V value) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
        TopicFilter topicFilter = filter.filter();
        String shareName = filter.shareName();
        return tree.update(topicFilter.value(), node -> {
            Subscribers<K, V> current = payloadOrEmpty(node, topicFilter);
            SubscriberSet<K, V> members = current.group(shareName);
            int i = members.indexOf(key);
            if (i < 0) {
                size.incrementAndGet();
            }
            node.payload(current.withGroup(shareName, members.with(key, value)));
            return i < 0 ? null : members.value(i);
        });
    }

    /** Subscribes through either kind of filter; see {@link #subscribe} and {@link #subscribeShared}. */
    public V subscribe(SubscriptionFilter filter, K key, V value) {
        if (filter instanceof SharedFilter shared) {
            return subscribeShared(shared, key, value);
        }
        return subscribe((TopicFilter) filter, key, value);
    }

    /**
     * Removes the plain subscription of {@code key} with {@code filter}.
     *
     * @return the value removed, or {@code null} if there was no such subscription
     */
    public V unsubscribe(TopicFilter filter, K key) {
        Objects.requireNonNull(key, "key");
        return tree.updateExisting(filter.value(), node -> {
            Subscribers<K, V> current = node.payload();
            int i = current == null ? -1 : current.plain.indexOf(key);
            if (i < 0) {
                return null;
            }
            size.decrementAndGet();
            node.payload(current.withPlain(current.plain.without(i)));
            return current.plain.value(i);
        }, null);
    }

    /**
     * Removes {@code key} from the shared group; the group disappears with its last member.
     *
     * @return the value removed, or {@code null} if the key was not a member
     */
    public V unsubscribeShared(SharedFilter filter, K key) {
        Objects.requireNonNull(key, "key");
        String shareName = filter.shareName();
        return tree.updateExisting(filter.filter().value(), node -> {
            Subscribers<K, V> current = node.payload();
            SubscriberSet<K, V> members = current == null ? SubscriberSet.empty() : current.group(shareName);
            int i = members.indexOf(key);
            if (i < 0) {
                return null;
            }
            size.decrementAndGet();
            node.payload(current.withGroup(shareName, members.without(i)));
            return members.value(i);
        }, null);
    }

    /** Unsubscribes through either kind of filter. */
    public V unsubscribe(SubscriptionFilter filter, K key) {
        if (filter instanceof SharedFilter shared) {
            return unsubscribeShared(shared, key);
        }
        return unsubscribe((TopicFilter) filter, key);
    }

    /**
     * Reports to {@code sink} every plain subscription and every shared group whose filter
     * matches {@code topic}. Lock-free; allocates nothing.
     */
    public void match(TopicName topic, MatchSink<K, V> sink) {
        String name = topic.value();
        walk(tree.root, name, 0, !topic.isSystem(), sink);
    }

    /**
     * Matches the levels of {@code topic} from {@code start} on against the subtree of
     * {@code node}. {@code start == topic.length() + 1} means every level is consumed.
     *
     * @param wildcards whether {@code +} and {@code #} children may be followed here; false only
     *     at the root for a name starting with {@code $} [MQTT-4.7.2-1]
     */
    private static <K, V> void walk(TopicNode<Subscribers<K, V>> node, String topic, int start,
            boolean wildcards, MatchSink<K, V> sink) {
        int length = topic.length();
        while (start <= length) {
            int end = TopicTree.levelEnd(topic, start);
            if (wildcards) {
                TopicNode<Subscribers<K, V>> hash = node.hashChild();
                if (hash != null) {
                    report(hash.payload(), sink); // '#' takes this level and all after it
                }
                TopicNode<Subscribers<K, V>> plus = node.plusChild();
                if (plus != null) {
                    walk(plus, topic, end + 1, true, sink);
                }
            }
            node = node.exactChild(topic, start, end);
            if (node == null) {
                return;
            }
            start = end + 1;
            wildcards = true;
        }
        report(node.payload(), sink);
        // "sport/#" also matches "sport": '#' stands for zero levels too (4.7.1.2).
        TopicNode<Subscribers<K, V>> hash = node.hashChild();
        if (hash != null) {
            report(hash.payload(), sink);
        }
    }

    private static <K, V> void report(Subscribers<K, V> subscribers, MatchSink<K, V> sink) {
        if (subscribers == null) {
            return;
        }
        SubscriberSet<K, V> plain = subscribers.plain;
        for (int i = 0, n = plain.size(); i < n; i++) {
            sink.subscriber(plain.key(i), plain.value(i));
        }
        for (Subscribers.SharedGroup<K, V> group : subscribers.groups) {
            sink.sharedGroup(group.shareName(), subscribers.filter, group.members());
        }
    }

    /** Number of subscriptions: plain ones plus shared group memberships. */
    public int size() {
        return size.get();
    }

    /**
     * Lists every subscription, in no particular order. Weakly consistent like a match: not an
     * atomic snapshot while writers are active. Allocates; meant for admin and tests.
     */
    public void forEach(Consumer<? super Subscription<K, V>> action) {
        visit(tree.root, action);
    }

    private static <K, V> void visit(TopicNode<Subscribers<K, V>> node, Consumer<? super Subscription<K, V>> action) {
        Subscribers<K, V> subscribers = node.payload();
        if (subscribers != null) {
            for (int i = 0; i < subscribers.plain.size(); i++) {
                action.accept(new Subscription<>(subscribers.filter, subscribers.plain.key(i),
                        subscribers.plain.value(i)));
            }
            for (Subscribers.SharedGroup<K, V> group : subscribers.groups) {
                SharedFilter shared = new SharedFilter(group.shareName(), subscribers.filter);
                for (int i = 0; i < group.members().size(); i++) {
                    action.accept(new Subscription<>(shared, group.members().key(i), group.members().value(i)));
                }
            }
        }
        if (node.plusChild() != null) {
            visit(node.plusChild(), action);
        }
        if (node.hashChild() != null) {
            visit(node.hashChild(), action);
        }
        Object[] table = node.childTable();
        if (table != null) {
            for (int i = 0; i < table.length; i++) {
                TopicNode<Subscribers<K, V>> child = TopicNode.childAt(table, i);
                if (child != null) {
                    visit(child, action);
                }
            }
        }
    }

    /** Number of nodes, root included; lets tests check that unsubscribing prunes. */
    int nodeCount() {
        return tree.nodeCount();
    }

    private static <K, V> Subscribers<K, V> payloadOrEmpty(TopicNode<Subscribers<K, V>> node, TopicFilter filter) {
        Subscribers<K, V> current = node.payload();
        return current != null ? current : Subscribers.empty(filter);
    }
}
