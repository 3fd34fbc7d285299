package io.courier.broker.routing;

import io.courier.protocol.packet.SubscriptionOptions;

/**
 * What the node's subscription trie stores per (filter, client id): the options the session
 * granted and its 5.0 Subscription Identifier (0 = none).
 */
public record Route(SubscriptionOptions options, int subscriptionIdentifier) {
}
