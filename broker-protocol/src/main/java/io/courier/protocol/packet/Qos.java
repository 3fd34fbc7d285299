package io.courier.protocol.packet;

/** Quality of service levels (spec 4.3). */
public enum Qos {
    AT_MOST_ONCE,
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    private static final Qos[] VALUES = values();

    public int value() {
        return ordinal();
    }

    /** The QoS for 0..2, or null for anything else (3 is malformed [MQTT-3.3.1-4]). */
    public static Qos ofValue(int value) {
        return value >= 0 && value < 3 ? VALUES[value] : null;
    }

    /** The lower of two levels: a delivery's QoS is the minimum of publish and grant [MQTT-3.8.4-8]. */
    public Qos min(Qos other) {
        return other.ordinal() < ordinal() ? other : this;
    }
}
