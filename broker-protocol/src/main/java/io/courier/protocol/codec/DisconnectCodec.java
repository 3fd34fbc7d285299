package io.courier.protocol.codec;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;

/**
 * DISCONNECT (3.14) and AUTH (3.15): a reason code and properties, both optional in 5.0. An
 * empty body means Normal disconnection / Success (3.14.2.1, 3.15.2.1). 3.1.1 DISCONNECT has no
 * body at all, and 3.x has no AUTH.
 */
final class DisconnectCodec {

    private DisconnectCodec() {
    }

    static MqttPacket decode(PacketType type, PacketReader in, DecodeContext ctx) {
        ReasonCode rc = type == PacketType.AUTH ? ReasonCode.SUCCESS : ReasonCode.NORMAL_DISCONNECTION;
        MqttProperties props = MqttProperties.EMPTY;
        if (ctx.version().isV5() && in.hasRemaining()) {
            rc = in.readReasonCode(type);
            // DISCONNECT may stop after the reason code (3.14.2.2.1); AUTH may not: its only
            // short form is the empty body (3.15.2.1).
            if (in.hasRemaining() || type == PacketType.AUTH) {
                props = PropertiesCodec.decode(in, PropertyScope.of(type), ctx.side());
            }
        }
        in.expectEnd(type.name());
        return type == PacketType.AUTH ? new Auth(rc, props) : new Disconnect(rc, props);
    }

    static int encode(Disconnect p, MqttVersion v, EncodeTarget target) {
        return encode(PacketType.DISCONNECT, p.reasonCode(), ReasonCode.NORMAL_DISCONNECTION, p.properties(), v, target);
    }

    static int encode(Auth p, MqttVersion v, EncodeTarget target) {
        if (!v.isV5()) {
            throw new IllegalArgumentException("AUTH does not exist in " + v);
        }
        return encode(PacketType.AUTH, p.reasonCode(), ReasonCode.SUCCESS, p.properties(), v, target);
    }

    private static int encode(PacketType type, ReasonCode rc, ReasonCode emptyMeans, MqttProperties props,
                              MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        boolean withProps = v5 && !props.isEmpty();
        boolean withReason = withProps || (v5 && rc != emptyMeans);
        if (type == PacketType.AUTH && withReason && !withProps) {
            withProps = true; // AUTH has no reason-only form (3.15.2.1)
        }
        int propsContent = withProps ? PropertiesCodec.contentSize(props) : 0;
        int body = (withReason ? 1 : 0)
                + (withProps ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0);
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, type.value() << 4, body);
        if (withReason) {
            out.put((byte) rc.code());
        }
        if (withProps) {
            PropertiesCodec.write(out, props, propsContent);
        }
        return size;
    }
}
