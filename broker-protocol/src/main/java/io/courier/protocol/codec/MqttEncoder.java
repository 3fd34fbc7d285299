package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import java.nio.ByteBuffer;

/** API placeholder: implementation in progress. */
public final class MqttEncoder {

    private MqttEncoder() {
    }

    /** The whole encoded size (fixed header included) of a packet in this version. */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Encodes into a new array of exactly the encoded size. */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Encodes at the buffer's position; returns the bytes written. */
    public static int encode(MqttPacket packet, MqttVersion version, ByteBuffer out) {
        throw new UnsupportedOperationException("not yet");
    }
}
