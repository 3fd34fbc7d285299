package io.courier.protocol.codec;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;

/** CONNACK (3.2): acknowledge flags, then a 3.x return code or a 5.0 reason code and properties. */
final class ConnAckCodec {

    private ConnAckCodec() {
    }

    static ConnAck decode(PacketReader in, DecodeContext ctx) {
        int ackFlags = in.readByte();
        if ((ackFlags & 0xFE) != 0) {
            throw PacketReader.malformed("CONNACK acknowledge flags bits 7-1 must be 0 [MQTT-3.2.2-1]");
        }
        ReasonCode rc;
        MqttProperties props = MqttProperties.EMPTY;
        if (ctx.version().isV5()) {
            rc = in.readReasonCode(PacketType.CONNACK);
            props = PropertiesCodec.decode(in, PropertyScope.CONNACK, ctx.side());
        } else {
            int code = in.readByte();
            rc = ReasonCode.ofV3ConnectReturnCode(code);
            if (rc == null) {
                throw PacketReader.malformed("CONNACK return code " + code + " is reserved");
            }
        }
        in.expectEnd("CONNACK");
        // MQTT 3.1 has no Session Present flag: the byte is reserved and not used there.
        boolean sessionPresent = (ackFlags & 0x01) != 0 && ctx.version() != MqttVersion.V3_1;
        return new ConnAck(sessionPresent, rc, props);
    }

    static int encode(ConnAck p, MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(p.properties()) : 0;
        int body = 2 + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0);
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, PacketType.CONNACK.value() << 4, body);
        // MQTT 3.1 has no Session Present flag: the whole byte is reserved there.
        out.put((byte) (p.sessionPresent() && v != MqttVersion.V3_1 ? 1 : 0));
        out.put((byte) (v5 ? p.reasonCode().code() : p.reasonCode().v3ConnectReturnCode()));
        if (v5) {
            PropertiesCodec.write(out, p.properties(), propsContent);
        }
        return size;
    }
}
