package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.clientSpeaking;
import static io.courier.protocol.codec.WireFixtures.concat;
import static io.courier.protocol.codec.WireFixtures.connectV311;
import static io.courier.protocol.codec.WireFixtures.serverSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** PINGREQ (3.12) and PINGRESP (3.13): a fixed header and nothing else, in every version. */
class PingDecoderTest {

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("PINGREQ from a client is two bytes (3.12)")
    void decodesPingReq(MqttVersion version) {
        byte[] bytes = wire(
                0xC0,                 // PINGREQ, flags 0000
                0x00);                // remaining length 0
        assertFixture(serverSpeaking(version), version, bytes, PingReq.INSTANCE);
    }

    @ParameterizedTest
    @EnumSource(MqttVersion.class)
    @DisplayName("PINGRESP from a server is two bytes (3.13)")
    void decodesPingResp(MqttVersion version) {
        byte[] bytes = wire(
                0xD0,                 // PINGRESP, flags 0000
                0x00);                // remaining length 0
        assertFixture(clientSpeaking(version), version, bytes, PingResp.INSTANCE);
    }

    @Test
    @DisplayName("CONNECT then two PINGREQs in one chunk, the last split across calls")
    void decodesPingsAfterConnectAcrossChunks() {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.server(WireFixtures.NO_LIMIT));
        List<MqttPacket> packets = new ArrayList<>();
        byte[] firstChunk = concat(connectV311(), wire(
                0xC0,                 // PINGREQ, flags 0000
                0x00,                 // remaining length 0
                0xC0));               // next PINGREQ's first byte
        decoder.decode(ByteBuffer.wrap(firstChunk), packets::add);
        assertEquals(List.of(
                new Connect(MqttVersion.V3_1_1, "c1", true, 60, null, null, null, MqttProperties.EMPTY),
                PingReq.INSTANCE), packets);
        decoder.decode(ByteBuffer.wrap(wire(
                0x00)),               // the second PINGREQ's remaining length 0
                packets::add);
        assertEquals(3, packets.size(), "packets after the second chunk");
        assertEquals(PingReq.INSTANCE, packets.get(2));
        assertEquals(0, decoder.bufferedBytes());
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PINGREQ with a non-zero remaining length is malformed (3.12: no variable header, no payload)")
    void rejectsPingReqWithBody(MqttVersion version) {
        byte[] bytes = wire(
                0xC0,                 // PINGREQ, flags 0000
                0x01,                 // remaining length 1
                0x00);                // stray byte
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("PINGRESP with a non-zero remaining length is malformed (3.13)")
    void rejectsPingRespWithBody(MqttVersion version) {
        byte[] bytes = wire(
                0xD0,                 // PINGRESP, flags 0000
                0x02,                 // remaining length 2
                0x00, 0x00);          // stray bytes
        assertRejected(clientSpeaking(version), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest(name = "first byte {0}")
    @ValueSource(ints = {0xC1, 0xC2, 0xC8, 0xCF})
    @DisplayName("PINGREQ fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsPingReqReservedFlags(int firstByte) {
        byte[] bytes = wire(
                firstByte,            // PINGREQ with a reserved flag bit set
                0x00);                // remaining length 0
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, bytes);
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @ParameterizedTest(name = "first byte {0}")
    @ValueSource(ints = {0xD1, 0xD4, 0xD8})
    @DisplayName("PINGRESP fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsPingRespReservedFlags(int firstByte) {
        byte[] bytes = wire(
                firstByte,            // PINGRESP with a reserved flag bit set
                0x00);                // remaining length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("PINGREQ before any CONNECT is a protocol error [MQTT-3.1.0-1]")
    void rejectsPingReqAsFirstPacket() {
        byte[] bytes = wire(
                0xC0,                 // PINGREQ, flags 0000
                0x00);                // remaining length 0
        assertRejected(DecodeContext.server(WireFixtures.NO_LIMIT), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("a Remaining Length not in its shortest form, or longer than 4 bytes, is malformed [MQTT-1.5.5-1]")
    void rejectsRemainingLengthNotInShortestForm() {
        byte[] twoByteZero = wire(
                0xC0,                 // PINGREQ, flags 0000
                0x80, 0x00);          // remaining length 0 written in two bytes
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, twoByteZero);
        byte[] fiveBytes = wire(
                0xD0,                 // PINGRESP, flags 0000
                0x80, 0x80, 0x80, 0x80, 0x00); // five length bytes: at most four exist
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, fiveBytes);
    }
}
