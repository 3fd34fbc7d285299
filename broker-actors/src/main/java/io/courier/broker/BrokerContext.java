package io.courier.broker;

import io.courier.broker.routing.ClusterRoutes;
import io.courier.broker.routing.LocalRoutes;
import io.courier.broker.routing.Route;
import io.courier.broker.session.SessionDirectory;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every actor of one node shares: the node's subscription trie (written by the session
 * entities hosted here, read by every publishing connection without locks), the read replica
 * of the retained messages, the addresses of sessions and the retained store, and the client
 * ids of the sessions hosted here that have a connection attached ({@code onlineSessions},
 * read by {@link io.courier.broker.routing.Fanout} to skip offline members of shared groups; a
 * concurrent set because both sides run on many actors).
 *
 * <p>In a cluster, {@code localRoutes} mirrors this node's subscriptions into the cluster
 * route table and {@code clusterRoutes} holds the other nodes' entries. Session entities
 * change subscriptions and their online state only through {@link #subscribe},
 * {@link #unsubscribe} and {@link #online}, so trie, route table and online set stay in step.
 */
public record BrokerContext(
        BrokerSettings settings,
        SubscriptionTrie<String, Route> subscriptions,
        RetainedIndex<Message> retained,
        SessionDirectory sessions,
        ActorRef<io.courier.broker.routing.RetainedStore.Command> retainedStore,
        Set<String> onlineSessions,
        LocalRoutes localRoutes,
        ClusterRoutes clusterRoutes) {

    /** A single node's context: an empty, concurrent set of online sessions and no other node. */
    public BrokerContext(BrokerSettings settings, SubscriptionTrie<String, Route> subscriptions,
                         RetainedIndex<Message> retained, SessionDirectory sessions,
                         ActorRef<io.courier.broker.routing.RetainedStore.Command> retainedStore) {
        this(settings, subscriptions, retained, sessions, retainedStore, ConcurrentHashMap.newKeySet(),
                new LocalRoutes(), new ClusterRoutes());
    }

    /** {@code clientId}'s session, hosted here, holds {@code filter} with {@code route}. */
    public void subscribe(SubscriptionFilter filter, String clientId, Route route) {
        Route replaced = subscriptions.subscribe(filter, clientId, route);
        localRoutes.subscribed(filter, clientId, route, replaced);
    }

    /** {@code clientId}'s session no longer holds {@code filter} here. */
    public void unsubscribe(SubscriptionFilter filter, String clientId) {
        if (subscriptions.unsubscribe(filter, clientId) != null) {
            localRoutes.unsubscribed(filter, clientId);
        }
    }

    /** {@code clientId}'s session, hosted here, gained or lost its connection. */
    public void online(String clientId, boolean online) {
        if (online) {
            onlineSessions.add(clientId);
        } else {
            onlineSessions.remove(clientId);
        }
        localRoutes.online(clientId, online);
    }
}
