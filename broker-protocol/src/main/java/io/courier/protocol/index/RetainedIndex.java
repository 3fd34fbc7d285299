package io.courier.protocol.index;

import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * One value per topic name (the retained message), found by topic filter when a client
 * subscribes [MQTT-3.3.1-9]. The mirror image of {@link SubscriptionTrie}: the tree is keyed by
 * names and the wildcards are in the query, so {@code +} visits every child of a node and
 * {@code #} a whole subtree.
 *
 * <p>Same tree, same concurrency rules ({@link TopicTree}, {@link TopicNode}): readers take no
 * lock; a writer replaces one node's payload under that node's monitor; empty nodes are pruned.
 * A lookup sees each node before or after a concurrent write, and a value that stays put for the
 * whole lookup is always found.
 *
 * <p>Storing an empty payload means "delete" in MQTT [MQTT-3.3.1-6]; the caller turns that into
 * {@link #remove}, this index does not look inside values.
 *
 * @param <V> the retained value (message)
 */
public final class RetainedIndex<V> {

    /** The payload of a node: the name is kept so a lookup can report it without rebuilding it. */
    private record Retained<V>(TopicName topic, V value) {
    }

    private final TopicTree<Retained<V>> tree = new TopicTree<>();
    private final AtomicInteger size = new AtomicInteger();

    /**
     * Stores {@code value} for {@code topic}.
     *
     * @return the value replaced, or {@code null}
     */
    public V put(TopicName topic, V value) {
        Objects.requireNonNull(value, "value");
        Retained<V> entry = new Retained<>(topic, value);
        return tree.update(topic.value(), node -> {
            Retained<V> previous = node.payload();
            if (previous == null) {
                size.incrementAndGet();
            }
            node.payload(entry);
            return previous == null ? null : previous.value();
        });
    }

    /**
     * Removes the value stored for {@code topic}.
     *
     * @return the value removed, or {@code null} if there was none
     */
    public V remove(TopicName topic) {
        return tree.updateExisting(topic.value(), node -> {
            Retained<V> previous = node.payload();
            if (previous == null) {
                return null;
            }
            size.decrementAndGet();
            node.payload(null);
            return previous.value();
        }, null);
    }

    /** The value stored for {@code topic}, or {@code null}. Lock-free. */
    public V get(TopicName topic) {
        TopicNode<Retained<V>> node = tree.find(topic.value());
        Retained<V> entry = node == null ? null : node.payload();
        return entry == null ? null : entry.value();
    }

    /** Number of topics with a value. */
    public int size() {
        return size.get();
    }

    /**
     * Calls {@code action} for every stored topic that {@code filter} matches, in no particular
     * order. Follows {@link TopicFilter#matches}: {@code #} matches the parent level too, and a
     * filter starting with a wildcard skips names starting with {@code $} [MQTT-4.7.2-1].
     * Lock-free.
     */
    public void forEachMatching(TopicFilter filter, BiConsumer<? super TopicName, ? super V> action) {
        walk(tree.root, filter.value(), 0, true, action);
    }

    /** Calls {@code action} for every stored topic, {@code $} topics included. */
    public void forEach(BiConsumer<? super TopicName, ? super V> action) {
        reportSubtree(tree.root, false, action);
    }

    /**
     * Matches the filter levels from {@code start} on against the subtree of {@code node};
     * {@code start == filter.length() + 1} means every level is consumed.
     */
    private static <V> void walk(TopicNode<Retained<V>> node, String filter, int start, boolean atRoot,
            BiConsumer<? super TopicName, ? super V> action) {
        int length = filter.length();
        while (start <= length) {
            int end = TopicTree.levelEnd(filter, start);
            if (end - start == 1 && filter.charAt(start) == '#') {
                report(node, action); // zero levels: "sport/#" matches "sport" (4.7.1.2)
                reportSubtree(node, atRoot, action);
                return;
            }
            if (end - start == 1 && filter.charAt(start) == '+') {
                Object[] table = node.childTable();
                if (table != null) {
                    for (int i = 0; i < table.length; i++) {
                        TopicNode<Retained<V>> child = TopicNode.childAt(table, i);
                        if (child != null && !(atRoot && isSystemLevel(child))) {
                            walk(child, filter, end + 1, false, action);
                        }
                    }
                }
                return;
            }
            node = node.exactChild(filter, start, end);
            if (node == null) {
                return;
            }
            start = end + 1;
            atRoot = false;
        }
        report(node, action);
    }

    /** Reports every value strictly below {@code node}; at the root, optionally not the $ ones. */
    private static <V> void reportSubtree(TopicNode<Retained<V>> node, boolean skipSystem,
            BiConsumer<? super TopicName, ? super V> action) {
        Object[] table = node.childTable();
        if (table == null) {
            return;
        }
        for (int i = 0; i < table.length; i++) {
            TopicNode<Retained<V>> child = TopicNode.childAt(table, i);
            if (child != null && !(skipSystem && isSystemLevel(child))) {
                report(child, action);
                reportSubtree(child, false, action);
            }
        }
    }

    private static <V> void report(TopicNode<Retained<V>> node, BiConsumer<? super TopicName, ? super V> action) {
        Retained<V> entry = node.payload();
        if (entry != null) {
            action.accept(entry.topic(), entry.value());
        }
    }

    /** A first level starting with '$' is where $SYS and other server topics live [MQTT-4.7.2-1]. */
    private static boolean isSystemLevel(TopicNode<?> child) {
        return !child.level.isEmpty() && child.level.charAt(0) == '$';
    }

    /** Number of nodes, root included; lets tests check that removal prunes. */
    int nodeCount() {
        return tree.nodeCount();
    }
}
