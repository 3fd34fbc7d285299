package io.courier.protocol.session;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import java.util.Arrays;
import java.util.Objects;

/**
 * An application message as one subscriber gets it: the shared {@link Message} plus what the
 * subscription decided. Immutable, so queues and windows share instances between copies.
 *
 * @param message                 the message as published
 * @param qos                     the QoS for this subscriber: the lower of the published QoS and
 *                                the granted one [MQTT-3.8.4-8]; never above the published QoS
 * @param retain                  the RETAIN flag as it is to be sent (Retain As Published and the
 *                                retained-on-subscribe rules are the caller's to apply,
 *                                3.3.1.3 / 3.8.3.1)
 * @param subscriptionIdentifiers the identifiers of the matching subscriptions that have one
 *                                [MQTT-3.3.4-3]; empty for 3.1.1 or when none has. Copied in and
 *                                out, compared by value
 * @param sharedGroup             the shared subscription this delivery came through, as its
 *                                filter ({@code $share/group/filter}), or null when it came
 *                                through the client's own subscriptions (or several routes):
 *                                a delivery that came only through a group belongs to the
 *                                group, and goes to another member when this one leaves (4.8.2)
 */
public record Delivery(Message message, Qos qos, boolean retain, int[] subscriptionIdentifiers, String sharedGroup) {

    /** The largest Variable Byte Integer, the upper bound of a Subscription Identifier (3.8.2.1.2). */
    public static final int MAX_SUBSCRIPTION_IDENTIFIER = 268_435_455;

    /** The largest Four Byte Integer, the upper bound of a Message Expiry Interval. */
    private static final long MAX_EXPIRY_SECONDS = 0xFFFF_FFFFL;

    private static final int[] NO_IDENTIFIERS = new int[0];

    /** A delivery through the client's own subscriptions (no shared group). */
    public Delivery(Message message, Qos qos, boolean retain, int[] subscriptionIdentifiers) {
        this(message, qos, retain, subscriptionIdentifiers, null);
    }

    public Delivery {
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(qos, "qos");
        if (qos.value() > message.qos().value()) {
            throw new IllegalArgumentException("delivery QoS " + qos + " above the published " + message.qos()
                    + " [MQTT-3.8.4-8]");
        }
        subscriptionIdentifiers = subscriptionIdentifiers == null || subscriptionIdentifiers.length == 0
                ? NO_IDENTIFIERS : subscriptionIdentifiers.clone();
        for (int id : subscriptionIdentifiers) {
            // 0 is a Protocol Error in a SUBSCRIBE (3.8.2.1.2), so no subscription can have it.
            if (id < 1 || id > MAX_SUBSCRIPTION_IDENTIFIER) {
                throw new IllegalArgumentException("subscription identifier out of range: " + id);
            }
        }
    }

    /**
     * The delivery of {@code message} through subscriptions granted {@code grantedQos}: its QoS
     * is the lower of the two [MQTT-3.8.4-8].
     */
    public static Delivery of(Message message, Qos grantedQos, boolean retain, int... subscriptionIdentifiers) {
        return new Delivery(message, message.qos().min(grantedQos), retain, subscriptionIdentifiers);
    }

    /** This delivery as it came through the shared subscription {@code group} (its full filter). */
    public Delivery viaSharedGroup(String group) {
        return new Delivery(message, qos, retain, subscriptionIdentifiers, group);
    }

    @Override
    public int[] subscriptionIdentifiers() {
        return subscriptionIdentifiers.length == 0 ? NO_IDENTIFIERS : subscriptionIdentifiers.clone();
    }

    public boolean isExpired(long nowMillis) {
        return message.isExpired(nowMillis);
    }

    /**
     * The Message Expiry Interval to forward at {@code nowMillis}: the time left, in whole seconds
     * rounded up, so a message is never announced as expiring before it does [MQTT-3.3.2-6].
     *
     * <p>At least 1: a message can reach the wire after its expiry only when its onward delivery
     * had already started (a resend of an unacknowledged PUBLISH), and then it must still be
     * delivered [MQTT-4.3.3-7]; 1 is the smallest interval that still tells the receiver the
     * message expires (omitting the property would mean it never does).
     *
     * @param expiresAtMillis the message's expiry instant; not {@link Message#NEVER}
     */
    public static long remainingExpirySeconds(long expiresAtMillis, long nowMillis) {
        if (expiresAtMillis == Message.NEVER) {
            throw new IllegalArgumentException("the message does not expire");
        }
        long leftMillis = expiresAtMillis - nowMillis;
        if (leftMillis <= 0) {
            return 1;
        }
        long seconds = leftMillis / 1000 + (leftMillis % 1000 == 0 ? 0 : 1);
        // More than the four-byte maximum only if this node's clock is behind the publisher's.
        return Math.min(seconds, MAX_EXPIRY_SECONDS);
    }

    /**
     * The 5.0 properties of the outgoing PUBLISH at {@code nowMillis}: the message's properties in
     * order (User Properties keep their order [MQTT-3.3.2-18]) with the Message Expiry Interval
     * set to the time left [MQTT-3.3.2-6] (in its original place; absent when the message never
     * expires, whatever the stored list says, since {@link Message#expiresAtMillis()} is what the
     * broker enforces), then one Subscription Identifier per matching subscription
     * [MQTT-3.3.4-3]. A Topic Alias is per connection and is the engine's to add.
     */
    public MqttProperties outgoingProperties(long nowMillis) {
        MqttProperties props = message.properties()
                .without(PropertyId.TOPIC_ALIAS, PropertyId.SUBSCRIPTION_IDENTIFIER);
        if (message.expiresAtMillis() == Message.NEVER) {
            props = props.without(PropertyId.MESSAGE_EXPIRY_INTERVAL);
        } else {
            props = props.with(Property.of(PropertyId.MESSAGE_EXPIRY_INTERVAL,
                    remainingExpirySeconds(message.expiresAtMillis(), nowMillis)));
        }
        if (subscriptionIdentifiers.length == 0) {
            return props;
        }
        MqttProperties.Builder b = MqttProperties.builder();
        for (Property p : props.asList()) {
            b.add(p);
        }
        for (int id : subscriptionIdentifiers) {
            b.add(PropertyId.SUBSCRIPTION_IDENTIFIER, id);
        }
        return b.build();
    }

    /**
     * The PUBLISH that carries this delivery: topic, payload, this delivery's QoS and RETAIN, and
     * {@link #outgoingProperties(long)} (a 3.1.1 encoder drops them).
     *
     * @param packetId 0 for QoS 0 [MQTT-2.2.1-2], otherwise the identifier allocated for the flow
     * @param dup      true only when re-sending an unacknowledged PUBLISH [MQTT-3.3.1-1]; must be
     *                 false for QoS 0 [MQTT-3.3.1-2]
     */
    public Publish toPublish(int packetId, boolean dup, long nowMillis) {
        return new Publish(message.topic(), qos, retain, dup, packetId, message.payload(),
                outgoingProperties(nowMillis));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Delivery d && qos == d.qos && retain == d.retain && message.equals(d.message)
                && Arrays.equals(subscriptionIdentifiers, d.subscriptionIdentifiers)
                && Objects.equals(sharedGroup, d.sharedGroup);
    }

    @Override
    public int hashCode() {
        return Objects.hash(message, qos, retain, Arrays.hashCode(subscriptionIdentifiers));
    }

    @Override
    public String toString() {
        return "Delivery[" + message + ", qos=" + qos + ", retain=" + retain
                + (subscriptionIdentifiers.length == 0 ? "" : ", subscriptionIdentifiers="
                        + Arrays.toString(subscriptionIdentifiers))
                + (sharedGroup == null ? "" : ", sharedGroup=" + sharedGroup) + "]";
    }
}
