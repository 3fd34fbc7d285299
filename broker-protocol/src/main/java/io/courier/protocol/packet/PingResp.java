package io.courier.protocol.packet;

/** PINGRESP (3.13): no variable header, no payload. */
public record PingResp() implements MqttPacket {
    public static final PingResp INSTANCE = new PingResp();

    @Override
    public PacketType type() {
        return PacketType.PINGRESP;
    }
}
