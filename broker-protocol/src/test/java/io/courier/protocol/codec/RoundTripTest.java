package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Publish;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@link PacketSamples} sample, in every version, survives encode then decode, and the
 * encoder's three entry points agree with each other. Client-to-server samples go through a
 * server decoder that has seen the version's CONNECT (the first sample) as a server would;
 * server-to-client samples through a client decoder that knows the version.
 */
class RoundTripTest {

    private static final int NO_LIMIT = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    static Stream<Arguments> clientToServer() {
        return samples(true);
    }

    static Stream<Arguments> serverToClient() {
        return samples(false);
    }

    static Stream<Arguments> bothDirections() {
        return Stream.concat(samples(true), samples(false));
    }

    private static Stream<Arguments> samples(boolean clientToServer) {
        return Arrays.stream(MqttVersion.values()).flatMap(version -> {
            List<MqttPacket> list = clientToServer
                    ? PacketSamples.clientToServer(version) : PacketSamples.serverToClient(version);
            String direction = clientToServer ? "client->server" : "server->client";
            return list.stream().map(p -> Arguments.of(version,
                    Named.of(direction + " " + PacketSamples.describe(p), p)));
        });
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("clientToServer")
    void clientToServerPacketDecodesToItselfOnAServer(MqttVersion version, MqttPacket packet) {
        MqttDecoder server = new MqttDecoder(DecodeContext.server(NO_LIMIT));
        if (!(packet instanceof Connect)) {
            // The first packet a server accepts is CONNECT [MQTT-3.1.0-1]; it also sets the version.
            MqttPacket connect = PacketSamples.clientToServer(version).get(0);
            assertEquals(List.of(connect), server.decode(MqttEncoder.encode(connect, version)));
        }

        List<MqttPacket> decoded = server.decode(MqttEncoder.encode(packet, version));

        assertEquals(List.of(packet), decoded);
        assertEquals(0, server.bufferedBytes());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("serverToClient")
    void serverToClientPacketDecodesToItselfOnAClient(MqttVersion version, MqttPacket packet) {
        MqttDecoder client = new MqttDecoder(DecodeContext.client(version, NO_LIMIT));

        List<MqttPacket> decoded = client.decode(MqttEncoder.encode(packet, version));

        assertEquals(List.of(packet), decoded);
        assertEquals(0, client.bufferedBytes());
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bothDirections")
    void encodedSizeIsTheLengthOfTheEncodedArray(MqttVersion version, MqttPacket packet) {
        byte[] bytes = MqttEncoder.encode(packet, version);

        assertEquals(bytes.length, MqttEncoder.encodedSize(packet, version));
        assertEquals(packet.type().value(), (bytes[0] & 0xFF) >>> 4, "packet type in the fixed header");
        assertEquals(bytes.length, 1 + lengthOfRemainingLength(bytes) + remainingLength(bytes),
                "the remaining length announces exactly the bytes that follow it (2.1.4)");
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bothDirections")
    void encodingIntoAHeapBufferAtAnOffsetWritesTheSameBytes(MqttVersion version, MqttPacket packet) {
        byte[] expected = MqttEncoder.encode(packet, version);
        // A slice of a larger array: arrayOffset() is 3 and position() is 5, so a writer that
        // ignores either lands at the wrong index.
        byte[] backing = new byte[3 + 5 + expected.length + 7];
        Arrays.fill(backing, (byte) 0xA5);
        ByteBuffer out = ByteBuffer.wrap(backing, 3, backing.length - 3).slice();
        out.position(5);

        int written = MqttEncoder.encode(packet, version, out);

        assertEquals(expected.length, written);
        assertEquals(5 + expected.length, out.position(), "position moves past what was written");
        assertArrayEquals(expected, Arrays.copyOfRange(backing, 8, 8 + expected.length));
        assertUntouched(backing, 0, 8);
        assertUntouched(backing, 8 + expected.length, backing.length);
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("bothDirections")
    void encodingIntoADirectBufferAtAnOffsetWritesTheSameBytes(MqttVersion version, MqttPacket packet) {
        byte[] expected = MqttEncoder.encode(packet, version);
        ByteBuffer out = ByteBuffer.allocateDirect(11 + expected.length + 4);
        while (out.hasRemaining()) {
            out.put((byte) 0xA5);
        }
        out.position(11);

        int written = MqttEncoder.encode(packet, version, out);

        assertEquals(expected.length, written);
        assertEquals(11 + expected.length, out.position(), "position moves past what was written");
        byte[] all = new byte[out.capacity()];
        out.get(0, all);
        assertArrayEquals(expected, Arrays.copyOfRange(all, 11, 11 + expected.length));
        assertUntouched(all, 0, 11);
        assertUntouched(all, 11 + expected.length, all.length);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttVersion.class)
    @DisplayName("the two directions together cover every packet type of the version")
    void samplesCoverEveryPacketTypeOfTheVersion(MqttVersion version) {
        Set<PacketType> covered = Stream.concat(
                        PacketSamples.clientToServer(version).stream(), PacketSamples.serverToClient(version).stream())
                .map(MqttPacket::type)
                .collect(Collectors.toCollection(() -> EnumSet.noneOf(PacketType.class)));
        Set<PacketType> expected = EnumSet.allOf(PacketType.class);
        if (!version.isV5()) {
            expected.remove(PacketType.AUTH); // AUTH exists from 5.0 on (3.15)
        }
        assertEquals(expected, covered);
        assertTrue(PacketSamples.clientToServer(version).get(0) instanceof Connect, "CONNECT comes first");
    }

    /**
     * Remaining lengths on each side of a Variable Byte Integer length step (1.5.5, table 1-1):
     * the fixed header grows by one byte at 128, 16,384 and 2,097,152. Expected sizes and length
     * bytes are worked out from the spec, not taken from the encoder.
     */
    @ParameterizedTest(name = "{0} remaining length {1}")
    @MethodSource("remainingLengthSteps")
    @DisplayName("[MQTT-1.5.5-1] remaining length uses the fewest bytes at every length step")
    void remainingLengthUsesTheFewestBytes(MqttVersion version, int remainingLength, byte[] lengthBytes) {
        Publish publish = PacketSamples.publishWithRemainingLength(version, remainingLength);

        byte[] bytes = MqttEncoder.encode(publish, version);

        assertEquals(1 + lengthBytes.length + remainingLength, MqttEncoder.encodedSize(publish, version));
        assertEquals(1 + lengthBytes.length + remainingLength, bytes.length);
        assertEquals(0x30, bytes[0] & 0xFF, "PUBLISH, DUP 0, QoS 0, RETAIN 0");
        assertArrayEquals(lengthBytes, Arrays.copyOfRange(bytes, 1, 1 + lengthBytes.length));
        MqttDecoder client = new MqttDecoder(DecodeContext.client(version, NO_LIMIT));
        assertEquals(List.of(publish), client.decode(bytes));
    }

    static Stream<Arguments> remainingLengthSteps() {
        return Stream.of(MqttVersion.V3_1_1, MqttVersion.V5).flatMap(v -> Stream.of(
                Arguments.of(v, 127, new byte[] {0x7F}),                                  // 127
                Arguments.of(v, 128, new byte[] {(byte) 0x80, 0x01}),                     // 0 + 1*128
                Arguments.of(v, 16_383, new byte[] {(byte) 0xFF, 0x7F}),                  // 127 + 127*128
                Arguments.of(v, 16_384, new byte[] {(byte) 0x80, (byte) 0x80, 0x01}),     // 1*128^2
                Arguments.of(v, 2_097_151, new byte[] {(byte) 0xFF, (byte) 0xFF, 0x7F}),  // 128^3 - 1
                Arguments.of(v, 2_097_152,                                                // 1*128^3
                        new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 0x01})));
    }

    private static void assertUntouched(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals((byte) 0xA5, bytes[i], "byte " + i + " outside the packet was overwritten");
        }
    }

    /** Reads the Variable Byte Integer after the first byte (1.5.5). */
    private static int remainingLength(byte[] packet) {
        int value = 0;
        for (int i = 1, shift = 0; i < 5; i++, shift += 7) {
            value |= (packet[i] & 0x7F) << shift;
            if ((packet[i] & 0x80) == 0) {
                return value;
            }
        }
        throw new AssertionError("remaining length longer than 4 bytes");
    }

    private static int lengthOfRemainingLength(byte[] packet) {
        int n = 1;
        while ((packet[n] & 0x80) != 0) {
            n++;
        }
        assertFalse(n > 4, "remaining length longer than 4 bytes");
        return n;
    }
}
