package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import java.util.Objects;

/**
 * The negotiated limits a decoder works under: all it knows about the connection.
 *
 * @param version            the protocol version, or null on a server before CONNECT (the
 *                           decoder takes it from the CONNECT it decodes)
 * @param maximumPacketSize  the largest whole packet (fixed header included) this side accepts;
 *                           anything larger is rejected with 0x95 before its body is buffered
 * @param side               which end decodes
 */
public record DecodeContext(MqttVersion version, int maximumPacketSize, Side side) {

    /** The protocol's own ceiling: 1 + 4 length bytes + 268,435,455 (spec 2.1.4). */
    public static final int PROTOCOL_MAXIMUM_PACKET_SIZE = 268_435_460;

    public DecodeContext {
        Objects.requireNonNull(side, "side");
        if (maximumPacketSize < 2) {
            throw new IllegalArgumentException("maximum packet size too small: " + maximumPacketSize);
        }
    }

    public static DecodeContext server(int maximumPacketSize) {
        return new DecodeContext(null, maximumPacketSize, Side.SERVER);
    }

    public static DecodeContext client(MqttVersion version, int maximumPacketSize) {
        return new DecodeContext(Objects.requireNonNull(version, "version"), maximumPacketSize, Side.CLIENT);
    }

    public DecodeContext withVersion(MqttVersion newVersion) {
        return new DecodeContext(newVersion, maximumPacketSize, side);
    }

    public DecodeContext withMaximumPacketSize(int newMaximum) {
        return new DecodeContext(version, newMaximum, side);
    }
}
