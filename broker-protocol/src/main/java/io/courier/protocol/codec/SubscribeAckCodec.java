package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBACK (3.9) and UNSUBACK (3.11): packet identifier, properties (5.0), one code per entry.
 * 3.1.1 differs: SUBACK codes are 0x00-0x02 or 0x80 (3.9.3), and UNSUBACK has no payload.
 */
final class SubscribeAckCodec {

    private SubscribeAckCodec() {
    }

    static MqttPacket decode(PacketType type, PacketReader in, DecodeContext ctx) {
        boolean v5 = ctx.version().isV5();
        int packetId = in.readTwoByteInteger();
        if (packetId == 0) {
            throw PacketReader.protocolError(type + " with packet identifier 0 [MQTT-2.2.1-3]");
        }
        MqttProperties props = v5 ? PropertiesCodec.decode(in, PropertyScope.of(type), ctx.side()) : MqttProperties.EMPTY;
        List<ReasonCode> codes = new ArrayList<>();
        while (in.hasRemaining()) {
            int code = in.readByte();
            ReasonCode rc = v5 ? ReasonCode.forPacket(type, code) : v3Code(type, code);
            if (rc == null) {
                throw PacketReader.malformed("0x" + Integer.toHexString(code) + " is not a " + type + " code");
            }
            codes.add(rc);
        }
        if (type == PacketType.SUBACK) {
            if (codes.isEmpty()) {
                throw PacketReader.protocolError("SUBACK without a return code [MQTT-3.8.4-6]");
            }
            return new SubAck(packetId, codes, props);
        }
        if (v5 && codes.isEmpty()) {
            throw PacketReader.protocolError("UNSUBACK without a reason code [MQTT-3.11.3-1]");
        }
        return new UnsubAck(packetId, codes, props);
    }

    private static ReasonCode v3Code(PacketType type, int code) {
        if (type == PacketType.UNSUBACK) {
            return null; // a 3.1.1 UNSUBACK has no payload (3.11.3)
        }
        return switch (code) {
            case 0x00 -> ReasonCode.GRANTED_QOS_0;
            case 0x01 -> ReasonCode.GRANTED_QOS_1;
            case 0x02 -> ReasonCode.GRANTED_QOS_2;
            case 0x80 -> ReasonCode.UNSPECIFIED_ERROR;
            default -> null;
        };
    }

    static int encode(SubAck p, MqttVersion v, EncodeTarget target) {
        return encode(PacketType.SUBACK, p.packetId(), p.reasonCodes(), p.properties(), v, target);
    }

    static int encode(UnsubAck p, MqttVersion v, EncodeTarget target) {
        return encode(PacketType.UNSUBACK, p.packetId(), v.isV5() ? p.reasonCodes() : List.of(), p.properties(), v, target);
    }

    private static int encode(PacketType type, int packetId, List<ReasonCode> codes, MqttProperties props,
                              MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(props) : 0;
        int body = 2 + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0) + codes.size();
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, type.value() << 4, body);
        out.putShort((short) packetId);
        if (v5) {
            PropertiesCodec.write(out, props, propsContent);
        }
        for (ReasonCode rc : codes) {
            out.put((byte) (v5 || !rc.isError() ? rc.code() : 0x80));
        }
        return size;
    }
}
