package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks shared by the hand-written fixture tests: a fixture is a byte array written from the
 * spec, and it must decode to a record built by hand and (where it is in the form the encoder's
 * contract writes) encode back to exactly the same bytes.
 *
 * <p>Fixtures are written with {@link #wire(int...)} so octets above 0x7F need no casts; the
 * fixtures themselves live in the test classes, next to the rule they exercise.
 */
final class WireFixtures {

    /** No packet in these tests comes near a limit; the size checks have their own tests. */
    static final int NO_LIMIT = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    private WireFixtures() {
    }

    /** Octets as ints (chars widen to their code), each checked to fit in a byte. */
    static byte[] wire(int... octets) {
        byte[] out = new byte[octets.length];
        for (int i = 0; i < octets.length; i++) {
            if (octets[i] < 0 || octets[i] > 0xFF) {
                throw new IllegalArgumentException("not an octet at index " + i + ": " + octets[i]);
            }
            out[i] = (byte) octets[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A server decoder that has already seen a CONNECT of this version. */
    static DecodeContext serverSpeaking(MqttVersion version) {
        return new DecodeContext(version, NO_LIMIT, Side.SERVER);
    }

    static DecodeContext clientSpeaking(MqttVersion version) {
        return DecodeContext.client(version, NO_LIMIT);
    }

    /** A fresh server decoder fed this CONNECT fixture, which must decode to one CONNECT. */
    static MqttDecoder serverAfter(byte[] connectFixture) {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.server(NO_LIMIT));
        List<MqttPacket> packets = decoder.decode(connectFixture);
        assertEquals(1, packets.size(), "the CONNECT prefix decodes to one packet");
        assertInstanceOf(Connect.class, packets.get(0), "the prefix is a CONNECT");
        return decoder;
    }

    /** Decodes the fixture as one chunk: exactly one packet equal to {@code expected}, nothing held back. */
    static void assertDecodes(MqttDecoder decoder, byte[] fixture, MqttPacket expected) {
        List<MqttPacket> packets = decoder.decode(fixture);
        assertEquals(List.of(expected), packets, "decoded packets");
        assertEquals(0, decoder.bufferedBytes(), "bytes held back after a complete packet");
    }

    static void assertDecodes(DecodeContext context, byte[] fixture, MqttPacket expected) {
        assertDecodes(new MqttDecoder(context), fixture, expected);
    }

    /** Decodes the fixture handed over one byte per call: the same single packet comes out. */
    static void assertDecodesByteByByte(DecodeContext context, byte[] fixture, MqttPacket expected) {
        MqttDecoder decoder = new MqttDecoder(context);
        List<MqttPacket> packets = new ArrayList<>();
        for (int i = 0; i < fixture.length; i++) {
            decoder.decode(ByteBuffer.wrap(fixture, i, 1), packets::add);
            if (i < fixture.length - 1) {
                assertEquals(List.of(), packets, "no packet before its last byte (after byte " + i + ")");
            }
        }
        assertEquals(List.of(expected), packets, "decoded packets");
        assertEquals(0, decoder.bufferedBytes(), "bytes held back after a complete packet");
    }

    /**
     * The encoder writes exactly the fixture, announces its size, and writes the same bytes at
     * a buffer's position without touching what is around them.
     */
    static void assertEncodes(MqttPacket packet, MqttVersion version, byte[] fixture) {
        assertArrayEquals(fixture, MqttEncoder.encode(packet, version), "encoded bytes");
        assertEquals(fixture.length, MqttEncoder.encodedSize(packet, version), "encodedSize");

        ByteBuffer buffer = ByteBuffer.allocate(fixture.length + 2);
        buffer.put((byte) 0x5A);
        int written = MqttEncoder.encode(packet, version, buffer);
        assertEquals(fixture.length, written, "bytes written into a buffer");
        assertEquals(1 + fixture.length, buffer.position(), "buffer position after encoding");
        byte[] inBuffer = new byte[fixture.length];
        buffer.get(1, inBuffer);
        assertArrayEquals(fixture, inBuffer, "bytes written into a buffer");
        assertEquals(0x5A, buffer.get(0), "byte before the packet untouched");
        assertEquals(0, buffer.get(1 + fixture.length), "byte after the packet untouched");
    }

    /** Decode to {@code expected} in this context, and encode {@code expected} back to the fixture. */
    static void assertFixture(DecodeContext context, MqttVersion version, byte[] fixture, MqttPacket expected) {
        assertDecodes(context, fixture, expected);
        assertEncodes(expected, version, fixture);
    }

    /** The chunks, fed in order to a fresh decoder, end in a rejection with this reason code. */
    static DecodeException assertRejected(DecodeContext context, ReasonCode expected, byte[]... chunks) {
        return assertRejected(new MqttDecoder(context), expected, chunks);
    }

    static DecodeException assertRejected(MqttDecoder decoder, ReasonCode expected, byte[]... chunks) {
        DecodeException e = assertThrows(DecodeException.class, () -> {
            for (byte[] chunk : chunks) {
                decoder.decode(chunk);
            }
        });
        assertEquals(expected, e.reasonCode(), () -> "reason code of " + e);
        return e;
    }

    // ---- CONNECT fixtures used as the first packet before the packet under test ----

    /** A minimal 3.1.1 CONNECT, client id "c1", clean session, keep alive 60. */
    static byte[] connectV311() {
        return wire(
                0x10,                 // CONNECT, flags 0000
                0x0E,                 // remaining length 14
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x04,                 // protocol level 4 (3.1.1)
                0x02,                 // connect flags: Clean Session
                0x00, 0x3C,           // keep alive 60 s
                0x00, 0x02,           // client identifier length 2
                'c', '1');            // client identifier "c1"
    }

    /** A minimal 5.0 CONNECT, client id "c1", clean start, keep alive 60, no properties. */
    static byte[] connectV5() {
        return wire(
                0x10,                 // CONNECT, flags 0000
                0x0F,                 // remaining length 15
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0x02,                 // connect flags: Clean Start
                0x00, 0x3C,           // keep alive 60 s
                0x00,                 // property length 0
                0x00, 0x02,           // client identifier length 2
                'c', '1');            // client identifier "c1"
    }
}
