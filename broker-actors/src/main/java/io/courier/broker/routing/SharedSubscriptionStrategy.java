package io.courier.broker.routing;

import java.util.Locale;

/**
 * How {@link Fanout} picks the one member of a shared subscription group that gets a message
 * (MQTT 5.0 section 4.8.2 leaves the choice to the server). Chosen by
 * {@code courier.mqtt.shared-subscription-strategy}. Whatever the strategy, members whose
 * session has a connection attached are preferred; see {@link Fanout}.
 */
public enum SharedSubscriptionStrategy {
    /** Members in turn, one cursor per group and node. */
    ROUND_ROBIN,
    /** A uniformly random member for each message. */
    RANDOM,
    /** The same member until it goes offline or leaves the group; then the next in turn. */
    STICKY,
    /** By the publisher's client id, so one publisher's messages stay in order at one member. */
    HASH;

    /** Parses a config value such as {@code round-robin}; case does not matter. */
    public static SharedSubscriptionStrategy parse(String value) {
        String name = value.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        try {
            return valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("courier.mqtt.shared-subscription-strategy: unknown strategy '"
                    + value + "' (round-robin, random, sticky or hash)", e);
        }
    }
}
