package io.courier.protocol.index;

import java.util.function.Function;

/**
 * A tree of {@link TopicNode}s, one per level of a slash-separated path, with the write
 * protocol both indexes share: {@link SubscriptionTrie} keys it by topic filter,
 * {@link RetainedIndex} by topic name. Reads are the caller's (a plain lock-free walk); this
 * class owns the writes, which lock one node at a time on the way down and parent then child
 * while pruning, so writers cannot deadlock.
 *
 * <p>A writer finds or creates the path, then edits the last node's payload under its monitor.
 * Pruning cuts a node out once it has no payload and no children, marking it
 * {@link TopicNode#removed} under the monitors of parent and node. A writer that took a node
 * from the lock-free walk and then finds it removed, under that node's monitor, starts again
 * from the root, so nothing is ever written into a detached node and lost.
 *
 * @param <P> the immutable payload kept per node
 */
final class TopicTree<P> {

    final TopicNode<P> root = new TopicNode<>(null, "");

    /** The node for {@code path}, or {@code null}. Lock-free. */
    TopicNode<P> find(String path) {
        TopicNode<P> node = root;
        int length = path.length();
        int start = 0;
        while (node != null && start <= length) {
            int end = levelEnd(path, start);
            node = node.child(path, start, end);
            start = end + 1;
        }
        return node;
    }

    /**
     * Creates the nodes of {@code path} as needed and runs {@code edit} on the last one under its
     * monitor. The edit reads {@link TopicNode#payload()} and may replace it. If it leaves the
     * node empty, the node is pruned.
     */
    <R> R update(String path, Function<TopicNode<P>, R> edit) {
        while (true) {
            TopicNode<P> node = createPath(path);
            if (node == null) {
                continue; // met a removed node on the way down
            }
            R result;
            synchronized (node) {
                if (node.removed) {
                    continue;
                }
                result = edit.apply(node);
            }
            pruneFrom(node);
            return result;
        }
    }

    /**
     * Runs {@code edit} on the node for {@code path} under its monitor if that node exists, then
     * prunes it if it is left empty; returns {@code absent} if there is no such node.
     */
    <R> R updateExisting(String path, Function<TopicNode<P>, R> edit, R absent) {
        while (true) {
            TopicNode<P> node = find(path);
            if (node == null) {
                return absent;
            }
            R result;
            synchronized (node) {
                if (node.removed) {
                    continue; // a subscribe may have rebuilt the path since: look again
                }
                result = edit.apply(node);
            }
            pruneFrom(node);
            return result;
        }
    }

    /** The last node of {@code path}, created as needed, or {@code null} to start over. */
    private TopicNode<P> createPath(String path) {
        TopicNode<P> node = root;
        int length = path.length();
        int start = 0;
        while (start <= length) {
            int end = levelEnd(path, start);
            TopicNode<P> child = node.child(path, start, end);
            if (child == null) {
                synchronized (node) {
                    if (node.removed) {
                        return null;
                    }
                    child = node.child(path, start, end);
                    if (child == null) {
                        child = node.addChild(path.substring(start, end));
                    }
                }
            }
            node = child;
            start = end + 1;
        }
        return node;
    }

    /** Cuts empty nodes out, from {@code node} up towards the root. */
    private void pruneFrom(TopicNode<P> node) {
        while (node.parent != null) {
            TopicNode<P> parent = node.parent;
            synchronized (parent) {
                synchronized (node) {
                    if (node.removed || node.payload() != null || node.hasChildren()) {
                        return;
                    }
                    node.removed = true;
                    parent.removeChild(node);
                }
            }
            node = parent;
        }
    }

    /** Nodes reachable from the root, the root included; for tests that check pruning. */
    int nodeCount() {
        return count(root);
    }

    private static int count(TopicNode<?> node) {
        int total = 1;
        if (node.plusChild() != null) {
            total += count(node.plusChild());
        }
        if (node.hashChild() != null) {
            total += count(node.hashChild());
        }
        Object[] table = node.childTable();
        if (table != null) {
            for (int i = 0; i < table.length; i++) {
                TopicNode<?> child = TopicNode.childAt(table, i);
                if (child != null) {
                    total += count(child);
                }
            }
        }
        return total;
    }

    /** End of the level starting at {@code start}: the next '/' or the end of the text. */
    static int levelEnd(String text, int start) {
        int slash = text.indexOf('/', start);
        return slash < 0 ? text.length() : slash;
    }
}
