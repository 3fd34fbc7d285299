package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.NO_LIMIT;
import static io.courier.protocol.codec.WireFixtures.assertDecodesByteByByte;
import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.concat;
import static io.courier.protocol.codec.WireFixtures.connectV311;
import static io.courier.protocol.codec.WireFixtures.connectV5;
import static io.courier.protocol.codec.WireFixtures.wire;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** CONNECT (3.1) in MQTT 3.1, 3.1.1 and 5.0, client to server: hand-written fixtures. */
class ConnectDecoderTest {

    private static DecodeContext server() {
        return DecodeContext.server(NO_LIMIT);
    }

    // ---------------------------------------------------------------- MQTT 3.1 and 3.1.1

    @Test
    @DisplayName("3.1.1 CONNECT with client id only, clean session")
    void decodesMinimalV311Connect() {
        Connect expected = new Connect(MqttVersion.V3_1_1, "c1", true, 60, null, null, null, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V3_1_1, connectV311(), expected);
    }

    @Test
    @DisplayName("3.1.1 CONNECT with will (QoS 1, retain), user name, binary password, keep alive 65535")
    void decodesV311ConnectWithWillUserNameAndPassword() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x20,                 // remaining length 32
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x04,                 // protocol level 4 (3.1.1)
                0xEE,                 // flags: user name, password, will retain, will QoS 1, will, clean session
                0xFF, 0xFF,           // keep alive 65535 s (unsigned)
                0x00, 0x03,           // client identifier length 3
                'd', 'e', 'v',        // client identifier "dev"
                0x00, 0x03,           // will topic length 3
                'w', '/', 't',        // will topic "w/t"
                0x00, 0x03,           // will message length 3
                'b', 'y', 'e',        // will message "bye"
                0x00, 0x01,           // user name length 1
                'u',                  // user name "u"
                0x00, 0x02,           // password length 2
                0x00, 0xFF);          // password: two arbitrary octets
        Will will = new Will("w/t", ascii("bye"), Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY);
        Connect expected = new Connect(MqttVersion.V3_1_1, "dev", true, 65535, "u",
                new byte[] {0x00, (byte) 0xFF}, will, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("3.1.1 CONNECT with a user name and no password, session kept")
    void decodesV311ConnectWithUserNameOnly() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x13,                 // remaining length 19
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x04,                 // protocol level 4 (3.1.1)
                0x80,                 // flags: user name; clean session 0
                0x00, 0x00,           // keep alive 0 (off)
                0x00, 0x02,           // client identifier length 2
                'c', '1',             // client identifier "c1"
                0x00, 0x03,           // user name length 3
                'b', 'o', 'b');       // user name "bob"
        Connect expected = new Connect(MqttVersion.V3_1_1, "c1", false, 0, "bob", null, null, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("MQTT 3.1 CONNECT: protocol name \"MQIsdp\", level 3")
    void decodesV31Connect() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x11,                 // remaining length 17
                0x00, 0x06,           // protocol name length 6
                'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                0x03,                 // protocol level 3 (3.1)
                0x02,                 // flags: clean session
                0x00, 0x0A,           // keep alive 10 s
                0x00, 0x03,           // client identifier length 3
                'o', 'l', 'd');       // client identifier "old"
        Connect expected = new Connect(MqttVersion.V3_1, "old", true, 10, null, null, null, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V3_1, bytes, expected);
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0 CONNECT with client id only and an empty property list")
    void decodesMinimalV5Connect() {
        Connect expected = new Connect(MqttVersion.V5, "c1", true, 60, null, null, null, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V5, connectV5(), expected);
    }

    @Test
    @DisplayName("5.0 CONNECT properties are decoded in order, repeated User Properties kept in order (3.1.2.11.8)")
    void decodesV5ConnectProperties() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x40,                 // remaining length 64
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0x02,                 // flags: clean start
                0x00, 0x1E,           // keep alive 30 s
                0x31,                 // property length 49
                0x11, 0x00, 0x00, 0x0E, 0x10, // Session Expiry Interval 3600
                0x21, 0x00, 0x14,     // Receive Maximum 20
                0x27, 0x00, 0x00, 0x04, 0x00, // Maximum Packet Size 1024
                0x22, 0x00, 0x0A,     // Topic Alias Maximum 10
                0x19, 0x01,           // Request Response Information 1
                0x17, 0x00,           // Request Problem Information 0
                0x26,                 // User Property
                0x00, 0x01, 'k',      //   name "k"
                0x00, 0x02, 'v', '2', //   value "v2"
                0x26,                 // User Property, same name again
                0x00, 0x01, 'k',      //   name "k"
                0x00, 0x02, 'v', '1', //   value "v1" (after "v2": order is kept, not sorted)
                0x15,                 // Authentication Method
                0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // "SCRAM"
                0x16,                 // Authentication Data
                0x00, 0x02, 0x0A, 0x0B, // two octets
                0x00, 0x02,           // client identifier length 2
                'c', '1');            // client identifier "c1"
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600L)
                .add(PropertyId.RECEIVE_MAXIMUM, 20)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L)
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 10)
                .add(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)
                .add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)
                .user("k", "v2")
                .user("k", "v1")
                .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM")
                .add(PropertyId.AUTHENTICATION_DATA, new byte[] {0x0A, 0x0B})
                .build();
        Connect expected = new Connect(MqttVersion.V5, "c1", true, 30, null, null, null, properties);
        assertFixture(server(), MqttVersion.V5, bytes, expected);
    }

    /** The richest CONNECT fixture: will with every Will Property, user name and password. */
    private static byte[] v5ConnectWithWillProperties() {
        return wire(
                0x10,                 // CONNECT, flags 0000
                0x54,                 // remaining length 84
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0xD4,                 // flags: user name, password, will QoS 2, will; retain 0, clean start 0
                0x00, 0x00,           // keep alive 0 (off)
                0x00,                 // property length 0
                0x00, 0x00,           // client identifier length 0 (empty: the server assigns one)
                0x33,                 // will property length 51
                0x18, 0x00, 0x00, 0x00, 0x78, // Will Delay Interval 120
                0x01, 0x01,           // Payload Format Indicator 1 (UTF-8)
                0x02, 0x00, 0x00, 0x01, 0x2C, // Message Expiry Interval 300
                0x03,                 // Content Type
                0x00, 0x0A, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', // "text/plain"
                0x08,                 // Response Topic
                0x00, 0x03, 'r', '/', '1', // "r/1"
                0x09,                 // Correlation Data
                0x00, 0x03, 0x01, 0x02, 0x03, // three octets
                0x26,                 // User Property
                0x00, 0x01, 'b',      //   name "b"
                0x00, 0x01, '2',      //   value "2"
                0x26,                 // User Property
                0x00, 0x01, 'a',      //   name "a" (after "b": order is kept)
                0x00, 0x01, '1',      //   value "1"
                0x00, 0x01,           // will topic length 1
                'w',                  // will topic "w"
                0x00, 0x04,           // will payload length 4
                'g', 'o', 'n', 'e',   // will payload "gone"
                0x00, 0x04,           // user name length 4
                'u', 's', 'e', 'r',   // user name "user"
                0x00, 0x02,           // password length 2
                'p', 'w');            // password "pw"
    }

    private static Connect v5ConnectWithWillPropertiesRecord() {
        MqttProperties willProperties = MqttProperties.builder()
                .add(PropertyId.WILL_DELAY_INTERVAL, 120L)
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 300L)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.RESPONSE_TOPIC, "r/1")
                .add(PropertyId.CORRELATION_DATA, new byte[] {0x01, 0x02, 0x03})
                .user("b", "2")
                .user("a", "1")
                .build();
        Will will = new Will("w", ascii("gone"), Qos.EXACTLY_ONCE, false, willProperties);
        return new Connect(MqttVersion.V5, "", false, 0, "user", ascii("pw"), will, MqttProperties.EMPTY);
    }

    @Test
    @DisplayName("5.0 CONNECT with will properties (Will Delay Interval first), user name and password (3.1.3.2)")
    void decodesV5ConnectWithWillProperties() {
        assertFixture(server(), MqttVersion.V5, v5ConnectWithWillProperties(), v5ConnectWithWillPropertiesRecord());
    }

    @Test
    @DisplayName("5.0 CONNECT decodes the same when its bytes arrive one at a time")
    void decodesV5ConnectByteByByte() {
        assertDecodesByteByByte(server(), v5ConnectWithWillProperties(), v5ConnectWithWillPropertiesRecord());
    }

    @Test
    @DisplayName("5.0 CONNECT with a retained QoS 0 will, no will properties and an empty will payload")
    void decodesV5ConnectWithPlainWill() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x14,                 // remaining length 20
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0x26,                 // flags: will retain, will QoS 0, will, clean start
                0x00, 0x3C,           // keep alive 60 s
                0x00,                 // property length 0
                0x00, 0x01,           // client identifier length 1
                'c',                  // client identifier "c"
                0x00,                 // will property length 0
                0x00, 0x01,           // will topic length 1
                't',                  // will topic "t"
                0x00, 0x00);          // will payload length 0
        Will will = new Will("t", new byte[0], Qos.AT_MOST_ONCE, true, MqttProperties.EMPTY);
        Connect expected = new Connect(MqttVersion.V5, "c", true, 60, null, null, will, MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("5.0 CONNECT may carry a password without a user name (3.1.2.9)")
    void decodesV5PasswordWithoutUserName() {
        byte[] bytes = wire(
                0x10,                 // CONNECT, flags 0000
                0x13,                 // remaining length 19
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x05,                 // protocol level 5
                0x42,                 // flags: password, clean start; no user name
                0x00, 0x3C,           // keep alive 60 s
                0x00,                 // property length 0
                0x00, 0x01,           // client identifier length 1
                'c',                  // client identifier "c"
                0x00, 0x03,           // password length 3
                0x01, 0x02, 0x03);    // password: three octets
        Connect expected = new Connect(MqttVersion.V5, "c", true, 60, null, new byte[] {1, 2, 3}, null,
                MqttProperties.EMPTY);
        assertFixture(server(), MqttVersion.V5, bytes, expected);
    }

    // ---------------------------------------------------------------- version switch

    @Test
    @DisplayName("the version a CONNECT names applies to the next packet in the same chunk (5.0 DISCONNECT with reason)")
    void v5ConnectVersionAppliesToNextPacketInSameChunk() {
        byte[] disconnectWithWill = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1
                0x04);                // reason: Disconnect with Will Message
        List<MqttPacket> packets = new MqttDecoder(server()).decode(concat(connectV5(), disconnectWithWill));
        assertEquals(List.of(
                new Connect(MqttVersion.V5, "c1", true, 60, null, null, null, MqttProperties.EMPTY),
                Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE)), packets);
    }

    @Test
    @DisplayName("after a 3.1.1 CONNECT in the same chunk, a DISCONNECT with a body is malformed (3.14)")
    void v311ConnectVersionAppliesToNextPacketInSameChunk() {
        byte[] disconnectWithBody = wire(
                0xE0,                 // DISCONNECT, flags 0000
                0x01,                 // remaining length 1: 3.1.1 DISCONNECT has none
                0x04);                // a 5.0 reason code
        assertRejected(server(), ReasonCode.MALFORMED_PACKET, concat(connectV311(), disconnectWithBody));
    }

    // ---------------------------------------------------------------- rejections

    static Stream<Arguments> firstPacketsThatAreNotConnect() {
        return Stream.of(
                Arguments.of("PINGREQ", wire(
                        0xC0,         // PINGREQ, flags 0000
                        0x00)),       // remaining length 0
                Arguments.of("PUBLISH", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x04,         // remaining length 4
                        0x00, 0x01,   // topic name length 1
                        't',          // topic name "t"
                        'x')),        // payload "x"
                Arguments.of("DISCONNECT", wire(
                        0xE0,         // DISCONNECT, flags 0000
                        0x00)),       // remaining length 0
                Arguments.of("AUTH", wire(
                        0xF0,         // AUTH, flags 0000
                        0x00)),       // remaining length 0 (Success)
                Arguments.of("CONNACK", wire(
                        0x20,         // CONNACK, flags 0000
                        0x02,         // remaining length 2
                        0x00,         // acknowledge flags 0
                        0x00)));      // return code 0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("firstPacketsThatAreNotConnect")
    @DisplayName("a server rejects any first packet other than CONNECT with 0x82 [MQTT-3.1.0-1]")
    void rejectsFirstPacketOtherThanConnect(String name, byte[] bytes) {
        assertRejected(server(), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("CONNECT fixed-header flags other than 0000 are malformed [MQTT-2.1.3-1]")
    void rejectsReservedFixedHeaderFlags() {
        byte[] bytes = wire(
                0x12,                 // CONNECT with flags 0010 (reserved, must be 0000)
                0x0E,                 // remaining length 14
                0x00, 0x04,           // protocol name length 4
                'M', 'Q', 'T', 'T',   // protocol name "MQTT"
                0x04,                 // protocol level 4
                0x02,                 // flags: clean session
                0x00, 0x3C,           // keep alive 60 s
                0x00, 0x02,           // client identifier length 2
                'c', '1');            // client identifier "c1"
        assertRejected(server(), ReasonCode.MALFORMED_PACKET, bytes);
    }

    static Stream<Arguments> unsupportedProtocols() {
        return Stream.of(
                Arguments.of("name \"MQTX\", level 4", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04,   // protocol name length 4
                        'M', 'Q', 'T', 'X', // protocol name "MQTX": unknown
                        0x04,         // protocol level 4
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("name \"mqtt\" (case matters), level 4", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04,   // protocol name length 4
                        'm', 'q', 't', 't', // protocol name "mqtt"
                        0x04,         // protocol level 4
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("name \"MQTT\", level 6", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04,   // protocol name length 4
                        'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x06,         // protocol level 6: not a version we speak
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("name \"MQTT\", level 3 (3.1 is \"MQIsdp\")", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04,   // protocol name length 4
                        'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x03,         // protocol level 3: belongs to "MQIsdp"
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("name \"MQIsdp\", level 4", wire(
                        0x10, 0x10,   // CONNECT, remaining length 16
                        0x00, 0x06,   // protocol name length 6
                        'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                        0x04,         // protocol level 4: belongs to "MQTT"
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("name \"MQIsdp\", level 5", wire(
                        0x10, 0x11,   // CONNECT, remaining length 17
                        0x00, 0x06,   // protocol name length 6
                        'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
                        0x05,         // protocol level 5: belongs to "MQTT"
                        0x02,         // flags: clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1'))); // client identifier "c1"
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupportedProtocols")
    @DisplayName("unknown protocol name or level, or a name and level that do not belong together: 0x84 [MQTT-3.1.2-1] [MQTT-3.1.2-2]")
    void rejectsUnsupportedProtocol(String name, byte[] bytes) {
        assertRejected(server(), ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, bytes);
    }

    static Stream<Arguments> malformedConnectFlags() {
        return Stream.of(
                Arguments.of("3.1.1 reserved flag bit 0 set [MQTT-3.1.2-3]", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x03,         // flags: clean session + reserved bit 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("5.0 reserved flag bit 0 set [MQTT-3.1.2-3]", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x03,         // flags: clean start + reserved bit 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("3.1.1 will QoS 1 without will flag [MQTT-3.1.2-11] [MQTT-3.1.2-13]", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x0A,         // flags: will QoS 1, clean session; will flag 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("5.0 will QoS 1 without will flag [MQTT-3.1.2-11]", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x0A,         // flags: will QoS 1, clean start; will flag 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("3.1.1 will retain without will flag [MQTT-3.1.2-11] [MQTT-3.1.2-15]", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x22,         // flags: will retain, clean session; will flag 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("5.0 will retain without will flag [MQTT-3.1.2-13]", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x22,         // flags: will retain, clean start; will flag 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("3.1.1 will QoS 3 [MQTT-3.1.2-14]", wire(
                        0x10, 0x13,   // CONNECT, remaining length 19
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x1E,         // flags: will QoS 3, will, clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x00, 0x01, 't', // will topic "t"
                        0x00, 0x00)), // will message length 0
                Arguments.of("5.0 will QoS 3 [MQTT-3.1.2-12]", wire(
                        0x10, 0x15,   // CONNECT, remaining length 21
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x1E,         // flags: will QoS 3, will, clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x00,         // will property length 0
                        0x00, 0x01, 't', // will topic "t"
                        0x00, 0x00)), // will payload length 0
                Arguments.of("3.1.1 password without user name [MQTT-3.1.2-22]", wire(
                        0x10, 0x13,   // CONNECT, remaining length 19
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x42,         // flags: password, clean session; user name 0
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x00, 0x03, 'p', 'w', 'd'))); // password "pwd"
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedConnectFlags")
    @DisplayName("3.1.1 and 5.0 CONNECT flags breaking a MUST are malformed (0x81); each case names its statement")
    void rejectsMalformedConnectFlags(String name, byte[] bytes) {
        assertRejected(server(), ReasonCode.MALFORMED_PACKET, bytes);
    }

    static Stream<Arguments> malformedConnectBodies() {
        return Stream.of(
                Arguments.of("client identifier runs past the end", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14 (all of it is here)
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x0A,   // client identifier length 10, but only 2 bytes remain
                        'c', '1')),
                Arguments.of("remaining length ends inside the protocol name", wire(
                        0x10, 0x04,   // CONNECT, remaining length 4
                        0x00, 0x04,   // protocol name length 4
                        'M', 'Q')),   // only 2 of its bytes
                Arguments.of("will flag set but the payload ends after the client identifier", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x06,         // flags: will, clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"; will topic missing
                Arguments.of("user name flag set but no user name", wire(
                        0x10, 0x0E,   // CONNECT, remaining length 14
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x82,         // flags: user name, clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1')), // client identifier "c1"; user name missing
                Arguments.of("5.0 property length runs past the end", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x02,         // flags: clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x0A,         // property length 10, but only 4 bytes remain
                        0x00, 0x02, 'c', '1')),
                Arguments.of("a byte left after the last field", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x00)),       // stray byte
                Arguments.of("client identifier with an encoded surrogate ED A0 80 [MQTT-1.5.4-1]", wire(
                        0x10, 0x0F,   // CONNECT, remaining length 15
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x02,         // flags: clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x03,   // client identifier length 3
                        0xED, 0xA0, 0x80)), // U+D800 encoded as if it were a character
                Arguments.of("user name containing U+0000 [MQTT-1.5.4-2]", wire(
                        0x10, 0x13,   // CONNECT, remaining length 19
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x04,         // protocol level 4
                        0x82,         // flags: user name, clean session
                        0x00, 0x3C,   // keep alive 60 s
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x00, 0x03,   // user name length 3
                        'a', 0x00, 'b')), // "a", U+0000, "b"
                Arguments.of("5.0 Will Delay Interval among the CONNECT properties (3.1.2.11)", wire(
                        0x10, 0x14,   // CONNECT, remaining length 20
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x02,         // flags: clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x05,         // property length 5
                        0x18, 0x00, 0x00, 0x00, 0x0A, // Will Delay Interval 10: Will Properties only
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("5.0 Session Expiry Interval among the Will Properties (3.1.3.2)", wire(
                        0x10, 0x1A,   // CONNECT, remaining length 26
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x06,         // flags: will, clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x05,         // will property length 5
                        0x11, 0x00, 0x00, 0x00, 0x0A, // Session Expiry Interval 10: CONNECT properties only
                        0x00, 0x01, 't', // will topic "t"
                        0x00, 0x00))); // will payload length 0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedConnectBodies")
    @DisplayName("a CONNECT body that is cut short, padded, ill-formed or carries a misplaced property is malformed (0x81)")
    void rejectsMalformedConnectBody(String name, byte[] bytes) {
        assertRejected(server(), ReasonCode.MALFORMED_PACKET, bytes);
    }

    static Stream<Arguments> propertyValuesOutsideTheirDomain() {
        return Stream.of(
                Arguments.of("Receive Maximum 0 (3.1.2.11.3)", wire(
                        0x10, 0x12,   // CONNECT, remaining length 18
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x02,         // flags: clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x03,         // property length 3
                        0x21, 0x00, 0x00, // Receive Maximum 0
                        0x00, 0x02, 'c', '1')), // client identifier "c1"
                Arguments.of("Will Payload Format Indicator 2 (3.1.3.2.3)", wire(
                        0x10, 0x17,   // CONNECT, remaining length 23
                        0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
                        0x05,         // protocol level 5
                        0x06,         // flags: will, clean start
                        0x00, 0x3C,   // keep alive 60 s
                        0x00,         // property length 0
                        0x00, 0x02, 'c', '1', // client identifier "c1"
                        0x02,         // will property length 2
                        0x01, 0x02,   // Payload Format Indicator 2: only 0 or 1 exist
                        0x00, 0x01, 't', // will topic "t"
                        0x00, 0x00))); // will payload length 0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("propertyValuesOutsideTheirDomain")
    @DisplayName("a 5.0 CONNECT property value outside its domain is a protocol error (0x82)")
    void rejectsPropertyValueOutsideItsDomain(String name, byte[] bytes) {
        assertRejected(server(), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
