package io.courier.protocol.engine;

import java.util.Arrays;

/**
 * The Topic Aliases a 5.0 client defined on this connection (3.3.2.3.4). They live and die with
 * the network connection [MQTT-3.3.2-7]. Immutable; a definition copies the table, which is
 * fine because clients define aliases rarely and use them often.
 */
public final class InboundTopicAliases {

    public static final InboundTopicAliases NONE = new InboundTopicAliases(new String[0]);

    private final String[] topics; // index = alias - 1

    private InboundTopicAliases(String[] topics) {
        this.topics = topics;
    }

    /** The topic for an alias, or null if the client has not defined it. */
    public String resolve(int alias) {
        return alias >= 1 && alias <= topics.length ? topics[alias - 1] : null;
    }

    /** A table with {@code alias} (1-based) mapped to {@code topic}. */
    public InboundTopicAliases define(int alias, String topic) {
        String[] next = Arrays.copyOf(topics, Math.max(topics.length, alias));
        next[alias - 1] = topic;
        return new InboundTopicAliases(next);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InboundTopicAliases other && Arrays.equals(topics, other.topics);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(topics);
    }
}
