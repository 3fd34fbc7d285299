package io.courier.protocol.packet;

import java.util.Objects;

/**
 * One Topic Filter and its options in a SUBSCRIBE payload (3.8.3). The filter is kept as the
 * client sent it (valid UTF-8); whether it is a valid topic filter is the engine's decision,
 * because 5.0 answers an invalid one with SUBACK 0x8F for that entry alone.
 */
public record Subscription(String topicFilter, SubscriptionOptions options) {
    public Subscription {
        Objects.requireNonNull(topicFilter, "topicFilter");
        Objects.requireNonNull(options, "options");
    }
}
