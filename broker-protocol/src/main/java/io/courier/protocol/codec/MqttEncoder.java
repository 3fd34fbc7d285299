package io.courier.protocol.codec;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.PublishAck;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Packets to bytes. Each packet encoder computes its sizes once, then writes straight into the
 * target buffer; {@link #encode(MqttPacket, MqttVersion, int)} lets the caller respect a peer's
 * Maximum Packet Size [MQTT-3.1.2-24] without encoding twice.
 *
 * <p>A packet the version cannot express (AUTH on 3.x, a 3.x password without user name) or one
 * beyond the protocol's limits is an {@link IllegalArgumentException}: that is a bug in the
 * caller, not bad input from a peer.
 */
public final class MqttEncoder {

    private static final byte[] PING_REQ = {(byte) 0xC0, 0x00};
    private static final byte[] PING_RESP = {(byte) 0xD0, 0x00};

    private MqttEncoder() {
    }

    /** The whole encoded size (fixed header included) of a packet in this version. */
    public static int encodedSize(MqttPacket packet, MqttVersion version) {
        return encode(packet, version, EncodeTarget.SIZE_ONLY);
    }

    /** Encodes into a new array of exactly the encoded size. */
    public static byte[] encode(MqttPacket packet, MqttVersion version) {
        byte[][] result = new byte[1][];
        encode(packet, version, size -> ByteBuffer.wrap(result[0] = new byte[size]));
        return result[0];
    }

    /**
     * Encodes into a new array unless the packet is larger than {@code maximumPacketSize}, in
     * which case nothing is encoded and null is returned.
     */
    public static byte[] encode(MqttPacket packet, MqttVersion version, int maximumPacketSize) {
        byte[][] result = new byte[1][];
        encode(packet, version, size -> size > maximumPacketSize ? null : ByteBuffer.wrap(result[0] = new byte[size]));
        return result[0];
    }

    /**
     * Encodes at the buffer's position and advances it; returns the bytes written.
     *
     * @throws BufferOverflowException if the buffer has less room than the packet needs
     *                                 (nothing is written then)
     */
    public static int encode(MqttPacket packet, MqttVersion version, ByteBuffer out) {
        return encode(packet, version, size -> {
            if (out.remaining() < size) {
                throw new BufferOverflowException();
            }
            return out;
        });
    }

    static int encode(MqttPacket packet, MqttVersion version, EncodeTarget target) {
        // Java 17 has no pattern switch; the type tag is checked exhaustively instead.
        return switch (packet.type()) {
            case CONNECT -> {
                Connect connect = (Connect) packet;
                if (connect.version() != version) {
                    throw new IllegalArgumentException("a " + connect.version() + " CONNECT cannot be encoded as " + version);
                }
                yield ConnectCodec.encode(connect, target);
            }
            case CONNACK -> ConnAckCodec.encode((ConnAck) packet, version, target);
            case PUBLISH -> PublishCodec.encode((Publish) packet, version, target);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckCodec.encode((PublishAck) packet, version, target);
            case SUBSCRIBE -> SubscribeCodec.encode((Subscribe) packet, version, target);
            case SUBACK -> SubscribeAckCodec.encode((SubAck) packet, version, target);
            case UNSUBSCRIBE -> UnsubscribeCodec.encode((Unsubscribe) packet, version, target);
            case UNSUBACK -> SubscribeAckCodec.encode((UnsubAck) packet, version, target);
            case PINGREQ -> fixed(PING_REQ, target);
            case PINGRESP -> fixed(PING_RESP, target);
            case DISCONNECT -> DisconnectCodec.encode((Disconnect) packet, version, target);
            case AUTH -> DisconnectCodec.encode((Auth) packet, version, target);
        };
    }

    private static int fixed(byte[] bytes, EncodeTarget target) {
        ByteBuffer out = target.reserve(bytes.length);
        if (out != null) {
            out.put(bytes);
        }
        return bytes.length;
    }
}
