package io.courier.protocol.packet;

import java.util.Objects;

/**
 * The Subscription Options byte of a SUBSCRIBE entry (3.8.3.1). In 3.1.1 only the QoS exists;
 * the other fields then hold their 5.0 defaults (false, false, 0).
 *
 * @param retainHandling 0 send retained messages at subscribe, 1 only if the subscription is
 *                       new, 2 never (3.8.3.1); 3 is a Protocol Error [MQTT-3.8.3-5]
 */
public record SubscriptionOptions(Qos qos, boolean noLocal, boolean retainAsPublished, int retainHandling) {

    public SubscriptionOptions {
        Objects.requireNonNull(qos, "qos");
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retain handling out of range: " + retainHandling);
        }
    }

    public static SubscriptionOptions of(Qos qos) {
        return new SubscriptionOptions(qos, false, false, 0);
    }
}
