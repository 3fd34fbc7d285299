package io.courier.protocol.codec;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.ReasonCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Incremental MQTT decoder: bytes in, packets out, one instance per connection (not thread
 * safe). It works like a small state machine over the fixed header (spec 2.1): the type/flags
 * byte, then the Remaining Length, then the body.
 *
 * <p>Two rules keep it safe against hostile peers. The whole packet size is checked against the
 * context's Maximum Packet Size as soon as the Remaining Length is known, before any body byte is
 * kept. And a body that arrives in pieces is buffered in an array that grows with the bytes that
 * actually came (at most doubling), never sized from the length the peer claims. A body that is
 * whole inside the chunk is decoded in place, without a copy.
 *
 * <p>Every broken rule is a {@link DecodeException} with the reason code to answer with; any
 * other exception from a packet decoder is a bug in Courier, and is still reported as Malformed
 * Packet so that one connection, not the broker, pays for it. After an exception the decoder
 * must be dropped.
 */
public final class MqttDecoder {

    private static final int READ_HEADER = 0;
    private static final int READ_LENGTH = 1;
    private static final int READ_BODY = 2;
    private static final int FAILED = 3;

    /** Partial-body buffers above this size are released once their packet is decoded. */
    private static final int RETAINED_BUFFER_LIMIT = 64 * 1024;

    private DecodeContext context;
    private int state = READ_HEADER;
    private int header;
    private int remainingLength;
    private int lengthBytes;
    private byte[] partial;
    private int partialLength;
    /** Reused for every packet body (the decoder is confined to one connection). */
    private final PacketReader reader = new PacketReader(ByteBuffer.allocate(0), 0, 0);
    /** True while the consumer runs, so its exceptions are not mistaken for bad input. */
    private boolean delivering;

    public MqttDecoder(DecodeContext context) {
        this.context = context;
    }

    public DecodeContext context() {
        return context;
    }

    /** Replaces the limits, e.g. once CONNECT negotiated them; applies from the next packet. */
    public void context(DecodeContext newContext) {
        this.context = newContext;
    }

    /**
     * Decodes every complete packet in {@code chunk} (position to limit, consumed), handing each
     * to {@code out} in order, and keeps a trailing partial packet for the next call. A server
     * decoder switches to the version of a CONNECT it decodes before decoding the next packet.
     *
     * @throws DecodeException on any rule broken; the decoder is then unusable
     */
    public void decode(ByteBuffer chunk, Consumer<? super MqttPacket> out) {
        if (state == FAILED) {
            throw new DecodeException(ReasonCode.PROTOCOL_ERROR, "decoder used after a rejection");
        }
        try {
            while (chunk.hasRemaining()) {
                if (state == READ_HEADER) {
                    startPacket(chunk.get() & 0xFF);
                }
                if (state == READ_LENGTH && !readLength(chunk)) {
                    return;
                }
                if (state == READ_BODY) {
                    MqttPacket packet = readBody(chunk);
                    if (packet == null) {
                        return;
                    }
                    state = READ_HEADER;
                    delivering = true;
                    out.accept(packet);
                    delivering = false;
                }
            }
        } catch (DecodeException e) {
            state = FAILED;
            throw e;
        } catch (RuntimeException e) {
            if (delivering) {
                delivering = false;
                throw e; // the consumer's own failure, not something wrong with the peer's bytes
            }
            state = FAILED;
            throw new DecodeException(ReasonCode.MALFORMED_PACKET, "undecodable packet: " + e, e);
        }
    }

    /** Convenience for tests and tools: decodes a whole array and returns the complete packets. */
    public List<MqttPacket> decode(byte[] chunk) {
        List<MqttPacket> out = new ArrayList<>();
        decode(ByteBuffer.wrap(chunk), out::add);
        return out;
    }

    /** Bytes of an incomplete packet body held between calls. */
    public int bufferedBytes() {
        return partialLength;
    }

    private void startPacket(int firstByte) {
        PacketType type = PacketType.ofValue(firstByte >> 4);
        if (type == null) {
            throw PacketReader.malformed("reserved packet type 0");
        }
        int flags = firstByte & 0x0F;
        if (type.requiredFlags() >= 0 && flags != type.requiredFlags()) {
            throw PacketReader.malformed(type + " with fixed header flags 0x" + Integer.toHexString(flags)
                    + " [MQTT-2.1.3-1]");
        }
        if (context.version() == null && type != PacketType.CONNECT) {
            throw PacketReader.protocolError("first packet must be CONNECT, was " + type + " [MQTT-3.1.0-1]");
        }
        if (type == PacketType.AUTH && context.version() != null && !context.version().isV5()) {
            throw PacketReader.malformed("AUTH on a " + context.version() + " connection");
        }
        header = firstByte;
        remainingLength = 0;
        lengthBytes = 0;
        state = READ_LENGTH;
    }

    /** Reads Remaining Length bytes (1.5.5); true once complete and accepted. */
    private boolean readLength(ByteBuffer chunk) {
        while (chunk.hasRemaining()) {
            int b = chunk.get() & 0xFF;
            remainingLength |= (b & 0x7F) << (7 * lengthBytes);
            lengthBytes++;
            if ((b & 0x80) == 0) {
                if (b == 0 && lengthBytes > 1) {
                    throw PacketReader.malformed("Remaining Length not in its shortest form [MQTT-1.5.5-1]");
                }
                long packetSize = 1L + lengthBytes + remainingLength;
                if (packetSize > context.maximumPacketSize()) {
                    throw new DecodeException(ReasonCode.PACKET_TOO_LARGE, "packet of " + packetSize
                            + " bytes exceeds the maximum packet size " + context.maximumPacketSize());
                }
                PacketType type = PacketType.ofValue(header >> 4);
                if ((type == PacketType.PINGREQ || type == PacketType.PINGRESP) && remainingLength != 0) {
                    throw PacketReader.malformed(type + " with a body");
                }
                state = READ_BODY;
                return true;
            }
            if (lengthBytes == 4) {
                throw PacketReader.malformed("Remaining Length longer than 4 bytes");
            }
        }
        return false;
    }

    /** The packet once its whole body is here, else null after buffering what came. */
    private MqttPacket readBody(ByteBuffer chunk) {
        if (partialLength == 0 && chunk.remaining() >= remainingLength) {
            int start = chunk.position();
            chunk.position(start + remainingLength);
            return decodeBody(reader.reset(chunk, start, start + remainingLength));
        }
        int take = Math.min(chunk.remaining(), remainingLength - partialLength);
        if (take == 0) {
            return null;
        }
        ensurePartialCapacity(partialLength + take);
        chunk.get(partial, partialLength, take);
        partialLength += take;
        if (partialLength < remainingLength) {
            return null;
        }
        MqttPacket packet = decodeBody(reader.reset(ByteBuffer.wrap(partial), 0, remainingLength));
        partialLength = 0;
        if (partial.length > RETAINED_BUFFER_LIMIT) {
            partial = null;
        }
        return packet;
    }

    /** Grows the partial buffer to hold bytes that have arrived: never beyond the packet, at most double. */
    private void ensurePartialCapacity(int needed) {
        int capacity = partial == null ? 0 : partial.length;
        if (needed <= capacity) {
            return;
        }
        int grown = Math.min(remainingLength, Math.max(needed, Math.max(256, capacity * 2)));
        byte[] next = new byte[grown];
        if (partialLength > 0) {
            System.arraycopy(partial, 0, next, 0, partialLength);
        }
        partial = next;
    }

    private MqttPacket decodeBody(PacketReader in) {
        PacketType type = PacketType.ofValue(header >> 4);
        DecodeContext ctx = context;
        MqttPacket packet = switch (type) {
            case CONNECT -> ConnectCodec.decode(in, ctx);
            case CONNACK -> ConnAckCodec.decode(in, ctx);
            case PUBLISH -> PublishCodec.decode(header & 0x0F, in, ctx);
            case PUBACK, PUBREC, PUBREL, PUBCOMP -> PublishAckCodec.decode(type, in, ctx);
            case SUBSCRIBE -> SubscribeCodec.decode(in, ctx);
            case SUBACK, UNSUBACK -> SubscribeAckCodec.decode(type, in, ctx);
            case UNSUBSCRIBE -> UnsubscribeCodec.decode(in, ctx);
            case PINGREQ -> PingReq.INSTANCE;
            case PINGRESP -> PingResp.INSTANCE;
            case DISCONNECT, AUTH -> DisconnectCodec.decode(type, in, ctx);
        };
        if (packet instanceof Connect connect && ctx.version() == null) {
            context = ctx.withVersion(connect.version());
        }
        return packet;
    }
}
