package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** SUBSCRIBE (3.8): packet identifier, properties (5.0), then filter + options pairs. */
final class SubscribeCodec {

    private static final int NO_LOCAL = 0x04;
    private static final int RETAIN_AS_PUBLISHED = 0x08;

    private SubscribeCodec() {
    }

    static Subscribe decode(PacketReader in, DecodeContext ctx) {
        boolean v5 = ctx.version().isV5();
        int packetId = in.readTwoByteInteger();
        if (packetId == 0) {
            throw PacketReader.protocolError("SUBSCRIBE with packet identifier 0 [MQTT-2.2.1-3]");
        }
        MqttProperties props = v5 ? PropertiesCodec.decode(in, PropertyScope.SUBSCRIBE, ctx.side()) : MqttProperties.EMPTY;
        List<Subscription> subscriptions = new ArrayList<>();
        while (in.hasRemaining()) {
            String filter = in.readUtf8String();
            int options = in.readByte();
            if ((options & (v5 ? 0xC0 : 0xFC)) != 0) {
                throw PacketReader.malformed("reserved Subscription Options bits set "
                        + (v5 ? "[MQTT-3.8.3-5]" : "[MQTT-3.8.3-4]"));
            }
            Qos qos = Qos.ofValue(options & 0x03);
            if (qos == null) {
                throw PacketReader.malformed("SUBSCRIBE with QoS 3");
            }
            int retainHandling = (options >> 4) & 0x03;
            if (retainHandling == 3) {
                throw PacketReader.protocolError("Retain Handling 3 [MQTT-3.8.3-5]");
            }
            subscriptions.add(new Subscription(filter, new SubscriptionOptions(qos,
                    (options & NO_LOCAL) != 0, (options & RETAIN_AS_PUBLISHED) != 0, retainHandling)));
        }
        if (subscriptions.isEmpty()) {
            throw PacketReader.protocolError("SUBSCRIBE without a subscription [MQTT-3.8.3-3]");
        }
        return new Subscribe(packetId, subscriptions, props);
    }

    static int encode(Subscribe p, MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(p.properties()) : 0;
        int body = 2 + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0);
        for (Subscription s : p.subscriptions()) {
            body += PacketWriter.stringSize(s.topicFilter()) + 1;
        }
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, (PacketType.SUBSCRIBE.value() << 4) | PacketType.SUBSCRIBE.requiredFlags(), body);
        out.putShort((short) p.packetId());
        if (v5) {
            PropertiesCodec.write(out, p.properties(), propsContent);
        }
        for (Subscription s : p.subscriptions()) {
            PacketWriter.writeString(out, s.topicFilter());
            SubscriptionOptions o = s.options();
            int options = o.qos().value();
            if (v5) {
                options |= (o.noLocal() ? NO_LOCAL : 0) | (o.retainAsPublished() ? RETAIN_AS_PUBLISHED : 0)
                        | (o.retainHandling() << 4);
            }
            out.put((byte) options);
        }
        return size;
    }
}
