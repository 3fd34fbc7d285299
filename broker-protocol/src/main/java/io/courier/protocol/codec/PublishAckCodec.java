package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.PublishAck;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;

/**
 * PUBACK, PUBREC, PUBREL and PUBCOMP (3.4-3.7) share one layout: packet identifier, then in
 * 5.0 an optional reason code and optional properties. The Reason Code and Property Length may
 * be left out when the reason is 0x00 and there are no properties (3.4.2.1), and the
 * Property Length alone when there are no properties (3.4.2.2.1).
 */
final class PublishAckCodec {

    private PublishAckCodec() {
    }

    static MqttPacket decode(PacketType type, PacketReader in, DecodeContext ctx) {
        int packetId = in.readTwoByteInteger();
        if (packetId == 0) {
            throw PacketReader.protocolError(type + " with packet identifier 0 [MQTT-2.2.1-3]");
        }
        ReasonCode rc = ReasonCode.SUCCESS;
        MqttProperties props = MqttProperties.EMPTY;
        if (ctx.version().isV5() && in.hasRemaining()) {
            rc = in.readReasonCode(type);
            if (in.hasRemaining()) {
                props = PropertiesCodec.decode(in, PropertyScope.of(type), ctx.side());
            }
        }
        in.expectEnd(type.name());
        return switch (type) {
            case PUBACK -> new PubAck(packetId, rc, props);
            case PUBREC -> new PubRec(packetId, rc, props);
            case PUBREL -> new PubRel(packetId, rc, props);
            case PUBCOMP -> new PubComp(packetId, rc, props);
            default -> throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        };
    }

    static int encode(PublishAck p, MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        boolean withProps = v5 && !p.properties().isEmpty();
        boolean withReason = withProps || (v5 && p.reasonCode() != ReasonCode.SUCCESS);
        int propsContent = withProps ? PropertiesCodec.contentSize(p.properties()) : 0;
        int body = 2 + (withReason ? 1 : 0)
                + (withProps ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0);
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketType type = p.type();
        PacketWriter.writeFixedHeader(out, (type.value() << 4) | type.requiredFlags(), body);
        out.putShort((short) p.packetId());
        if (withReason) {
            out.put((byte) p.reasonCode().code());
        }
        if (withProps) {
            PropertiesCodec.write(out, p.properties(), propsContent);
        }
        return size;
    }
}
