package io.courier.protocol.topic;

/**
 * What a SUBSCRIBE or UNSUBSCRIBE names: either a plain {@link TopicFilter} or, in MQTT 5, a
 * {@link SharedFilter}. Sealed so every caller decides what a shared subscription means to it.
 */
public sealed interface SubscriptionFilter permits TopicFilter, SharedFilter {

    /** The text as it appears on the wire. */
    String value();

    /** The filter published topic names are matched against. */
    TopicFilter filter();

    /**
     * Parses an MQTT 5 subscription: text whose first level is {@code $share} is a shared
     * subscription (4.8.2), anything else a plain filter. MQTT 3.1.1 has no shared
     * subscriptions, so a v3 connection constructs {@link TopicFilter} directly.
     *
     * @throws InvalidTopicException if the text is not a valid filter of either kind
     */
    static SubscriptionFilter parse(String text) {
        if (text != null && (text.startsWith(SharedFilter.PREFIX) || text.equals("$share"))) {
            return SharedFilter.parse(text);
        }
        return new TopicFilter(text);
    }
}
