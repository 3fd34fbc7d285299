package io.courier.protocol.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The Topic Aliases the server defined towards a 5.0 client on this connection (3.3.2.3.4),
 * at most the client's Topic Alias Maximum [MQTT-3.3.2-10]; they live and die with the network
 * connection [MQTT-3.3.2-7]. When the table is full the least recently used alias is given to
 * the new topic: the client replaces a mapping whenever a PUBLISH carries a topic and an alias,
 * so re-defining one is always allowed (3.3.2.3.4).
 *
 * <p>Immutable, like {@link InboundTopicAliases}. A use copies the last-use stamps and a new
 * definition also the tables, so the engine caps how many aliases it uses ({@link #LIMIT}),
 * whatever larger number the client would accept.
 */
public final class OutboundTopicAliases {

    /** Most aliases the server defines on one connection, to keep copies small. */
    static final int LIMIT = 256;

    public static final OutboundTopicAliases NONE =
            new OutboundTopicAliases(new String[0], new long[0], 0, Map.of());

    private final String[] topics;   // index = alias - 1
    private final long[] lastUsed;   // index = alias - 1; the clock value of its last use
    private final long clock;
    private final Map<String, Integer> aliasOf;

    private OutboundTopicAliases(String[] topics, long[] lastUsed, long clock, Map<String, Integer> aliasOf) {
        this.topics = topics;
        this.lastUsed = lastUsed;
        this.clock = clock;
        this.aliasOf = aliasOf;
    }

    /**
     * What to send for {@code topic}: its alias and whether the client already knows it.
     *
     * @param next  the table after this use
     * @param known true: send an empty topic name with the alias; false: the topic and the alias
     */
    public record Use(OutboundTopicAliases next, int alias, boolean known) {
    }

    /** The alias for {@code topic} with at most {@code maximum} aliases (the client's maximum). */
    public Use use(String topic, int maximum) {
        int capacity = Math.min(maximum, LIMIT);
        long now = clock + 1;
        Integer existing = aliasOf.get(topic);
        if (existing != null) {
            long[] stamps = lastUsed.clone();
            stamps[existing - 1] = now;
            return new Use(new OutboundTopicAliases(topics, stamps, now, aliasOf), existing, true);
        }
        int alias;
        if (topics.length < capacity) {
            alias = topics.length + 1;
        } else {
            alias = 1;
            for (int i = 1; i < lastUsed.length; i++) {
                if (lastUsed[i] < lastUsed[alias - 1]) {
                    alias = i + 1;
                }
            }
        }
        String[] names = Arrays.copyOf(topics, Math.max(topics.length, alias));
        long[] stamps = Arrays.copyOf(lastUsed, names.length);
        Map<String, Integer> index = new HashMap<>(aliasOf);
        if (names[alias - 1] != null) {
            index.remove(names[alias - 1]);
        }
        names[alias - 1] = topic;
        stamps[alias - 1] = now;
        index.put(topic, alias);
        return new Use(new OutboundTopicAliases(names, stamps, now, Map.copyOf(index)), alias, false);
    }

    /** The topic an alias stands for, or null. */
    public String topicOf(int alias) {
        return alias >= 1 && alias <= topics.length ? topics[alias - 1] : null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof OutboundTopicAliases other && clock == other.clock
                && Arrays.equals(topics, other.topics) && Arrays.equals(lastUsed, other.lastUsed);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(topics) * 31 + Long.hashCode(clock);
    }
}
