package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a valid seed into a nearly valid case, the kind that reaches deep into the decoder
 * before something is wrong. Deterministic: the same random source gives the same cases, so a
 * failure in CI replays on any machine with the same {@code -Dfuzz.seed}.
 *
 * <p>The operators are the classic ones (bit flips, interesting bytes, range insert / delete /
 * duplicate, splicing, truncation) plus two that know MQTT: rewriting a packet's Remaining
 * Length (too small, too large, not in shortest form, five bytes long) and rewriting a two-byte
 * big-endian length at any offset, which is where strings, binary data and property lengths
 * are. One to four operators are stacked on each case.
 */
final class ByteMutator {

    /** The values most likely to cross a boundary: zero, the sign bit, the VBI continuation bit, all ones. */
    private static final byte[] INTERESTING = {0x00, 0x7F, (byte) 0x80, (byte) 0xFF};

    /** Remaining-length encodings a peer might send; the last three are malformed [MQTT-1.5.5-1]. */
    private static final byte[][] REMAINING_LENGTHS = {
        {0x00},                                             // 0
        {0x7F},                                             // 127, the largest one-byte value
        {(byte) 0x80, 0x01},                                // 128, the smallest two-byte value
        {(byte) 0xFF, 0x7F},                                // 16,383
        {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},      // 268,435,455, the protocol's maximum
        {(byte) 0x80, 0x00},                                // 0 not in its shortest form
        {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01}, // five bytes
        {(byte) 0x80}                                       // continuation bit and then nothing
    };

    private static final MqttVersion[] VERSIONS = MqttVersion.values();

    private final List<FuzzSeeds.Seed> seeds;
    private final SplittableRandom random;

    ByteMutator(List<FuzzSeeds.Seed> seeds, long randomSeed) {
        this.seeds = List.copyOf(seeds);
        this.random = new SplittableRandom(randomSeed);
    }

    /** The next case: a mutated seed, a random split, now and then another decoder or size. */
    FuzzInput next() {
        FuzzSeeds.Seed seed = seeds.get(random.nextInt(seeds.size()));
        byte[] stream;
        if (random.nextInt(64) == 0) {
            stream = randomBytes(random.nextInt(64)); // plain noise, rarely: it mostly dies at byte 0
        } else {
            stream = seed.stream();
            int operators = 1 + random.nextInt(4);
            for (int i = 0; i < operators; i++) {
                stream = mutate(stream, seed);
            }
        }
        FuzzInput input = seed.input().withStream(stream).withSplitSeed(random.nextInt(256));
        input = input.withBufferKind(FuzzInput.BufferKind.values()[random.nextInt(4)]);
        if (random.nextInt(4) == 0) {
            input = input.withMaximumSizeIndex(random.nextInt(4));
        }
        if (random.nextInt(8) == 0) {
            // Bytes meant for one version or direction read by another decoder.
            boolean server = random.nextBoolean();
            input = input.withTarget(server ? Side.SERVER : Side.CLIENT, VERSIONS[random.nextInt(VERSIONS.length)]);
        }
        return input;
    }

    private byte[] mutate(byte[] stream, FuzzSeeds.Seed seed) {
        if (stream.length == 0) {
            return randomBytes(1 + random.nextInt(8));
        }
        return switch (random.nextInt(10)) {
            case 0 -> flipBits(stream);
            case 1 -> replaceWithInterestingByte(stream);
            case 2 -> insertRange(stream);
            case 3 -> deleteRange(stream);
            case 4 -> duplicateRange(stream);
            case 5 -> splice(stream);
            case 6 -> truncate(stream);
            case 7 -> rewriteRemainingLength(stream, seed);
            case 8 -> rewriteTwoByteLength(stream);
            default -> replaceWithRandomByte(stream);
        };
    }

    private byte[] flipBits(byte[] stream) {
        byte[] out = stream.clone();
        int flips = 1 + random.nextInt(4);
        for (int i = 0; i < flips; i++) {
            out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
        }
        return out;
    }

    private byte[] replaceWithInterestingByte(byte[] stream) {
        byte[] out = stream.clone();
        out[random.nextInt(out.length)] = INTERESTING[random.nextInt(INTERESTING.length)];
        return out;
    }

    private byte[] replaceWithRandomByte(byte[] stream) {
        byte[] out = stream.clone();
        out[random.nextInt(out.length)] = (byte) random.nextInt(256);
        return out;
    }

    /** Inserts random bytes or a copy of a range of the stream itself. */
    private byte[] insertRange(byte[] stream) {
        int at = random.nextInt(stream.length + 1);
        byte[] inserted;
        if (random.nextBoolean()) {
            inserted = randomBytes(1 + random.nextInt(16));
        } else {
            int from = random.nextInt(stream.length);
            inserted = Arrays.copyOfRange(stream, from, from + 1 + random.nextInt(stream.length - from));
        }
        return FuzzInput.concat(Arrays.copyOfRange(stream, 0, at), inserted,
                Arrays.copyOfRange(stream, at, stream.length));
    }

    private byte[] deleteRange(byte[] stream) {
        int from = random.nextInt(stream.length);
        int to = from + 1 + random.nextInt(Math.min(16, stream.length - from));
        return FuzzInput.concat(Arrays.copyOfRange(stream, 0, from), Arrays.copyOfRange(stream, to, stream.length));
    }

    /** Repeats a range right after itself (a repeated property, field or packet). */
    private byte[] duplicateRange(byte[] stream) {
        int from = random.nextInt(stream.length);
        int to = from + 1 + random.nextInt(stream.length - from);
        return FuzzInput.concat(Arrays.copyOfRange(stream, 0, to), Arrays.copyOfRange(stream, from, stream.length));
    }

    /** A prefix of this stream followed by a suffix of another seed's. */
    private byte[] splice(byte[] stream) {
        byte[] other = seeds.get(random.nextInt(seeds.size())).stream();
        int cut = random.nextInt(stream.length + 1);
        int otherCut = random.nextInt(other.length + 1);
        return FuzzInput.concat(Arrays.copyOfRange(stream, 0, cut), Arrays.copyOfRange(other, otherCut, other.length));
    }

    private byte[] truncate(byte[] stream) {
        return Arrays.copyOf(stream, random.nextInt(stream.length));
    }

    /**
     * Rewrites the Remaining Length of one of the seed's packets. Earlier operators may have
     * moved things, so this aims at where the packet started; the result is nearly always a
     * length that disagrees with the bytes, which is the point.
     */
    private byte[] rewriteRemainingLength(byte[] stream, FuzzSeeds.Seed seed) {
        int[] starts = seed.packetStarts();
        int start = starts[random.nextInt(starts.length)];
        if (start + 1 >= stream.length) {
            return flipBits(stream);
        }
        int oldLengthBytes = 1;
        while (start + oldLengthBytes < stream.length && oldLengthBytes < 4
                && (stream[start + oldLengthBytes] & 0x80) != 0) {
            oldLengthBytes++;
        }
        byte[] newLength;
        if (random.nextBoolean()) {
            newLength = REMAINING_LENGTHS[random.nextInt(REMAINING_LENGTHS.length)];
        } else {
            int old = stream[start + 1] & 0x7F;
            newLength = encodeVariableByteInteger(Math.max(0, old + random.nextInt(7) - 3));
        }
        int tail = Math.min(stream.length, start + 1 + oldLengthBytes);
        return FuzzInput.concat(Arrays.copyOfRange(stream, 0, start + 1), newLength,
                Arrays.copyOfRange(stream, tail, stream.length));
    }

    /** Overwrites two bytes anywhere with a big-endian length near a boundary. */
    private byte[] rewriteTwoByteLength(byte[] stream) {
        if (stream.length < 2) {
            return flipBits(stream);
        }
        byte[] out = stream.clone();
        int at = random.nextInt(out.length - 1);
        int old = (out[at] & 0xFF) << 8 | out[at + 1] & 0xFF;
        int value = switch (random.nextInt(4)) {
            case 0 -> 0;
            case 1 -> 0xFFFF;
            case 2 -> 0x8000;
            default -> (old + random.nextInt(7) - 3) & 0xFFFF;
        };
        out[at] = (byte) (value >> 8);
        out[at + 1] = (byte) value;
        return out;
    }

    private byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return bytes;
    }

    private static byte[] encodeVariableByteInteger(int value) {
        byte[] buffer = new byte[4];
        int length = 0;
        do {
            int digit = value % 128;
            value /= 128;
            buffer[length++] = (byte) (value > 0 ? digit | 0x80 : digit);
        } while (value > 0 && length < 4);
        return Arrays.copyOf(buffer, length);
    }
}
