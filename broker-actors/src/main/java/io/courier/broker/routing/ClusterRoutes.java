package io.courier.broker.routing;

import io.courier.protocol.index.MatchSink;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What this node knows of the other nodes' route table entries: a subscription trie whose keys
 * are nodes (a plain filter) or {@code node \0 client id} (a shared group member), and each
 * node's router. Written only by the {@link RouteTable} actor, read without locks by every
 * publisher through {@link Fanout} (the trie's concurrency rules).
 *
 * <p>{@link #isEmpty()} is one volatile read: a single node, or a cluster where no other node
 * has a subscriber, pays nothing more per message than that.
 */
public final class ClusterRoutes {

    /** One remote entry in the trie: which node holds it, and the entry. */
    public record Remote(String node, RouteEntry entry) {
    }

    private final SubscriptionTrie<String, Remote> trie = new SubscriptionTrie<>();
    private final Map<String, ActorRef<NodeRouter.Command>> routers = new ConcurrentHashMap<>();
    private final AtomicInteger entries = new AtomicInteger();

    /** True when no other node has any entry. */
    public boolean isEmpty() {
        return entries.get() == 0;
    }

    /** Reports every remote entry whose filter matches {@code topic}. */
    public void match(TopicName topic, MatchSink<String, Remote> sink) {
        trie.match(topic, sink);
    }

    /** The router of {@code node}, or null when the node is gone. */
    public ActorRef<NodeRouter.Command> router(String node) {
        return routers.get(node);
    }

    /** Whether {@code node} has {@code entry} here; for tests that wait for replication. */
    public boolean knows(String node, String encodedEntry) {
        RouteEntry e = RouteEntry.decode(encodedEntry);
        boolean[] found = {false};
        trie.forEach(s -> found[0] |= s.value().node().equals(node) && s.value().entry().equals(e));
        return found[0];
    }

    // ---- written by the RouteTable actor only ------------------------------------------------

    void addNode(String node, ActorRef<NodeRouter.Command> router) {
        routers.put(node, router);
    }

    void removeNode(String node) {
        routers.remove(node);
    }

    void add(String node, RouteEntry e) {
        Remote previous = e.isMember()
                ? trie.subscribeShared(SharedFilter.parse(e.filter()), node + '\u0000' + e.clientId(), new Remote(node, e))
                : trie.subscribe(new TopicFilter(e.filter()), node, new Remote(node, e));
        if (previous == null) {
            entries.incrementAndGet();
        }
    }

    void remove(String node, RouteEntry e) {
        Remote removed = e.isMember()
                ? trie.unsubscribeShared(SharedFilter.parse(e.filter()), node + '\u0000' + e.clientId())
                : trie.unsubscribe(new TopicFilter(e.filter()), node);
        if (removed != null) {
            entries.decrementAndGet();
        }
    }
}
