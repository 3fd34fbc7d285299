package io.courier.protocol.codec;

import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import java.nio.ByteBuffer;

/**
 * Reads the fields of one packet body: bytes [position, end) of a buffer, by absolute index so
 * the buffer itself is left alone. Every read checks the end, so a length that lies about the
 * body becomes a Malformed Packet rejection, never an IndexOutOfBoundsException.
 */
final class PacketReader {

    private ByteBuffer buf;
    private int position;
    private int end;

    PacketReader(ByteBuffer buf, int position, int end) {
        reset(buf, position, end);
    }

    /** Points this reader at another body, so one decoder needs one reader, not one per packet. */
    PacketReader reset(ByteBuffer newBuf, int newPosition, int newEnd) {
        this.buf = newBuf;
        this.position = newPosition;
        this.end = newEnd;
        return this;
    }

    int remaining() {
        return end - position;
    }

    boolean hasRemaining() {
        return position < end;
    }

    int position() {
        return position;
    }

    int end() {
        return end;
    }

    /** Narrows or restores the end (used while reading a property list of known length). */
    void end(int newEnd) {
        this.end = newEnd;
    }

    int readByte() {
        need(1);
        return buf.get(position++) & 0xFF;
    }

    int readTwoByteInteger() {
        need(2);
        int v = buf.getShort(position) & 0xFFFF;
        position += 2;
        return v;
    }

    long readFourByteInteger() {
        need(4);
        long v = buf.getInt(position) & 0xFFFF_FFFFL;
        position += 4;
        return v;
    }

    /** A Variable Byte Integer (1.5.5): at most 4 bytes, in its shortest form [MQTT-1.5.5-1]. */
    int readVariableByteInteger() {
        int value = 0;
        for (int i = 0; i < 4; i++) {
            int b = readByte();
            value |= (b & 0x7F) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw malformed("Variable Byte Integer not in its shortest form [MQTT-1.5.5-1]");
                }
                return value;
            }
        }
        throw malformed("Variable Byte Integer longer than 4 bytes");
    }

    /** A 5.0 reason code, which must be one the spec defines for this packet (else malformed). */
    ReasonCode readReasonCode(PacketType type) {
        int code = readByte();
        ReasonCode rc = ReasonCode.forPacket(type, code);
        if (rc == null) {
            throw malformed("0x" + Integer.toHexString(code) + " is not a " + type + " reason code");
        }
        return rc;
    }

    String readUtf8String() {
        int length = readTwoByteInteger();
        need(length);
        String s = Utf8.decode(buf, position, length);
        position += length;
        return s;
    }

    /** Binary Data (1.5.6): a two-byte length and that many bytes, copied out. */
    byte[] readBinary() {
        return readBytes(readTwoByteInteger());
    }

    byte[] readBytes(int length) {
        need(length);
        byte[] out = new byte[length];
        buf.get(position, out);
        position += length;
        return out;
    }

    /** The rest of the body (a PUBLISH payload, a 3.x will payload never: that one has a length). */
    byte[] readRest() {
        return readBytes(end - position);
    }

    /** Rejects bytes left over after the fields a packet defines. */
    void expectEnd(String what) {
        if (position != end) {
            throw malformed(what + " has " + (end - position) + " unexpected trailing bytes");
        }
    }

    private void need(int n) {
        if (n > end - position) {
            throw malformed("packet ends inside a field (needs " + n + " bytes, has " + (end - position) + ")");
        }
    }

    static DecodeException malformed(String message) {
        return new DecodeException(ReasonCode.MALFORMED_PACKET, message);
    }

    static DecodeException protocolError(String message) {
        return new DecodeException(ReasonCode.PROTOCOL_ERROR, message);
    }
}
