package io.courier.protocol.packet;

import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.Objects;

/**
 * CONNECT (3.1). {@code cleanStart} is Clean Session in 3.1.1. {@code userName}, {@code password}
 * and {@code will} are null when their flag is not set. 3.1.1 allows a password only with a user
 * name [MQTT-3.1.2-22]; 5.0 allows it alone.
 */
public record Connect(
        MqttVersion version,
        String clientId,
        boolean cleanStart,
        int keepAliveSeconds,
        String userName,
        byte[] password,
        Will will,
        MqttProperties properties) implements MqttPacket {

    public Connect {
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(properties, "properties");
        if (keepAliveSeconds < 0 || keepAliveSeconds > 0xFFFF) {
            throw new IllegalArgumentException("keep alive out of range: " + keepAliveSeconds);
        }
    }

    @Override
    public PacketType type() {
        return PacketType.CONNECT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Connect c && version == c.version && clientId.equals(c.clientId)
                && cleanStart == c.cleanStart && keepAliveSeconds == c.keepAliveSeconds
                && Objects.equals(userName, c.userName) && Arrays.equals(password, c.password)
                && Objects.equals(will, c.will) && properties.equals(c.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(version, clientId, cleanStart, keepAliveSeconds, userName,
                Arrays.hashCode(password), will, properties);
    }

    @Override
    public String toString() {
        return "Connect[" + version + ", clientId=" + clientId + ", cleanStart=" + cleanStart
                + ", keepAlive=" + keepAliveSeconds + ", userName=" + userName
                + ", password=" + (password == null ? "none" : "***") + ", will=" + will
                + ", properties=" + properties + "]";
    }
}
