package io.courier.protocol.codec;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The fixed header's Remaining Length (2.1.4) is the one number a peer can use to make us hold
 * memory, so it is judged the moment it is read: against the negotiated Maximum Packet Size
 * (0x95), and for its own form (at most four bytes, shortest form: 0x81). A body that is allowed
 * is buffered only as its bytes arrive. Also here: a server decoder switches to the CONNECT's
 * version for the very next packet, even inside the same chunk.
 *
 * <p>All fixtures are written by hand from the spec.
 */
class MaximumPacketSizeTest {

    private static final int ONE_MIB = 1 << 20;
    private static final int NO_LIMIT = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    /** 3.1.1 CONNECT, clean session, keep alive 60, client id "c". */
    private static final byte[] CONNECT_V311 = {
        0x10,                         // CONNECT
        0x0D,                         // remaining length 13
        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
        0x04,                         // protocol level 4 (3.1.1)
        0x02,                         // connect flags: Clean Session
        0x00, 0x3C,                   // keep alive 60
        0x00, 0x01, 'c'               // client identifier "c"
    };

    /** 5.0 CONNECT, clean start, keep alive 60, no properties, client id "c". */
    private static final byte[] CONNECT_V5 = {
        0x10,                         // CONNECT
        0x0E,                         // remaining length 14
        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
        0x05,                         // protocol level 5
        0x02,                         // connect flags: Clean Start
        0x00, 0x3C,                   // keep alive 60
        0x00,                         // property length 0
        0x00, 0x01, 'c'               // client identifier "c"
    };

    // ---------------------------------------------------------------- 0x95 packet too large

    /** Decoders that must refuse a huge length, each with the first byte of a packet it would accept. */
    static Stream<Arguments> decodersAndTheirFirstByte() {
        return Stream.of(
                Arguments.of(Named.of("client decoder, PUBLISH", (Supplier<MqttDecoder>) () ->
                        new MqttDecoder(DecodeContext.client(MqttVersion.V5, ONE_MIB))), (byte) 0x30),
                Arguments.of(Named.of("fresh server decoder, CONNECT", (Supplier<MqttDecoder>) () ->
                        new MqttDecoder(DecodeContext.server(ONE_MIB))), (byte) 0x10),
                Arguments.of(Named.of("server decoder after CONNECT, PUBLISH", (Supplier<MqttDecoder>) () -> {
                    MqttDecoder d = new MqttDecoder(DecodeContext.server(ONE_MIB));
                    d.decode(CONNECT_V311.clone());
                    return d;
                }), (byte) 0x30));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodersAndTheirFirstByte")
    @DisplayName("a remaining length of 268,435,455 under a 1 MiB limit is 0x95 with no body sent")
    void largestRemainingLengthWithNothingAfterItIsTooLarge(Supplier<MqttDecoder> decoders, byte first) {
        MqttDecoder decoder = decoders.get();
        byte[] header = {
            first,                                            // packet type and flags
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F       // remaining length 268,435,455
        };

        assertRejected(ReasonCode.PACKET_TOO_LARGE, decoder, header);
        assertTrue(decoder.bufferedBytes() <= header.length, "buffered " + decoder.bufferedBytes());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decodersAndTheirFirstByte")
    @DisplayName("a remaining length of 268,435,455 followed by a few body bytes is 0x95")
    void largestRemainingLengthWithAFewBytesAfterItIsTooLarge(Supplier<MqttDecoder> decoders, byte first) {
        MqttDecoder decoder = decoders.get();
        byte[] bytes = {
            first,                                            // packet type and flags
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F,      // remaining length 268,435,455
            0x00, 0x01, 't'                                   // the first body bytes
        };

        assertRejected(ReasonCode.PACKET_TOO_LARGE, decoder, bytes);
        assertTrue(decoder.bufferedBytes() <= bytes.length, "buffered " + decoder.bufferedBytes());
    }

    @Test
    @DisplayName("0x95 comes no later than the byte that completes the remaining length")
    void tooLargeIsRaisedByTheLastLengthByteNotTheBody() {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V3_1_1, ONE_MIB));
        byte[] header = {
            0x30,                                             // PUBLISH, QoS 0
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F       // remaining length 268,435,455
        };
        List<MqttPacket> out = new ArrayList<>();

        DecodeException e = assertThrows(DecodeException.class, () -> {
            for (byte b : header) {
                decoder.decode(ByteBuffer.wrap(new byte[] {b}), out::add);
            }
        });

        assertEquals(ReasonCode.PACKET_TOO_LARGE, e.reasonCode());
        assertEquals(List.of(), out);
        assertTrue(decoder.bufferedBytes() <= header.length, "buffered " + decoder.bufferedBytes());
    }

    /**
     * A QoS 0 PUBLISH on topic "t" of exactly 1 MiB in all (1 + 3 + 1,048,572), hand-built.
     * Remaining length 1,048,572 = 124 + 127*128 + 63*128^2: bytes FC FF 3F.
     */
    private static byte[] publishOfOneMebibyte(MqttVersion version) {
        byte[] head = version.isV5()
                ? new byte[] {
                    0x30,                                 // PUBLISH, QoS 0
                    (byte) 0xFC, (byte) 0xFF, 0x3F,       // remaining length 1,048,572
                    0x00, 0x01, 't',                      // topic "t"
                    0x00                                  // property length 0
                }
                : new byte[] {
                    0x30,                                 // PUBLISH, QoS 0
                    (byte) 0xFC, (byte) 0xFF, 0x3F,       // remaining length 1,048,572
                    0x00, 0x01, 't'                       // topic "t"
                };
        byte[] packet = new byte[ONE_MIB];
        System.arraycopy(head, 0, packet, 0, head.length);
        byte[] payload = PacketSamples.payload(ONE_MIB - head.length);   // the rest is payload
        System.arraycopy(payload, 0, packet, head.length, payload.length);
        return packet;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a packet exactly at the maximum packet size (fixed header included) decodes")
    void packetExactlyAtTheLimitDecodes(MqttVersion version) {
        byte[] packet = publishOfOneMebibyte(version);
        int headLength = version.isV5() ? 8 : 7;
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(version, ONE_MIB));

        List<MqttPacket> decoded = decoder.decode(packet);

        assertEquals(List.of(Publish.atMostOnce("t", PacketSamples.payload(ONE_MIB - headLength))), decoded);
        assertEquals(0, decoder.bufferedBytes());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("a packet one byte over the maximum packet size is 0x95 from its fixed header alone")
    void packetOneByteOverTheLimitIsTooLarge(MqttVersion version) {
        byte[] header = {
            0x30,                                     // PUBLISH, QoS 0
            (byte) 0xFC, (byte) 0xFF, 0x3F            // remaining length 1,048,572: 1 MiB in all
        };
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(version, ONE_MIB - 1));

        assertRejected(ReasonCode.PACKET_TOO_LARGE, decoder, header);
    }

    @Test
    @DisplayName("an allowed body is buffered only as its bytes arrive")
    void bodyIsBufferedOnlyAsItsBytesArrive() {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V3_1_1, ONE_MIB));
        byte[] header = {
            0x30,                                     // PUBLISH, QoS 0
            (byte) 0xA0, (byte) 0x8D, 0x06            // remaining length 100,000 = 32 + 13*128 + 6*128^2
        };
        byte[] body = new byte[100_000];
        body[0] = 0x00;                               // topic length 1
        body[1] = 0x01;
        body[2] = 't';                                // topic "t"
        byte[] payload = PacketSamples.payload(99_997);  // payload: the remaining 99,997 bytes
        System.arraycopy(payload, 0, body, 3, payload.length);

        assertEquals(List.of(), decoder.decode(header));
        int afterHeader = decoder.bufferedBytes();
        assertTrue(afterHeader <= header.length, "buffered after the header: " + afterHeader);
        List<MqttPacket> out = new ArrayList<>();
        for (int i = 0; i < body.length - 1; i++) {
            decoder.decode(ByteBuffer.wrap(body, i, 1), out::add);
            if (decoder.bufferedBytes() != afterHeader + i + 1) {
                assertEquals(afterHeader + i + 1, decoder.bufferedBytes(), "after body byte " + i);
            }
        }
        assertEquals(List.of(), out);
        decoder.decode(ByteBuffer.wrap(body, body.length - 1, 1), out::add);

        assertEquals(List.of(Publish.atMostOnce("t", payload)), out);
        assertEquals(0, decoder.bufferedBytes());
    }

    /**
     * "It never allocates from a length the peer claims before those bytes have arrived." With
     * no limit but the protocol's, a header claiming 268,435,455 bytes and 1,000 bytes of body
     * must cost about 1,000 bytes, not 256 MiB. Measured with the JDK's per-thread allocation
     * counter, which counts every array the decoder creates on this thread.
     */
    @Test
    @DisplayName("a claimed length is not allocated before its bytes arrive")
    void claimedLengthIsNotAllocatedUpFront() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM cannot count allocations");
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V3_1_1, NO_LIMIT));
        byte[] bytes = new byte[5 + 1000];
        bytes[0] = 0x30;                              // PUBLISH, QoS 0
        bytes[1] = (byte) 0xFF;                       // remaining length 268,435,455
        bytes[2] = (byte) 0xFF;
        bytes[3] = (byte) 0xFF;
        bytes[4] = 0x7F;
        bytes[5] = 0x00;                              // topic length 1
        bytes[6] = 0x01;
        bytes[7] = 't';                               // topic "t"; the rest is payload (zeros)
        ByteBuffer chunk = ByteBuffer.wrap(bytes);

        long before = threads.getCurrentThreadAllocatedBytes();
        decoder.decode(chunk, p -> { });
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertTrue(allocated < 8 * ONE_MIB, "decoding 1,005 bytes allocated " + allocated + " bytes");
        assertTrue(decoder.bufferedBytes() <= bytes.length, "buffered " + decoder.bufferedBytes());
    }

    // ---------------------------------------------------------------- 0x81 malformed length

    @Test
    @DisplayName("[MQTT-1.5.5-1] a five-byte remaining length is malformed (0x81)")
    void fiveByteRemainingLengthIsMalformed() {
        byte[] bytes = {
            0x30,                                                  // PUBLISH, QoS 0
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,    // four bytes, all continued
            0x7F                                                   // a fifth length byte
        };
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V5, NO_LIMIT));

        assertRejected(ReasonCode.MALFORMED_PACKET, decoder, bytes);
    }

    @Test
    @DisplayName("[MQTT-1.5.5-1] a five-byte remaining length on a first CONNECT is malformed (0x81)")
    void fiveByteRemainingLengthOnAServerIsMalformed() {
        byte[] bytes = {
            0x10,                                                  // CONNECT
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,    // four bytes, all continued
            0x7F                                                   // a fifth length byte
        };
        MqttDecoder decoder = new MqttDecoder(DecodeContext.server(NO_LIMIT));

        assertRejected(ReasonCode.MALFORMED_PACKET, decoder, bytes);
    }

    static Stream<Arguments> nonMinimalLengths() {
        return Stream.of(
                Arguments.of("0 in two bytes (80 00)", new byte[] {
                    (byte) 0xD0,                          // PINGRESP
                    (byte) 0x80, 0x00                     // remaining length 0, not in shortest form
                }),
                Arguments.of("0 in three bytes (80 80 00)", new byte[] {
                    (byte) 0xD0,                          // PINGRESP
                    (byte) 0x80, (byte) 0x80, 0x00        // remaining length 0, not in shortest form
                }),
                Arguments.of("0 in four bytes (80 80 80 00)", new byte[] {
                    (byte) 0xD0,                          // PINGRESP
                    (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x00  // remaining length 0
                }),
                Arguments.of("2 in two bytes (82 00)", new byte[] {
                    0x40,                                 // PUBACK
                    (byte) 0x82, 0x00,                    // remaining length 2, not in shortest form
                    0x00, 0x01                            // packet identifier 1
                }),
                Arguments.of("2 in three bytes (82 80 00)", new byte[] {
                    0x40,                                 // PUBACK
                    (byte) 0x82, (byte) 0x80, 0x00,       // remaining length 2, not in shortest form
                    0x00, 0x01                            // packet identifier 1
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("nonMinimalLengths")
    @DisplayName("[MQTT-1.5.5-1] a remaining length not in its shortest form is malformed (0x81)")
    void nonMinimalRemainingLengthIsMalformed(String name, byte[] bytes) {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V3_1_1, NO_LIMIT));

        assertRejected(ReasonCode.MALFORMED_PACKET, decoder, bytes);
    }

    /** The same packets as above with the length in shortest form: only the form was wrong. */
    @Test
    void shortestFormsOfTheSamePacketsDecode() {
        byte[] pingResp = {
            (byte) 0xD0,                                  // PINGRESP
            0x00                                          // remaining length 0
        };
        byte[] pubAck = {
            0x40,                                         // PUBACK
            0x02,                                         // remaining length 2
            0x00, 0x01                                    // packet identifier 1
        };
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(MqttVersion.V3_1_1, NO_LIMIT));

        assertEquals(List.of(PingResp.INSTANCE), decoder.decode(pingResp));
        assertEquals(List.of(PubAck.success(1)), decoder.decode(pubAck));
    }

    // ---------------------------------------------------------------- version switch

    @Test
    @DisplayName("a server decodes a PUBLISH after a 5.0 CONNECT in the same chunk with 5.0 rules")
    void publishAfterAV5ConnectInTheSameChunkIsDecodedAsV5() {
        byte[] publish = {
            0x32,                                         // PUBLISH, DUP 0, QoS 1, RETAIN 0
            0x0F,                                         // remaining length 15
            0x00, 0x03, 'a', '/', 'b',                    // topic "a/b"
            0x00, 0x01,                                   // packet identifier 1
            0x05,                                         // property length 5
            0x23, 0x00, 0x07,                             // Topic Alias 7
            0x01, 0x01,                                   // Payload Format Indicator 1 (UTF-8)
            'h', 'i'                                      // payload "hi"
        };
        MqttDecoder server = new MqttDecoder(DecodeContext.server(ONE_MIB));

        List<MqttPacket> decoded = server.decode(concat(CONNECT_V5, publish));

        assertEquals(List.of(
                new Connect(MqttVersion.V5, "c", true, 60, null, null, null, MqttProperties.EMPTY),
                new Publish("a/b", Qos.AT_LEAST_ONCE, false, false, 1, "hi".getBytes(UTF_8),
                        MqttProperties.builder()
                                .add(PropertyId.TOPIC_ALIAS, 7)
                                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1).build())),
                decoded);
        assertEquals(0, server.bufferedBytes());
    }

    /** One PUBLISH, two readings: byte 0x00 is the property length in 5.0, payload in 3.1.1. */
    private static final byte[] PUBLISH_READ_TWO_WAYS = {
        0x30,                                             // PUBLISH, QoS 0
        0x08,                                             // remaining length 8
        0x00, 0x03, 'a', '/', 'b',                        // topic "a/b"
        0x00,                                             // 5.0: property length 0; 3.1.1: payload
        'h', 'i'                                          // payload
    };

    @Test
    @DisplayName("the version of the CONNECT decides how the next packet in the chunk is read")
    void theConnectInTheSameChunkDecidesHowTheNextPacketIsRead() {
        MqttDecoder v5 = new MqttDecoder(DecodeContext.server(ONE_MIB));
        MqttDecoder v311 = new MqttDecoder(DecodeContext.server(ONE_MIB));

        List<MqttPacket> asV5 = v5.decode(concat(CONNECT_V5, PUBLISH_READ_TWO_WAYS));
        List<MqttPacket> asV311 = v311.decode(concat(CONNECT_V311, PUBLISH_READ_TWO_WAYS));

        assertEquals(Publish.atMostOnce("a/b", new byte[] {'h', 'i'}), asV5.get(1));
        assertEquals(Publish.atMostOnce("a/b", new byte[] {0x00, 'h', 'i'}), asV311.get(1));
        assertEquals(MqttVersion.V3_1_1, ((Connect) asV311.get(0)).version());
        assertEquals(2, asV5.size());
        assertEquals(2, asV311.size());
    }

    // ---------------------------------------------------------------- helpers

    private static void assertRejected(ReasonCode expected, MqttDecoder decoder, byte[] bytes) {
        List<MqttPacket> out = new ArrayList<>();
        DecodeException e = assertThrows(DecodeException.class,
                () -> decoder.decode(ByteBuffer.wrap(bytes), out::add));
        assertEquals(expected, e.reasonCode(), e.getMessage());
        assertEquals(List.of(), out, "no packet before the rejection");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
