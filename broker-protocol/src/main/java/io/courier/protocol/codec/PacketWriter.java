package io.courier.protocol.codec;

import java.nio.ByteBuffer;

/** Writes the primitive wire types (spec 1.5) and knows their sizes. */
final class PacketWriter {

    private PacketWriter() {
    }

    /** The largest remaining length a fixed header can express (spec 2.1.4). */
    static final int MAX_REMAINING_LENGTH = 268_435_455;

    static int variableByteIntegerSize(int value) {
        if (value < 0x80) {
            return 1;
        }
        if (value < 0x4000) {
            return 2;
        }
        if (value < 0x20_0000) {
            return 3;
        }
        return 4;
    }

    static void writeVariableByteInteger(ByteBuffer out, int value) {
        do {
            int b = value & 0x7F;
            value >>>= 7;
            out.put((byte) (value > 0 ? b | 0x80 : b));
        } while (value > 0);
    }

    /** Fixed header: type and flags, then the remaining length. */
    static void writeFixedHeader(ByteBuffer out, int typeAndFlags, int remainingLength) {
        out.put((byte) typeAndFlags);
        writeVariableByteInteger(out, remainingLength);
    }

    /** Whole packet size for a body of this length; refuses bodies the protocol cannot carry. */
    static int packetSize(int remainingLength) {
        if (remainingLength > MAX_REMAINING_LENGTH) {
            throw new IllegalArgumentException("packet body of " + remainingLength
                    + " bytes exceeds the protocol's 268,435,455");
        }
        return 1 + variableByteIntegerSize(remainingLength) + remainingLength;
    }

    static int binarySize(byte[] data) {
        if (data.length > 0xFFFF) {
            throw new IllegalArgumentException("binary data longer than 65,535 bytes");
        }
        return 2 + data.length;
    }

    static void writeBinary(ByteBuffer out, byte[] data) {
        out.putShort((short) data.length);
        out.put(data);
    }

    /** Size of a length-prefixed UTF-8 string. */
    static int stringSize(String s) {
        return 2 + Utf8.encodedLength(s);
    }

    static void writeString(ByteBuffer out, String s) {
        Utf8.write(out, s);
    }
}
