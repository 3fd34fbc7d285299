package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;

/** PUBLISH (3.3): the per-message path, so it allocates only the topic, payload and record. */
final class PublishCodec {

    private static final int DUP = 0x08;
    private static final int RETAIN = 0x01;

    private PublishCodec() {
    }

    static Publish decode(int flags, PacketReader in, DecodeContext ctx) {
        Qos qos = Qos.ofValue((flags >> 1) & 0x03);
        if (qos == null) {
            throw PacketReader.malformed("PUBLISH with QoS 3 [MQTT-3.3.1-4]");
        }
        boolean dup = (flags & DUP) != 0;
        if (dup && qos == Qos.AT_MOST_ONCE) {
            throw PacketReader.malformed("DUP set on a QoS 0 PUBLISH [MQTT-3.3.1-2]");
        }
        String topic = in.readUtf8String();
        for (int i = 0, n = topic.length(); i < n; i++) {
            char c = topic.charAt(i);
            if (c == '+' || c == '#') {
                throw new DecodeException(ReasonCode.TOPIC_NAME_INVALID,
                        "wildcard in a PUBLISH topic name [MQTT-3.3.2-2]");
            }
        }
        int packetId = 0;
        if (qos != Qos.AT_MOST_ONCE) {
            packetId = in.readTwoByteInteger();
            if (packetId == 0) {
                throw PacketReader.protocolError("PUBLISH QoS " + qos.value() + " with packet identifier 0 [MQTT-2.2.1-3]");
            }
        }
        MqttProperties props = ctx.version().isV5()
                ? PropertiesCodec.decode(in, PropertyScope.PUBLISH, ctx.side()) : MqttProperties.EMPTY;
        if (topic.isEmpty() && !props.contains(PropertyId.TOPIC_ALIAS)) {
            throw PacketReader.protocolError("PUBLISH with an empty topic and no Topic Alias");
        }
        return new Publish(topic, qos, (flags & RETAIN) != 0, dup, packetId, in.readRest(), props);
    }

    static int encode(Publish p, MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(p.properties()) : 0;
        int body = PacketWriter.stringSize(p.topic())
                + (p.qos() == Qos.AT_MOST_ONCE ? 0 : 2)
                + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0)
                + p.payload().length;
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        int flags = (PacketType.PUBLISH.value() << 4) | (p.dup() ? DUP : 0) | (p.qos().value() << 1)
                | (p.retain() ? RETAIN : 0);
        PacketWriter.writeFixedHeader(out, flags, body);
        PacketWriter.writeString(out, p.topic());
        if (p.qos() != Qos.AT_MOST_ONCE) {
            out.putShort((short) p.packetId());
        }
        if (v5) {
            PropertiesCodec.write(out, p.properties(), propsContent);
        }
        out.put(p.payload());
        return size;
    }
}
