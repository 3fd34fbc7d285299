package io.courier.broker;

import io.courier.broker.routing.Route;
import io.courier.broker.session.SessionDirectory;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What every actor of one node shares: the node's subscription trie (written by the session
 * entities hosted here, read by every publishing connection without locks), the read replica
 * of the retained messages, and the addresses of sessions and the retained store.
 */
public record BrokerContext(
        BrokerSettings settings,
        SubscriptionTrie<String, Route> subscriptions,
        RetainedIndex<Message> retained,
        SessionDirectory sessions,
        ActorRef<io.courier.broker.routing.RetainedStore.Command> retainedStore) {
}
