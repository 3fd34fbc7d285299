package io.courier.protocol.codec;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;

/**
 * CONNECT (3.1). The packet names its own version, so decoding does not depend on the
 * context's version; the decoder adopts the version afterwards.
 */
final class ConnectCodec {

    private static final int RESERVED = 0x01;
    private static final int CLEAN_START = 0x02;
    private static final int WILL_FLAG = 0x04;
    private static final int WILL_RETAIN = 0x20;
    private static final int PASSWORD = 0x40;
    private static final int USER_NAME = 0x80;

    private ConnectCodec() {
    }

    static Connect decode(PacketReader in, DecodeContext ctx) {
        String protocolName = in.readUtf8String();
        int level = in.readByte();
        MqttVersion version = MqttVersion.ofLevel(level);
        if (version == null || !version.protocolName().equals(protocolName)) {
            throw new DecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "unsupported protocol \"" + protocolName + "\" level " + level + " [MQTT-3.1.2-1] [MQTT-3.1.2-2]");
        }
        int flags = in.readByte();
        if ((flags & RESERVED) != 0) {
            throw PacketReader.malformed("CONNECT reserved flag is set [MQTT-3.1.2-3]");
        }
        boolean willFlag = (flags & WILL_FLAG) != 0;
        int willQos = (flags >> 3) & 0x03;
        boolean willRetain = (flags & WILL_RETAIN) != 0;
        if (!willFlag && (willQos != 0 || willRetain)) {
            throw PacketReader.malformed("Will QoS or Will Retain set without Will Flag [MQTT-3.1.2-11] [MQTT-3.1.2-13] [MQTT-3.1.2-15]");
        }
        if (willQos == 3) {
            throw PacketReader.malformed("Will QoS 3 [MQTT-3.1.2-14]");
        }
        boolean hasUserName = (flags & USER_NAME) != 0;
        boolean hasPassword = (flags & PASSWORD) != 0;
        if (!version.isV5() && hasPassword && !hasUserName) {
            throw PacketReader.malformed("password without user name [MQTT-3.1.2-22]");
        }
        int keepAlive = in.readTwoByteInteger();
        MqttProperties props = version.isV5()
                ? PropertiesCodec.decode(in, PropertyScope.CONNECT, ctx.side()) : MqttProperties.EMPTY;
        String clientId = in.readUtf8String();
        Will will = null;
        if (willFlag) {
            MqttProperties willProps = version.isV5()
                    ? PropertiesCodec.decode(in, PropertyScope.WILL, ctx.side()) : MqttProperties.EMPTY;
            String willTopic = in.readUtf8String();
            byte[] willPayload = in.readBinary();
            will = new Will(willTopic, willPayload, Qos.ofValue(willQos), willRetain, willProps);
        }
        String userName = hasUserName ? in.readUtf8String() : null;
        byte[] password = hasPassword ? in.readBinary() : null;
        in.expectEnd("CONNECT");
        return new Connect(version, clientId, (flags & CLEAN_START) != 0, keepAlive, userName, password, will, props);
    }

    static int encode(Connect c, EncodeTarget target) {
        MqttVersion v = c.version();
        if (!v.isV5() && c.password() != null && c.userName() == null) {
            throw new IllegalArgumentException("3.x CONNECT cannot carry a password without a user name [MQTT-3.1.2-22]");
        }
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(c.properties()) : 0;
        int willPropsContent = v5 && c.will() != null ? PropertiesCodec.contentSize(c.will().properties()) : 0;
        int body = PacketWriter.stringSize(v.protocolName()) + 1 + 1 + 2
                + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0)
                + PacketWriter.stringSize(c.clientId());
        if (c.will() != null) {
            body += (v5 ? PacketWriter.variableByteIntegerSize(willPropsContent) + willPropsContent : 0)
                    + PacketWriter.stringSize(c.will().topic()) + PacketWriter.binarySize(c.will().payload());
        }
        if (c.userName() != null) {
            body += PacketWriter.stringSize(c.userName());
        }
        if (c.password() != null) {
            body += PacketWriter.binarySize(c.password());
        }
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, PacketType.CONNECT.value() << 4, body);
        PacketWriter.writeString(out, v.protocolName());
        out.put((byte) v.level());
        int flags = (c.cleanStart() ? CLEAN_START : 0)
                | (c.userName() != null ? USER_NAME : 0)
                | (c.password() != null ? PASSWORD : 0);
        if (c.will() != null) {
            flags |= WILL_FLAG | (c.will().qos().value() << 3) | (c.will().retain() ? WILL_RETAIN : 0);
        }
        out.put((byte) flags);
        out.putShort((short) c.keepAliveSeconds());
        if (v5) {
            PropertiesCodec.write(out, c.properties(), propsContent);
        }
        PacketWriter.writeString(out, c.clientId());
        if (c.will() != null) {
            if (v5) {
                PropertiesCodec.write(out, c.will().properties(), willPropsContent);
            }
            PacketWriter.writeString(out, c.will().topic());
            PacketWriter.writeBinary(out, c.will().payload());
        }
        if (c.userName() != null) {
            PacketWriter.writeString(out, c.userName());
        }
        if (c.password() != null) {
            PacketWriter.writeBinary(out, c.password());
        }
        return size;
    }
}
