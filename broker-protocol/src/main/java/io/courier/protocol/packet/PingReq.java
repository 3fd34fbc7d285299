package io.courier.protocol.packet;

/** PINGREQ (3.12): no variable header, no payload. */
public record PingReq() implements MqttPacket {
    public static final PingReq INSTANCE = new PingReq();

    @Override
    public PacketType type() {
        return PacketType.PINGREQ;
    }
}
