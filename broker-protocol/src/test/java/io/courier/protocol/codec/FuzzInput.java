package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One fuzz case: which decoder reads (side, version, maximum packet size), how the bytes reach
 * it (split points, kind of buffer), and the bytes. It travels as a flat array so that Jazzer can
 * mutate the set-up together with the stream, and so a failing case prints as one hex string
 * that can be pasted back into a regression test:
 *
 * <pre>
 * byte 0   bits 0-1  decoder: 0 server (learns the version from CONNECT), 1 client 3.1,
 *                    2 client 3.1.1, 3 client 5.0
 *          bits 2-3  maximum packet size: protocol maximum, 65,536, 128, 16
 *          bits 4-5  buffer: heap, heap slice at an offset, direct, read-only heap
 * byte 1             split seed: 0 hands the whole stream over at once; anything else seeds
 *                    the chunk lengths (empty chunks included)
 * byte 2..           the stream
 * </pre>
 */
record FuzzInput(Side side, MqttVersion version, int maximumPacketSize, BufferKind bufferKind,
                 int splitSeed, byte[] stream) {

    enum BufferKind { HEAP, HEAP_SLICE, DIRECT, READ_ONLY }

    private static final int[] MAXIMUM_PACKET_SIZES = {
        DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE, 65_536, 128, 16
    };
    /** Largest chunk per split seed (low three bits); several small ones find boundary bugs. */
    private static final int[] MAXIMUM_CHUNK = {1, 2, 3, 5, 8, 16, 64, 512};

    static FuzzInput parse(byte[] data) {
        int config = data.length > 0 ? data[0] & 0xFF : 0;
        int splitSeed = data.length > 1 ? data[1] & 0xFF : 0;
        byte[] stream = data.length > 2 ? Arrays.copyOfRange(data, 2, data.length) : new byte[0];
        int target = config & 0b11;
        Side side = target == 0 ? Side.SERVER : Side.CLIENT;
        MqttVersion version = switch (target) {
            case 1 -> MqttVersion.V3_1;
            case 2 -> MqttVersion.V3_1_1;
            case 3 -> MqttVersion.V5;
            default -> null;
        };
        return new FuzzInput(side, version, MAXIMUM_PACKET_SIZES[(config >> 2) & 0b11],
                BufferKind.values()[(config >> 4) & 0b11], splitSeed, stream);
    }

    /** A server decoder for {@code stream}, whole, with the protocol's maximum size. */
    static FuzzInput server(byte[] stream) {
        return parse(concat(new byte[] {0, 0}, stream));
    }

    /** A client decoder of this version for {@code stream}, whole, with the protocol's maximum. */
    static FuzzInput client(MqttVersion version, byte[] stream) {
        return parse(concat(new byte[] {(byte) targetBits(Side.CLIENT, version), 0}, stream));
    }

    FuzzInput withSplitSeed(int newSplitSeed) {
        return new FuzzInput(side, version, maximumPacketSize, bufferKind, newSplitSeed & 0xFF, stream);
    }

    FuzzInput withBufferKind(BufferKind kind) {
        return new FuzzInput(side, version, maximumPacketSize, kind, splitSeed, stream);
    }

    FuzzInput withMaximumSizeIndex(int index) {
        return new FuzzInput(side, version, MAXIMUM_PACKET_SIZES[index & 0b11], bufferKind, splitSeed, stream);
    }

    FuzzInput withTarget(Side newSide, MqttVersion newVersion) {
        return new FuzzInput(newSide, newSide == Side.SERVER ? null : newVersion, maximumPacketSize,
                bufferKind, splitSeed, stream);
    }

    FuzzInput withStream(byte[] newStream) {
        return new FuzzInput(side, version, maximumPacketSize, bufferKind, splitSeed, newStream);
    }

    /** The flat form {@link #parse} reads. */
    byte[] toBytes() {
        int sizeIndex = 0;
        for (int i = 0; i < MAXIMUM_PACKET_SIZES.length; i++) {
            if (MAXIMUM_PACKET_SIZES[i] == maximumPacketSize) {
                sizeIndex = i;
            }
        }
        int config = targetBits(side, version) | sizeIndex << 2 | bufferKind.ordinal() << 4;
        return concat(new byte[] {(byte) config, (byte) splitSeed}, stream);
    }

    DecodeContext context() {
        return side == Side.SERVER
                ? DecodeContext.server(maximumPacketSize)
                : DecodeContext.client(version, maximumPacketSize);
    }

    /** The stream cut into the chunks the decoder receives, in order. */
    List<ByteBuffer> chunks() {
        List<ByteBuffer> chunks = new ArrayList<>();
        if (splitSeed == 0) {
            chunks.add(buffer(stream, 0, stream.length));
            return chunks;
        }
        SplittableRandom random = new SplittableRandom(splitSeed);
        int maximumChunk = MAXIMUM_CHUNK[splitSeed & 0b111];
        int offset = 0;
        while (offset < stream.length) {
            int length = Math.min(random.nextInt(maximumChunk + 1), stream.length - offset);
            chunks.add(buffer(stream, offset, length));
            offset += length;
        }
        return chunks;
    }

    /** The whole stream in one buffer of the same kind (the reference the split run must match). */
    ByteBuffer wholeStream() {
        return buffer(stream, 0, stream.length);
    }

    private ByteBuffer buffer(byte[] source, int offset, int length) {
        return switch (bufferKind) {
            case HEAP -> ByteBuffer.wrap(Arrays.copyOfRange(source, offset, offset + length));
            case HEAP_SLICE -> {
                // Garbage on both sides and a non-zero array offset: a decoder that reads
                // array() without arrayOffset()/position() reads the garbage.
                byte[] padded = new byte[length + 14];
                Arrays.fill(padded, (byte) 0xEE);
                System.arraycopy(source, offset, padded, 7, length);
                yield ByteBuffer.wrap(padded, 3, length + 8).position(7).slice().limit(length);
            }
            case DIRECT -> ByteBuffer.allocateDirect(length).put(source, offset, length).flip();
            case READ_ONLY -> ByteBuffer.wrap(Arrays.copyOfRange(source, offset, offset + length)).asReadOnlyBuffer();
        };
    }

    private static int targetBits(Side side, MqttVersion version) {
        if (side == Side.SERVER) {
            return 0;
        }
        return switch (version) {
            case V3_1 -> 1;
            case V3_1_1 -> 2;
            case V5 -> 3;
        };
    }

    static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int offset = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, offset, p.length);
            offset += p.length;
        }
        return out;
    }

    @Override
    public String toString() {
        return "FuzzInput[" + side + (version == null ? "" : " " + version) + ", max "
                + maximumPacketSize + ", " + bufferKind + ", split " + splitSeed + ", "
                + stream.length + " bytes; replay as hex " + HexFormat.of().formatHex(toBytes()) + "]";
    }
}
