package io.courier.protocol.index;

import io.courier.protocol.topic.SubscriptionFilter;

/**
 * One entry of a {@link SubscriptionTrie}, as listed by {@link SubscriptionTrie#forEach}: for
 * the admin API and for tests, not for routing.
 *
 * @param filter a plain or a shared filter
 * @param key the subscriber
 * @param value the per-subscription value
 */
public record Subscription<K, V>(SubscriptionFilter filter, K key, V value) {
}
