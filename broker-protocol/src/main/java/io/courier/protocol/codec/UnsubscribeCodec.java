package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyScope;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** UNSUBSCRIBE (3.10): packet identifier, properties (5.0), then topic filters. */
final class UnsubscribeCodec {

    private UnsubscribeCodec() {
    }

    static Unsubscribe decode(PacketReader in, DecodeContext ctx) {
        int packetId = in.readTwoByteInteger();
        if (packetId == 0) {
            throw PacketReader.protocolError("UNSUBSCRIBE with packet identifier 0 [MQTT-2.2.1-3]");
        }
        MqttProperties props = ctx.version().isV5()
                ? PropertiesCodec.decode(in, PropertyScope.UNSUBSCRIBE, ctx.side()) : MqttProperties.EMPTY;
        List<String> filters = new ArrayList<>();
        while (in.hasRemaining()) {
            filters.add(in.readUtf8String());
        }
        if (filters.isEmpty()) {
            throw PacketReader.protocolError("UNSUBSCRIBE without a topic filter [MQTT-3.10.3-2]");
        }
        return new Unsubscribe(packetId, filters, props);
    }

    static int encode(Unsubscribe p, MqttVersion v, EncodeTarget target) {
        boolean v5 = v.isV5();
        int propsContent = v5 ? PropertiesCodec.contentSize(p.properties()) : 0;
        int body = 2 + (v5 ? PacketWriter.variableByteIntegerSize(propsContent) + propsContent : 0);
        for (String f : p.topicFilters()) {
            body += PacketWriter.stringSize(f);
        }
        int size = PacketWriter.packetSize(body);
        ByteBuffer out = target.reserve(size);
        if (out == null) {
            return size;
        }
        PacketWriter.writeFixedHeader(out, (PacketType.UNSUBSCRIBE.value() << 4) | PacketType.UNSUBSCRIBE.requiredFlags(), body);
        out.putShort((short) p.packetId());
        if (v5) {
            PropertiesCodec.write(out, p.properties(), propsContent);
        }
        for (String f : p.topicFilters()) {
            PacketWriter.writeString(out, f);
        }
        return size;
    }
}
