package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * What every hand-written byte-fixture test checks: a fixture decodes to the record built by
 * hand (in one chunk and split at every byte), the encoder writes exactly the fixture back, and a
 * broken fixture is rejected with the reason code of the README's table.
 *
 * <p>Fixtures are written as {@code int} lists through {@link #bytes(int...)} so that bytes above
 * 0x7F need no casts and chars like {@code 'a'} read as themselves.
 */
final class DecodeEncodeAssertions {

    static final int MAX = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    private static final HexFormat HEX = HexFormat.ofDelimiter(" ");

    private DecodeEncodeAssertions() {
    }

    /** A fixture from unsigned byte values; anything outside 0..255 is a typo in the test. */
    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 0xFF) {
                throw new IllegalArgumentException("not a byte at index " + i + ": " + values[i]);
            }
            out[i] = (byte) values[i];
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

    static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /** A server decoder that already knows the version (as after a CONNECT). */
    static DecodeContext server(MqttVersion version) {
        return new DecodeContext(version, MAX, Side.SERVER);
    }

    static DecodeContext client(MqttVersion version) {
        return DecodeContext.client(version, MAX);
    }

    /** The smallest 5.0 CONNECT: clean start, keep alive 60, no properties, client id "c". */
    static final byte[] CONNECT_V5 = bytes(
            0x10,                          // CONNECT, flags 0000
            0x0E,                          // remaining length 14
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
            0x05,                          // protocol level 5
            0x02,                          // connect flags: Clean Start
            0x00, 0x3C,                    // keep alive 60 s
            0x00,                          // property length 0
            0x00, 0x01, 'c');              // client identifier "c"

    /** The smallest 3.1.1 CONNECT: clean session, keep alive 60, client id "c". */
    static final byte[] CONNECT_V311 = bytes(
            0x10,                          // CONNECT, flags 0000
            0x0D,                          // remaining length 13
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
            0x04,                          // protocol level 4
            0x02,                          // connect flags: Clean Session
            0x00, 0x3C,                    // keep alive 60 s
            0x00, 0x01, 'c');              // client identifier "c"

    static byte[] connectFixture(MqttVersion version) {
        return switch (version) {
            case V5 -> CONNECT_V5;
            case V3_1_1 -> CONNECT_V311;
            case V3_1 -> throw new IllegalArgumentException("no 3.1 CONNECT fixture here");
        };
    }

    static Connect expectedConnect(MqttVersion version) {
        return new Connect(version, "c", true, 60, null, null, null, MqttProperties.EMPTY);
    }

    /**
     * Decodes the fixture in one chunk and then split at every position, asserting each time that
     * exactly {@code expected} comes out and nothing stays buffered.
     */
    static void assertDecodes(DecodeContext context, byte[] fixture, MqttPacket expected) {
        List<MqttPacket> whole = new MqttDecoder(context).decode(fixture);
        assertEquals(List.of(expected), whole, () -> "decoding " + hex(fixture) + " in one chunk");
        for (int split = 1; split < fixture.length; split++) {
            MqttDecoder decoder = new MqttDecoder(context);
            List<MqttPacket> out = new ArrayList<>(decoder.decode(Arrays.copyOfRange(fixture, 0, split)));
            int at = split;
            assertTrue(out.isEmpty(), () -> "a packet came out of the first " + at + " bytes of " + hex(fixture));
            out.addAll(decoder.decode(Arrays.copyOfRange(fixture, split, fixture.length)));
            assertEquals(List.of(expected), out, () -> "decoding " + hex(fixture) + " split at " + at);
            assertEquals(0, decoder.bufferedBytes(), () -> "bytes left buffered after split at " + at);
        }
    }

    /**
     * Feeds a fresh server decoder the CONNECT fixture of {@code version} and the packet in one
     * chunk: the decoder must switch to the CONNECT's version before the next packet.
     */
    static void assertDecodesAfterConnect(MqttVersion version, byte[] fixture, MqttPacket expected) {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.server(MAX));
        List<MqttPacket> out = decoder.decode(concat(connectFixture(version), fixture));
        assertEquals(List.of(expectedConnect(version), expected), out,
                () -> "decoding CONNECT " + version + " then " + hex(fixture));
    }

    /**
     * The encoder writes exactly the fixture, {@code encodedSize} is its length, and the
     * ByteBuffer variant writes the same bytes at the buffer's position.
     */
    static void assertEncodes(MqttPacket packet, MqttVersion version, byte[] fixture) {
        byte[] actual = MqttEncoder.encode(packet, version);
        if (!Arrays.equals(fixture, actual)) {
            fail("encoding " + packet + " as " + version + "\n expected " + hex(fixture) + "\n      got " + hex(actual));
        }
        assertEquals(fixture.length, MqttEncoder.encodedSize(packet, version), () -> "encodedSize of " + packet);
        ByteBuffer buffer = ByteBuffer.allocate(fixture.length + 2);
        buffer.put((byte) 0x55);
        int written = MqttEncoder.encode(packet, version, buffer);
        assertEquals(fixture.length, written, "bytes written into the buffer");
        assertEquals(hex(fixture), hex(Arrays.copyOfRange(buffer.array(), 1, 1 + fixture.length)),
                "bytes written at the buffer's position");
        assertEquals(0x55, buffer.array()[0], "byte before the position untouched");
    }

    /** Decoding the fixture throws a DecodeException carrying {@code expected}. */
    static DecodeException assertRejected(DecodeContext context, byte[] fixture, ReasonCode expected) {
        DecodeException e = assertThrows(DecodeException.class, () -> new MqttDecoder(context).decode(fixture),
                () -> "expected " + expected + " for " + hex(fixture));
        assertEquals(expected, e.reasonCode(), () -> "reason code for " + hex(fixture) + " (" + e.getMessage() + ")");
        return e;
    }

    /** As {@link #assertRejected}, on a server decoder fed the CONNECT fixture first. */
    static void assertRejectedAfterConnect(MqttVersion version, byte[] fixture, ReasonCode expected) {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.server(MAX));
        assertEquals(List.of(expectedConnect(version)), decoder.decode(connectFixture(version)));
        DecodeException e = assertThrows(DecodeException.class, () -> decoder.decode(fixture),
                () -> "expected " + expected + " for " + hex(fixture) + " after CONNECT " + version);
        assertEquals(expected, e.reasonCode(), () -> "reason code for " + hex(fixture) + " (" + e.getMessage() + ")");
    }
}
