package io.courier.broker;

import io.courier.broker.routing.Route;
import io.courier.broker.session.SessionDirectory;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every actor of one node shares: the node's subscription trie (written by the session
 * entities hosted here, read by every publishing connection without locks), the read replica
 * of the retained messages, the addresses of sessions and the retained store, and the client
 * ids of the sessions hosted here that have a connection attached ({@code onlineSessions},
 * written by the session entities, read by {@link io.courier.broker.routing.Fanout} to skip
 * offline members of shared groups; a concurrent set because both sides run on many actors).
 */
public record BrokerContext(
        BrokerSettings settings,
        SubscriptionTrie<String, Route> subscriptions,
        RetainedIndex<Message> retained,
        SessionDirectory sessions,
        ActorRef<io.courier.broker.routing.RetainedStore.Command> retainedStore,
        Set<String> onlineSessions) {

    /** A context with an empty, concurrent set of online sessions. */
    public BrokerContext(BrokerSettings settings, SubscriptionTrie<String, Route> subscriptions,
                         RetainedIndex<Message> retained, SessionDirectory sessions,
                         ActorRef<io.courier.broker.routing.RetainedStore.Command> retainedStore) {
        this(settings, subscriptions, retained, sessions, retainedStore, ConcurrentHashMap.newKeySet());
    }
}
