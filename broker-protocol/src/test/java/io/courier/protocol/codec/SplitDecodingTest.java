package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decoder's first promise: bytes may be split anywhere and the packets come out the same,
 * in order, each as soon as its last byte has arrived, with nothing left over at the end. Each
 * stream is every sample of one version and direction, back to back: client to server (CONNECT
 * first) through a server decoder, server to client through a client decoder.
 */
class SplitDecodingTest {

    private static final int NO_LIMIT = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    /**
     * Packets up to this size are split at every one of their bytes inside one whole stream.
     * Larger ones (4 KiB and 200 KiB payloads, the 65,535-byte topic, 16 KiB lengths) are split
     * in windows, because splitting a 300 KiB stream at each of its 300,000 positions would decode
     * 90 GB; see {@link #splitAtEveryPositionNearTheEdgesOfEachLargePacket}.
     */
    private static final int SMALL_PACKET = 2048;

    /** Around a large packet's edges every position is a split; in between every this many. */
    private static final int EDGE = 256;
    private static final int STRIDE = 4093;

    private static final long SEED = 0x5EED_C0DEL;

    /** One version and direction: its samples and their encodings. */
    record SampleStream(MqttVersion version, boolean clientToServer, List<MqttPacket> packets, List<byte[]> encoded) {

        static SampleStream of(MqttVersion version, boolean clientToServer) {
            List<MqttPacket> packets = clientToServer
                    ? PacketSamples.clientToServer(version) : PacketSamples.serverToClient(version);
            return new SampleStream(version, clientToServer, packets,
                    packets.stream().map(p -> MqttEncoder.encode(p, version)).toList());
        }

        MqttDecoder newDecoder() {
            return new MqttDecoder(clientToServer
                    ? DecodeContext.server(NO_LIMIT) : DecodeContext.client(version, NO_LIMIT));
        }

        /** The same direction restricted to the packets at these indexes (index 0 kept for a server). */
        SampleStream only(List<Integer> indexes) {
            List<MqttPacket> p = new ArrayList<>();
            List<byte[]> e = new ArrayList<>();
            if (clientToServer && indexes.get(0) != 0) {
                p.add(packets.get(0)); // the CONNECT a server needs first [MQTT-3.1.0-1]
                e.add(encoded.get(0));
            }
            for (int i : indexes) {
                p.add(packets.get(i));
                e.add(encoded.get(i));
            }
            return new SampleStream(version, clientToServer, p, e);
        }

        byte[] bytes() {
            int n = encoded.stream().mapToInt(b -> b.length).sum();
            byte[] out = new byte[n];
            int at = 0;
            for (byte[] b : encoded) {
                System.arraycopy(b, 0, out, at, b.length);
                at += b.length;
            }
            return out;
        }

        /** ends()[k] is the stream offset just past packet k. */
        int[] ends() {
            int[] ends = new int[encoded.size()];
            int at = 0;
            for (int k = 0; k < ends.length; k++) {
                at += encoded.get(k).length;
                ends[k] = at;
            }
            return ends;
        }
    }

    static Stream<Arguments> streams() {
        return Arrays.stream(MqttVersion.values()).flatMap(v -> Stream.of(true, false).map(c2s ->
                Arguments.of(Named.of(v + (c2s ? " client->server (server decoder)" : " server->client (client decoder)"),
                        SampleStream.of(v, c2s)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void wholeStreamInOneChunk(SampleStream s) {
        MqttDecoder decoder = s.newDecoder();
        List<MqttPacket> decoded = new ArrayList<>();

        feed(decoder, ByteBuffer.wrap(s.bytes()), decoded);

        assertSamePackets(s.packets(), decoded);
        assertEquals(0, decoder.bufferedBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splitInTwoAtEveryBytePosition(SampleStream all) {
        List<Integer> small = new ArrayList<>();
        for (int k = 0; k < all.packets().size(); k++) {
            if (all.encoded().get(k).length <= SMALL_PACKET) {
                small.add(k);
            }
        }
        SampleStream s = all.only(small);
        assertTrue(s.packets().size() > 20, "most samples are small");
        byte[] bytes = s.bytes();

        for (int split = 0; split <= bytes.length; split++) {
            splitOnceAndCheck(s, bytes, split);
        }
    }

    /**
     * Each packet above {@link #SMALL_PACKET} bytes sits between its neighbours and is split at
     * every position of its first and last {@link #EDGE} bytes (fixed header, topic, packet id,
     * properties; the last payload bytes) and every {@link #STRIDE} bytes in between, where only
     * payload or topic bytes lie and every split takes the same path.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void splitAtEveryPositionNearTheEdgesOfEachLargePacket(SampleStream all) {
        int large = 0;
        for (int k = 0; k < all.packets().size(); k++) {
            int size = all.encoded().get(k).length;
            if (size <= SMALL_PACKET) {
                continue;
            }
            large++;
            List<Integer> window = new ArrayList<>();
            nearestSmall(all, k, -1).ifPresent(window::add);
            window.add(k);
            nearestSmall(all, k, +1).ifPresent(window::add);
            SampleStream s = all.only(window);
            byte[] bytes = s.bytes();
            int[] ends = s.ends();
            int end = ends[s.packets().lastIndexOf(all.packets().get(k))];
            int start = end - size;
            for (int split = start; split <= end; split++) {
                int into = split - start;
                if (into <= EDGE || end - split <= EDGE || into % STRIDE == 0) {
                    splitOnceAndCheck(s, bytes, split);
                }
            }
        }
        assertTrue(large >= 4, "the samples hold large packets: " + large);
    }

    /** The index of the nearest packet of at most {@link #SMALL_PACKET} bytes in a direction. */
    private static OptionalInt nearestSmall(SampleStream s, int from, int step) {
        for (int k = from + step; k >= 0 && k < s.packets().size(); k += step) {
            if (s.encoded().get(k).length <= SMALL_PACKET) {
                return OptionalInt.of(k);
            }
        }
        return OptionalInt.empty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void oneByteAtATime(SampleStream s) {
        byte[] bytes = s.bytes();
        int[] ends = s.ends();
        MqttDecoder decoder = s.newDecoder();
        List<MqttPacket> decoded = new ArrayList<>();
        int lastEnd = 0;

        for (int i = 0; i < bytes.length; i++) {
            feed(decoder, ByteBuffer.wrap(bytes, i, 1), decoded);

            int complete = completePackets(ends, i + 1);
            if (decoded.size() != complete) {
                fail("after byte " + i + ": " + decoded.size() + " packets out, " + complete + " complete");
            }
            if (complete > 0) {
                lastEnd = ends[complete - 1];
            }
            int held = decoder.bufferedBytes();
            if (held > i + 1 - lastEnd) {
                fail("after byte " + i + ": " + held + " bytes buffered, only " + (i + 1 - lastEnd)
                        + " of the current packet arrived");
            }
        }

        assertSamePackets(s.packets(), decoded);
        assertEquals(0, decoder.bufferedBytes());
    }

    /** Random chunk sizes, alternately in heap slices and direct buffers (as a socket hands them). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("streams")
    void randomChunkSizesWithAFixedSeed(SampleStream s) {
        byte[] bytes = s.bytes();
        int[] ends = s.ends();
        for (int round = 0; round < 20; round++) {
            Random random = new Random(SEED + round);
            MqttDecoder decoder = s.newDecoder();
            List<MqttPacket> decoded = new ArrayList<>();
            int at = 0;
            int chunks = 0;
            while (at < bytes.length) {
                int size = Math.min(bytes.length - at, chunkSize(random));
                ByteBuffer chunk = chunks++ % 2 == 0
                        ? ByteBuffer.wrap(bytes, 0, at + size).position(at).slice()
                        : ByteBuffer.allocateDirect(size).put(bytes, at, size).flip();
                feed(decoder, chunk, decoded);
                at += size;
                assertEquals(completePackets(ends, at), decoded.size(),
                        "round " + round + ": packets out after " + at + " bytes");
            }
            assertSamePackets(s.packets(), decoded);
            assertEquals(0, decoder.bufferedBytes(), "round " + round);
        }
    }

    /** Mostly small chunks (across headers), some the size of a socket read, a few huge. */
    private static int chunkSize(Random random) {
        int kind = random.nextInt(10);
        if (kind < 5) {
            return 1 + random.nextInt(16);
        } else if (kind < 9) {
            return 1 + random.nextInt(8192);
        }
        return 1 + random.nextInt(300_000);
    }

    private static void splitOnceAndCheck(SampleStream s, byte[] bytes, int split) {
        MqttDecoder decoder = s.newDecoder();
        List<MqttPacket> decoded = new ArrayList<>();
        int[] ends = s.ends();

        feed(decoder, ByteBuffer.wrap(bytes, 0, split), decoded);
        if (decoded.size() != completePackets(ends, split)) {
            fail("split at " + split + ": " + decoded.size() + " packets from the first chunk, "
                    + completePackets(ends, split) + " complete in it");
        }
        feed(decoder, ByteBuffer.wrap(bytes, split, bytes.length - split), decoded);

        if (!decoded.equals(s.packets()) || decoder.bufferedBytes() != 0) {
            assertSamePackets(s.packets(), decoded);
            assertEquals(0, decoder.bufferedBytes(), "split at " + split);
        }
    }

    /** Decodes one chunk and checks it was consumed to its limit, as the decoder promises. */
    private static void feed(MqttDecoder decoder, ByteBuffer chunk, List<MqttPacket> out) {
        decoder.decode(chunk, out::add);
        assertFalse(chunk.hasRemaining(), "the decoder leaves no byte of a chunk unread");
    }

    private static int completePackets(int[] ends, int fed) {
        int n = 0;
        while (n < ends.length && ends[n] <= fed) {
            n++;
        }
        return n;
    }

    /** Equality packet by packet, naming the first that differs instead of printing them all. */
    private static void assertSamePackets(List<MqttPacket> expected, List<MqttPacket> actual) {
        for (int k = 0; k < Math.min(expected.size(), actual.size()); k++) {
            assertEquals(expected.get(k), actual.get(k),
                    "packet " + k + " (" + PacketSamples.describe(expected.get(k)) + ")");
        }
        assertEquals(expected.size(), actual.size(), "packets decoded");
    }
}
