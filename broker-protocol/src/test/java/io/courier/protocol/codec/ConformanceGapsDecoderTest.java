package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.NO_LIMIT;
import static io.courier.protocol.codec.WireFixtures.assertDecodes;
import static io.courier.protocol.codec.WireFixtures.assertEncodes;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.concat;
import static io.courier.protocol.codec.WireFixtures.serverSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Normative statements the codec already met without a test naming them (docs/conformance.md):
 * reserved fixed-header flags, the CONNECT payload rules, UTF-8 fields, empty property lists.
 * Server side throughout: the decoder is the server's, fed what a client would send.
 */
class ConformanceGapsDecoderTest {

    /** Octets that are never well-formed UTF-8. */
    private static final byte[] BAD_UTF8 = wire(0x00, 0x02, 0xC0, 0xAF);

    private static DecodeContext fresh() {
        return DecodeContext.server(NO_LIMIT);
    }

    /** A fixed header (remaining length below 128) in front of the body. */
    private static byte[] packet(int first, byte[]... body) {
        byte[] b = concat(body);
        return concat(wire(first, b.length), b);
    }

    private static byte[] str(String s) {
        byte[] v = s.getBytes(US_ASCII);
        return concat(wire(v.length >> 8, v.length & 0xFF), v);
    }

    /** CONNECT variable header: "MQTT", the level, these flags, keep alive 60, and for 5.0 property length 0. */
    private static byte[] connectHeader(MqttVersion version, int flags) {
        return version == V5
                ? concat(str("MQTT"), wire(0x05, flags, 0x00, 0x3C, 0x00))
                : concat(str("MQTT"), wire(0x04, flags, 0x00, 0x3C));
    }

    /** 5.0 puts a property length before the will topic. */
    private static byte[] willProperties(MqttVersion version) {
        return version == V5 ? wire(0x00) : new byte[0];
    }

    // ---------------------------------------------------------------- fixed header flags

    @Test
    @DisplayName("[MQTT-2.2.2-1] [MQTT-2.2.2-2] 3.1.1 reserved fixed-header flags other than the table's are malformed")
    void reservedFlagsAreMalformed() {
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x11, connectHeader(V3_1_1, 0x02), str("c1")));          // CONNECT 0001
        for (byte[] p : List.of(
                wire(0x41, 0x02, 0x00, 0x01),                                  // PUBACK 0001
                wire(0x50 | 0x02, 0x02, 0x00, 0x01),                           // PUBREC 0010
                wire(0x60, 0x02, 0x00, 0x01),                                  // PUBREL 0000
                wire(0x78, 0x02, 0x00, 0x01),                                  // PUBCOMP 1000
                wire(0x80, 0x06, 0x00, 0x01, 0x00, 0x01, 'a', 0x00),          // SUBSCRIBE 0000
                wire(0xA3, 0x05, 0x00, 0x01, 0x00, 0x01, 'a'),                // UNSUBSCRIBE 0011
                wire(0xC4, 0x00),                                              // PINGREQ 0100
                wire(0xE2, 0x00))) {                                           // DISCONNECT 0010
            assertRejected(serverSpeaking(V3_1_1), ReasonCode.MALFORMED_PACKET, p);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.14.1-1] DISCONNECT with a reserved bit set is malformed (0x81), in 3.1.1 and 5.0")
    void disconnectReservedBits(MqttVersion version) {
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET, wire(0xE1, 0x00));
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET, wire(0xE8, 0x00));
    }

    @Test
    @DisplayName("[MQTT-3.15.1-1] 5.0 AUTH with a reserved bit set is malformed (0x81)")
    void authReservedBits() {
        assertRejected(serverSpeaking(V5), ReasonCode.MALFORMED_PACKET, wire(0xF1, 0x00));
        assertRejected(serverSpeaking(V5), ReasonCode.MALFORMED_PACKET, wire(0xF4, 0x00));
    }

    // ---------------------------------------------------------------- CONNECT payload

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.3-1] [MQTT-3.1.3-3] [MQTT-3.1.2-9] [MQTT-3.1.2-17] [MQTT-3.1.2-19] [MQTT-3.1.2-21] the payload"
            + " is read as client id, will (properties), topic, message, user name, password, in that order")
    void payloadFieldsInOrder(MqttVersion version) {
        byte[] bytes = packet(0x10, connectHeader(version, 0xC6),              // user, password, will QoS 0, clean
                str("id"), willProperties(version), str("w/t"), str("bye"), str("u"), str("pw"));
        Will will = new Will("w/t", "bye".getBytes(US_ASCII), Qos.AT_MOST_ONCE, false, MqttProperties.EMPTY);
        assertDecodes(fresh(), bytes, new Connect(version, "id", true, 60, "u", "pw".getBytes(US_ASCII), will,
                MqttProperties.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.3-3] a CONNECT without a client id is malformed")
    void clientIdIsPresent(MqttVersion version) {
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET, packet(0x10, connectHeader(version, 0x02)));
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET, packet(0x10, connectHeader(version, 0x02), wire(0x00)));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.2-9] Will Flag 1 without the will topic, or without the will message, is malformed")
    void willFlagRequiresWillFields(MqttVersion version) {
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0x06), str("id")));
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0x06), str("id"), willProperties(version), str("w/t")));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.2-16] [MQTT-3.1.2-17] [MQTT-3.1.2-18] [MQTT-3.1.2-19] [MQTT-3.1.2-20] [MQTT-3.1.2-21] a user"
            + " name or password is present exactly when its flag says so")
    void userNameAndPasswordFollowTheirFlags(MqttVersion version) {
        // flag 0, but a user name follows the client id
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET, packet(0x10, connectHeader(version, 0x02), str("id"), str("u")));
        // User Name Flag 1, no user name
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET, packet(0x10, connectHeader(version, 0x82), str("id")));
        // User Name Flag 1, Password Flag 0, yet a password follows
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0x82), str("id"), str("u"), str("pw")));
        // both flags 1, no password
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0xC2), str("id"), str("u")));
        // flags 1 and fields present: both decoded
        assertDecodes(fresh(), packet(0x10, connectHeader(version, 0xC2), str("id"), str("u"), str("pw")),
                new Connect(version, "id", true, 60, "u", "pw".getBytes(US_ASCII), null, MqttProperties.EMPTY));
        // User Name Flag 1 only: no password
        assertDecodes(fresh(), packet(0x10, connectHeader(version, 0x82), str("id"), str("u")),
                new Connect(version, "id", true, 60, "u", null, null, MqttProperties.EMPTY));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.1.3-4] [MQTT-3.1.3-10] [MQTT-3.1.3-11] [MQTT-3.1.3-12] client id, will topic and user name"
            + " must be well-formed UTF-8, else malformed")
    void connectStringsAreUtf8(MqttVersion version) {
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET, packet(0x10, connectHeader(version, 0x02), BAD_UTF8));
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0x06), str("id"), willProperties(version), BAD_UTF8, str("bye")));
        assertRejected(fresh(), ReasonCode.MALFORMED_PACKET,
                packet(0x10, connectHeader(version, 0x82), str("id"), BAD_UTF8));
    }

    // ---------------------------------------------------------------- PUBLISH

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.3.2-1] the PUBLISH topic name comes first and must be UTF-8: cut short or ill-formed is malformed")
    void publishTopicFirstAndUtf8(MqttVersion version) {
        byte[] props = version == V5 ? wire(0x00) : new byte[0];
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET, packet(0x30, wire(0x00)));
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET, packet(0x30, BAD_UTF8, props));
        assertDecodes(serverSpeaking(version), packet(0x30, str("a/b"), props, wire('x')),
                new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, new byte[] {'x'}, MqttProperties.EMPTY));
    }

    @Test
    @DisplayName("[MQTT-2.3.1-5] [MQTT-4.3.1-1] a QoS 0 PUBLISH is written with QoS 0, DUP 0 and no packet identifier")
    void qos0PublishHasNoPacketId() {
        Publish p = new Publish("t", Qos.AT_MOST_ONCE, false, false, 0, new byte[] {'x'}, MqttProperties.EMPTY);
        assertEncodes(p, V3_1_1, wire(0x30, 0x04, 0x00, 0x01, 't', 'x'));
        assertEncodes(p, V5, wire(0x30, 0x05, 0x00, 0x01, 't', 0x00, 'x'));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-13] [MQTT-3.3.2-19] [MQTT-1.5.7-1] 5.0 Response Topic, Content Type and both strings of a"
            + " User Property must be well-formed UTF-8, else malformed")
    void publishStringPropertiesAreUtf8() {
        byte[] bad = wire(0xC0, 0xAF);
        for (byte[] prop : List.of(
                concat(wire(0x08, 0x00, 0x02), bad),                           // Response Topic
                concat(wire(0x03, 0x00, 0x02), bad),                           // Content Type
                concat(wire(0x26, 0x00, 0x02), bad, str("v")),                 // User Property key
                concat(wire(0x26), str("k"), wire(0x00, 0x02), bad))) {        // User Property value
            assertRejected(serverSpeaking(V5), ReasonCode.MALFORMED_PACKET,
                    packet(0x30, str("t"), wire(prop.length), prop));
        }
    }

    // ---------------------------------------------------------------- SUBSCRIBE, UNSUBSCRIBE

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.8.3-1] [MQTT-3.10.3-1] SUBSCRIBE and UNSUBSCRIBE topic filters must be well-formed UTF-8")
    void filtersAreUtf8(MqttVersion version) {
        byte[] props = version == V5 ? wire(0x00) : new byte[0];
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET,
                packet(0x82, wire(0x00, 0x01), props, BAD_UTF8, wire(0x01)));
        assertRejected(serverSpeaking(version), ReasonCode.MALFORMED_PACKET,
                packet(0xA2, wire(0x00, 0x01), props, BAD_UTF8));
    }

    @Test
    @DisplayName("[MQTT-3.8.3-2] 5.0 a SUBSCRIBE must carry at least one filter: none is a protocol error")
    void subscribeNeedsAFilter() {
        assertRejected(serverSpeaking(V5), ReasonCode.PROTOCOL_ERROR, wire(0x82, 0x03, 0x00, 0x01, 0x00));
    }

    // ---------------------------------------------------------------- properties

    @Test
    @DisplayName("[MQTT-2.2.2-1] 5.0 an empty property list is written as Property Length 0")
    void emptyPropertiesAreLengthZero() {
        assertEncodes(new SubAck(7, List.of(ReasonCode.GRANTED_QOS_1), MqttProperties.EMPTY), V5,
                wire(0x90, 0x04, 0x00, 0x07, 0x00, 0x01));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-14] 5.0 a Response Topic with a wildcard is a Protocol Error")
    void responseTopicWithWildcardIsRejected() {
        byte[] bytes = wire(
                0x30,                   // PUBLISH, QoS 0
                0x0A,                   // remaining length 10
                0x00, 0x01, 't',        // topic "t"
                0x06,                   // property length 6
                0x08,                   // Response Topic
                0x00, 0x03, 'a', '/', '#'); // "a/#": a filter, not a topic name
        assertRejected(serverSpeaking(V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }
}
