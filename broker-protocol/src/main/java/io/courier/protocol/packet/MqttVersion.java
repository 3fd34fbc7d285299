package io.courier.protocol.packet;

/**
 * The protocol levels Courier speaks. The level byte and protocol name come from the CONNECT
 * variable header (MQTT 3.1.1 section 3.1.2.1-2, MQTT 5.0 section 3.1.2.1-2).
 */
public enum MqttVersion {
    /** MQTT 3.1 (IBM's last release), protocol name "MQIsdp". */
    V3_1(3, "MQIsdp"),
    /** MQTT 3.1.1 (OASIS), protocol name "MQTT". */
    V3_1_1(4, "MQTT"),
    /** MQTT 5.0 (OASIS), protocol name "MQTT". */
    V5(5, "MQTT");

    private final int level;
    private final String protocolName;

    MqttVersion(int level, String protocolName) {
        this.level = level;
        this.protocolName = protocolName;
    }

    public int level() {
        return level;
    }

    public String protocolName() {
        return protocolName;
    }

    /** True for 5.0: properties and reason codes exist on the wire. */
    public boolean isV5() {
        return this == V5;
    }

    /** The version for a CONNECT level byte, or null if Courier does not speak it. */
    public static MqttVersion ofLevel(int level) {
        return switch (level) {
            case 3 -> V3_1;
            case 4 -> V3_1_1;
            case 5 -> V5;
            default -> null;
        };
    }
}
