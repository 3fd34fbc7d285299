package io.courier.protocol.codec;

import static io.courier.protocol.codec.WireFixtures.assertDecodes;
import static io.courier.protocol.codec.WireFixtures.assertDecodesByteByByte;
import static io.courier.protocol.codec.WireFixtures.assertEncodes;
import static io.courier.protocol.codec.WireFixtures.assertFixture;
import static io.courier.protocol.codec.WireFixtures.assertRejected;
import static io.courier.protocol.codec.WireFixtures.clientSpeaking;
import static io.courier.protocol.codec.WireFixtures.concat;
import static io.courier.protocol.codec.WireFixtures.connectV311;
import static io.courier.protocol.codec.WireFixtures.connectV5;
import static io.courier.protocol.codec.WireFixtures.serverAfter;
import static io.courier.protocol.codec.WireFixtures.serverSpeaking;
import static io.courier.protocol.codec.WireFixtures.wire;
import static java.nio.charset.StandardCharsets.US_ASCII;

import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PUBLISH (3.3) in MQTT 3.1, 3.1.1 and 5.0, both directions: hand-written fixtures. Client to
 * server fixtures are decoded by a server (after a CONNECT, or in a context that has the version
 * already); server to client ones by a client.
 */
class PublishDecoderTest {

    // ---------------------------------------------------------------- MQTT 3.1 and 3.1.1

    @ParameterizedTest
    @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
    @DisplayName("3.x PUBLISH QoS 0: topic and payload, no packet identifier [MQTT-2.2.1-2]")
    void decodesV3AtMostOnce(MqttVersion version) {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, DUP 0, QoS 0, RETAIN 0
                0x07,                 // remaining length 7
                0x00, 0x03,           // topic name length 3
                'a', '/', 'b',        // topic name "a/b"
                'h', 'i');            // payload "hi"
        assertFixture(clientSpeaking(version), version, bytes, Publish.atMostOnce("a/b", ascii("hi")));
    }

    @Test
    @DisplayName("3.1.1 PUBLISH QoS 1 with RETAIN, client to server after a CONNECT")
    void decodesV311AtLeastOnceRetained() {
        byte[] bytes = wire(
                0x33,                 // PUBLISH, DUP 0, QoS 1, RETAIN 1
                0x08,                 // remaining length 8
                0x00, 0x03,           // topic name length 3
                'a', '/', 'b',        // topic name "a/b"
                0x00, 0x0A,           // packet identifier 10
                'x');                 // payload "x"
        Publish expected = new Publish("a/b", Qos.AT_LEAST_ONCE, true, false, 10, ascii("x"), MqttProperties.EMPTY);
        assertDecodes(serverAfter(connectV311()), bytes, expected);
        assertEncodes(expected, MqttVersion.V3_1_1, bytes);
    }

    @Test
    @DisplayName("3.1.1 PUBLISH QoS 2 with DUP, packet identifier 65535, empty payload")
    void decodesV311ExactlyOnceDuplicate() {
        byte[] bytes = wire(
                0x3C,                 // PUBLISH, DUP 1, QoS 2, RETAIN 0
                0x07,                 // remaining length 7
                0x00, 0x03,           // topic name length 3
                'a', '/', 'b',        // topic name "a/b"
                0xFF, 0xFF);          // packet identifier 65535; payload empty
        Publish expected = new Publish("a/b", Qos.EXACTLY_ONCE, false, true, 65535, new byte[0], MqttProperties.EMPTY);
        assertFixture(serverSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("3.1.1 retained PUBLISH QoS 0 with an empty payload (clears a retained message, 3.3.1.3)")
    void decodesV311RetainedEmptyPayload() {
        byte[] bytes = wire(
                0x31,                 // PUBLISH, DUP 0, QoS 0, RETAIN 1
                0x03,                 // remaining length 3
                0x00, 0x01,           // topic name length 1
                't');                 // topic name "t"; payload empty
        Publish expected = new Publish("t", Qos.AT_MOST_ONCE, true, false, 0, new byte[0], MqttProperties.EMPTY);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("a topic with 2-, 3- and 4-byte UTF-8 characters decodes to the same string (1.5.4)")
    void decodesMultiByteUtf8Topic() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x0D,                 // remaining length 13
                0x00, 0x0B,           // topic name length 11
                0xC3, 0xBC,           // U+00FC
                '/',
                0xE2, 0x82, 0xAC,     // U+20AC
                '/',
                0xF0, 0x9D, 0x84, 0x9E); // U+1D11E (a surrogate pair in Java); payload empty
        Publish expected = Publish.atMostOnce("\u00FC/\u20AC/\uD834\uDD1E", new byte[0]);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
    }

    @Test
    @DisplayName("a BOM (EF BB BF) at the start of a topic is kept, not stripped [MQTT-1.5.3-3] [MQTT-1.5.4-3]")
    void keepsByteOrderMarkInTopic() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x06,                 // remaining length 6
                0x00, 0x04,           // topic name length 4
                0xEF, 0xBB, 0xBF,     // U+FEFF ZERO WIDTH NO-BREAK SPACE
                'a');                 // "a"; payload empty
        Publish expected = Publish.atMostOnce("\uFEFFa", new byte[0]);
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, expected);
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, wire(
                0x30,                 // PUBLISH, QoS 0
                0x07,                 // remaining length 7
                0x00, 0x04,           // topic name length 4
                0xEF, 0xBB, 0xBF,     // U+FEFF
                'a',                  // "a"
                0x00), expected);     // property length 0; payload empty
    }

    @Test
    @DisplayName("remaining length 203 is the two-byte Variable Byte Integer CB 01 (1.5.5)")
    void decodesTwoByteRemainingLength() {
        byte[] payload = new byte[200];
        Arrays.fill(payload, (byte) 'p');
        byte[] bytes = concat(wire(
                0x30,                 // PUBLISH, QoS 0
                0xCB, 0x01,           // remaining length 75 + 1 * 128 = 203
                0x00, 0x01,           // topic name length 1
                't'),                 // topic name "t"
                payload);             // 200 payload bytes
        assertFixture(clientSpeaking(MqttVersion.V3_1_1), MqttVersion.V3_1_1, bytes, Publish.atMostOnce("t", payload));
    }

    @Test
    @DisplayName("3.1.1 encoding leaves out properties")
    void encodesV311WithoutProperties() {
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 30L)
                .user("k", "v")
                .build();
        Publish publish = new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, ascii("hi"), properties);
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x07,                 // remaining length 7
                0x00, 0x03,           // topic name length 3
                'a', '/', 'b',        // topic name "a/b"
                'h', 'i');            // payload "hi"
        assertEncodes(publish, MqttVersion.V3_1_1, bytes);
    }

    // ---------------------------------------------------------------- MQTT 5.0

    @Test
    @DisplayName("5.0 PUBLISH QoS 0 with an empty property list")
    void decodesV5AtMostOnce() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, DUP 0, QoS 0, RETAIN 0
                0x08,                 // remaining length 8
                0x00, 0x03,           // topic name length 3
                'a', '/', 'b',        // topic name "a/b"
                0x00,                 // property length 0
                'h', 'i');            // payload "hi"
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, Publish.atMostOnce("a/b", ascii("hi")));
    }

    private static byte[] v5PublishWithProperties() {
        return wire(
                0x32,                 // PUBLISH, DUP 0, QoS 1, RETAIN 0
                0x44,                 // remaining length 68
                0x00, 0x03,           // topic name length 3
                's', '/', '1',        // topic name "s/1"
                0x00, 0x07,           // packet identifier 7
                0x3A,                 // property length 58
                0x01, 0x01,           // Payload Format Indicator 1 (UTF-8)
                0x02, 0x00, 0x00, 0x00, 0x3C, // Message Expiry Interval 60
                0x03,                 // Content Type
                0x00, 0x0A, 't', 'e', 'x', 't', '/', 'p', 'l', 'a', 'i', 'n', // "text/plain"
                0x08,                 // Response Topic
                0x00, 0x07, 'r', 'e', 'p', 'l', 'y', '/', '1', // "reply/1"
                0x09,                 // Correlation Data
                0x00, 0x04, 0xDE, 0xAD, 0xBE, 0xEF, // four octets
                0x26,                 // User Property
                0x00, 0x01, 'z',      //   name "z"
                0x00, 0x01, '1',      //   value "1"
                0x26,                 // User Property
                0x00, 0x01, 'a',      //   name "a"
                0x00, 0x01, '2',      //   value "2"
                0x26,                 // User Property, name "z" again
                0x00, 0x01, 'z',      //   name "z"
                0x00, 0x01, '3',      //   value "3"
                'o', 'k');            // payload "ok"
    }

    private static Publish v5PublishWithPropertiesRecord() {
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 60L)
                .add(PropertyId.CONTENT_TYPE, "text/plain")
                .add(PropertyId.RESPONSE_TOPIC, "reply/1")
                .add(PropertyId.CORRELATION_DATA, new byte[] {(byte) 0xDE, (byte) 0xAD, (byte) 0xBE, (byte) 0xEF})
                .user("z", "1")
                .user("a", "2")
                .user("z", "3")
                .build();
        return new Publish("s/1", Qos.AT_LEAST_ONCE, false, false, 7, ascii("ok"), properties);
    }

    @Test
    @DisplayName("5.0 PUBLISH QoS 1 with message properties, User Properties in order [MQTT-3.3.2-18]")
    void decodesV5PublishProperties() {
        assertDecodes(serverAfter(connectV5()), v5PublishWithProperties(), v5PublishWithPropertiesRecord());
        assertEncodes(v5PublishWithPropertiesRecord(), MqttVersion.V5, v5PublishWithProperties());
    }

    @Test
    @DisplayName("5.0 PUBLISH with properties decodes the same when its bytes arrive one at a time")
    void decodesV5PublishByteByByte() {
        assertDecodesByteByByte(serverSpeaking(MqttVersion.V5), v5PublishWithProperties(), v5PublishWithPropertiesRecord());
    }

    @Test
    @DisplayName("5.0 PUBLISH with an empty topic and a Topic Alias: the decoder hands both on (3.3.2.3.4)")
    void decodesV5EmptyTopicWithAlias() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x07,                 // remaining length 7
                0x00, 0x00,           // topic name length 0
                0x03,                 // property length 3
                0x23, 0x00, 0x05,     // Topic Alias 5
                'p');                 // payload "p"
        MqttProperties properties = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 5).build();
        Publish expected = new Publish("", Qos.AT_MOST_ONCE, false, false, 0, ascii("p"), properties);
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("5.0 PUBLISH with a topic and a Topic Alias (setting up the alias)")
    void decodesV5TopicWithAlias() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x08,                 // remaining length 8
                0x00, 0x01,           // topic name length 1
                'a',                  // topic name "a"
                0x03,                 // property length 3
                0x23, 0x00, 0x01,     // Topic Alias 1
                'p');                 // payload "p"
        MqttProperties properties = MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 1).build();
        Publish expected = new Publish("a", Qos.AT_MOST_ONCE, false, false, 0, ascii("p"), properties);
        assertFixture(serverSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    @Test
    @DisplayName("5.0 PUBLISH to a client with several Subscription Identifiers, 1- 2- and 4-byte (3.3.2.3.8, 3.3.4)")
    void decodesSeveralSubscriptionIdentifiersOnClient() {
        byte[] bytes = wire(
                0x34,                 // PUBLISH, DUP 0, QoS 2, RETAIN 0
                0x12,                 // remaining length 18
                0x00, 0x03,           // topic name length 3
                'f', '/', 'g',        // topic name "f/g"
                0x01, 0x02,           // packet identifier 258
                0x0A,                 // property length 10
                0x0B, 0x01,           // Subscription Identifier 1
                0x0B, 0xC8, 0x01,     // Subscription Identifier 72 + 1 * 128 = 200
                0x0B, 0xFF, 0xFF, 0xFF, 0x7F); // Subscription Identifier 268,435,455; payload empty
        MqttProperties properties = MqttProperties.builder()
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 1)
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 200)
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455)
                .build();
        Publish expected = new Publish("f/g", Qos.EXACTLY_ONCE, false, false, 258, new byte[0], properties);
        assertFixture(clientSpeaking(MqttVersion.V5), MqttVersion.V5, bytes, expected);
    }

    // ---------------------------------------------------------------- rejections

    @Test
    @DisplayName("PUBLISH QoS 3 is malformed [MQTT-3.3.1-4]")
    void rejectsQos3() {
        byte[] v311 = wire(
                0x36,                 // PUBLISH, QoS bits 11
                0x05,                 // remaining length 5
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x00, 0x01);          // packet identifier 1
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, v311);
        byte[] v5 = wire(
                0x36,                 // PUBLISH, QoS bits 11
                0x06,                 // remaining length 6
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x00, 0x01,           // packet identifier 1
                0x00);                // property length 0
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, v5);
    }

    @Test
    @DisplayName("PUBLISH QoS 0 with DUP set is malformed [MQTT-3.3.1-2]")
    void rejectsDupOnQos0() {
        byte[] v311 = wire(
                0x38,                 // PUBLISH, DUP 1, QoS 0
                0x03,                 // remaining length 3
                0x00, 0x01,           // topic name length 1
                't');                 // topic name "t"
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, v311);
        byte[] v5 = wire(
                0x38,                 // PUBLISH, DUP 1, QoS 0
                0x04,                 // remaining length 4
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x00);                // property length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, v5);
    }

    static Stream<Arguments> topicsWithWildcards() {
        return Stream.of(
                Arguments.of("3.1.1 \"a/+\"", MqttVersion.V3_1_1, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x05,         // remaining length 5
                        0x00, 0x03,   // topic name length 3
                        'a', '/', '+')), // topic name "a/+"
                Arguments.of("3.1.1 \"#\"", MqttVersion.V3_1_1, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x03,         // remaining length 3
                        0x00, 0x01,   // topic name length 1
                        '#')),        // topic name "#"
                Arguments.of("5.0 \"a/#\"", MqttVersion.V5, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x06,         // remaining length 6
                        0x00, 0x03,   // topic name length 3
                        'a', '/', '#', // topic name "a/#"
                        0x00)),       // property length 0
                Arguments.of("5.0 \"x+y\" (a + inside a level)", MqttVersion.V5, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x06,         // remaining length 6
                        0x00, 0x03,   // topic name length 3
                        'x', '+', 'y', // topic name "x+y"
                        0x00)));      // property length 0
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("topicsWithWildcards")
    @DisplayName("a PUBLISH topic with a wildcard character is rejected with 0x90 [MQTT-3.3.2-2]")
    void rejectsWildcardInTopic(String name, MqttVersion version, byte[] bytes) {
        assertRejected(serverSpeaking(version), ReasonCode.TOPIC_NAME_INVALID, bytes);
        assertRejected(clientSpeaking(version), ReasonCode.TOPIC_NAME_INVALID, bytes);
    }

    @Test
    @DisplayName("5.0 PUBLISH with an empty topic and no Topic Alias is a protocol error (3.3.2.3.4)")
    void rejectsV5EmptyTopicWithoutAlias() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x04,                 // remaining length 4
                0x00, 0x00,           // topic name length 0
                0x00,                 // property length 0: no Topic Alias
                'p');                 // payload "p"
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("3.1.1 PUBLISH with an empty topic is a protocol error [MQTT-4.7.3-1]")
    void rejectsV311EmptyTopic() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x03,                 // remaining length 3
                0x00, 0x00,           // topic name length 0 (3.1.1 has no Topic Alias)
                'p');                 // payload "p"
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("PUBLISH QoS>0 with packet identifier 0 is a protocol error (3.1.1 [MQTT-2.3.1-1], 5.0 [MQTT-2.2.1-3])")
    void rejectsPacketIdentifierZero() {
        byte[] v311 = wire(
                0x32,                 // PUBLISH, QoS 1
                0x05,                 // remaining length 5
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x00, 0x00);          // packet identifier 0
        assertRejected(serverSpeaking(MqttVersion.V3_1_1), ReasonCode.PROTOCOL_ERROR, v311);
        byte[] v5 = wire(
                0x34,                 // PUBLISH, QoS 2
                0x06,                 // remaining length 6
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x00, 0x00,           // packet identifier 0
                0x00);                // property length 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, v5);
    }

    @Test
    @DisplayName("5.0 PUBLISH with Topic Alias 0 is rejected with 0x94 [MQTT-3.3.2-8]")
    void rejectsTopicAliasZero() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x07,                 // remaining length 7
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x03,                 // property length 3
                0x23, 0x00, 0x00);    // Topic Alias 0
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.TOPIC_ALIAS_INVALID, bytes);
    }

    @Test
    @DisplayName("a Subscription Identifier in a PUBLISH from a client is a protocol error [MQTT-3.3.4-6]")
    void rejectsSubscriptionIdentifierFromClient() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x06,                 // remaining length 6
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x02,                 // property length 2
                0x0B, 0x01);          // Subscription Identifier 1
        assertRejected(serverAfter(connectV5()), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("Subscription Identifier 0 in a PUBLISH to a client is a protocol error (3.3.2.3.8)")
    void rejectsSubscriptionIdentifierZero() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x06,                 // remaining length 6
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x02,                 // property length 2
                0x0B, 0x00);          // Subscription Identifier 0
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    @Test
    @DisplayName("5.0 PUBLISH with Content Type twice is a protocol error (2.2.2.2)")
    void rejectsRepeatedContentType() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x0C,                 // remaining length 12
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x08,                 // property length 8
                0x03, 0x00, 0x01, 'a', // Content Type "a"
                0x03, 0x00, 0x01, 'b'); // Content Type "b": may appear once only
        assertRejected(clientSpeaking(MqttVersion.V5), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    static Stream<Arguments> truncatedPublishes() {
        return Stream.of(
                Arguments.of("3.1.1 topic length runs past the end", MqttVersion.V3_1_1, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x03,         // remaining length 3
                        0x00, 0x05,   // topic name length 5, but 1 byte remains
                        'a')),
                Arguments.of("3.1.1 QoS 1 with half a packet identifier", MqttVersion.V3_1_1, wire(
                        0x32,         // PUBLISH, QoS 1
                        0x04,         // remaining length 4
                        0x00, 0x01,   // topic name length 1
                        't',          // topic name "t"
                        0x00)),       // one byte of the two-byte packet identifier
                Arguments.of("3.1.1 remaining length 1", MqttVersion.V3_1_1, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x01,         // remaining length 1
                        0x00)),       // one byte of the topic length
                Arguments.of("5.0 property length missing", MqttVersion.V5, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x03,         // remaining length 3
                        0x00, 0x01,   // topic name length 1
                        't')),        // topic name "t"; property length missing
                Arguments.of("5.0 property length runs past the end", MqttVersion.V5, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x05,         // remaining length 5
                        0x00, 0x01,   // topic name length 1
                        't',          // topic name "t"
                        0x09,         // property length 9, but 1 byte remains
                        0x01)),
                Arguments.of("5.0 Correlation Data runs past the property length", MqttVersion.V5, wire(
                        0x30,         // PUBLISH, QoS 0
                        0x0B,         // remaining length 11
                        0x00, 0x01,   // topic name length 1
                        't',          // topic name "t"
                        0x03,         // property length 3
                        0x09, 0x00, 0x04, // Correlation Data of 4 bytes: none inside the properties
                        'a', 'b', 'c', 'd'))); // payload bytes the property must not swallow
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("truncatedPublishes")
    @DisplayName("a PUBLISH shorter than its fields is malformed (0x81)")
    void rejectsTruncatedPublish(String name, MqttVersion version, byte[] bytes) {
        assertRejected(clientSpeaking(version), ReasonCode.MALFORMED_PACKET, bytes);
    }

    static Stream<Arguments> illFormedUtf8Topics() {
        return Stream.of(
                Arguments.of("overlong '/' C0 AF [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x05,         // remaining length 5
                        0x00, 0x03,   // topic name length 3
                        'a',          // "a"
                        0xC0, 0xAF)), // '/' in two bytes: overlong
                Arguments.of("encoded surrogate ED A0 80 [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x06,         // remaining length 6
                        0x00, 0x04,   // topic name length 4
                        'a',          // "a"
                        0xED, 0xA0, 0x80)), // U+D800
                Arguments.of("byte FF [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x04,         // remaining length 4
                        0x00, 0x02,   // topic name length 2
                        'a',          // "a"
                        0xFF)),       // never valid in UTF-8
                Arguments.of("U+0000 [MQTT-1.5.4-2]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x05,         // remaining length 5
                        0x00, 0x03,   // topic name length 3
                        'a',          // "a"
                        0x00,         // U+0000
                        'b')),        // "b"
                Arguments.of("U+0000 as overlong C0 80 [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x05,         // remaining length 5
                        0x00, 0x03,   // topic name length 3
                        'a',          // "a"
                        0xC0, 0x80)), // U+0000 in two bytes (Java's modified UTF-8)
                Arguments.of("above U+10FFFF F4 90 80 80 [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x07,         // remaining length 7
                        0x00, 0x05,   // topic name length 5
                        'a',          // "a"
                        0xF4, 0x90, 0x80, 0x80)), // U+110000
                Arguments.of("sequence cut by the string's end E2 82 [MQTT-1.5.4-1]", wire(
                        0x30,         // PUBLISH, QoS 0
                        0x06,         // remaining length 6
                        0x00, 0x03,   // topic name length 3
                        'a',          // "a"
                        0xE2, 0x82,   // first two bytes of U+20AC
                        0xAC)));      // its last byte, in the payload
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("illFormedUtf8Topics")
    @DisplayName("a 3.1.1 PUBLISH topic that is not well-formed UTF-8 is malformed (0x81) [MQTT-1.5.3-1] [MQTT-1.5.3-2]")
    void rejectsIllFormedUtf8Topic(String name, byte[] bytes) {
        assertRejected(clientSpeaking(MqttVersion.V3_1_1), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("5.0 PUBLISH with an ill-formed UTF-8 Content Type is malformed [MQTT-1.5.4-1]")
    void rejectsIllFormedUtf8Property() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x09,                 // remaining length 9
                0x00, 0x01,           // topic name length 1
                't',                  // topic name "t"
                0x05,                 // property length 5
                0x03, 0x00, 0x02,     // Content Type, length 2
                0xC0, 0xAF);          // overlong '/'
        assertRejected(serverSpeaking(MqttVersion.V5), ReasonCode.MALFORMED_PACKET, bytes);
    }

    @Test
    @DisplayName("a PUBLISH before any CONNECT is a protocol error [MQTT-3.1.0-1]")
    void rejectsPublishAsFirstPacket() {
        byte[] bytes = wire(
                0x30,                 // PUBLISH, QoS 0
                0x03,                 // remaining length 3
                0x00, 0x01,           // topic name length 1
                't');                 // topic name "t"
        assertRejected(DecodeContext.server(WireFixtures.NO_LIMIT), ReasonCode.PROTOCOL_ERROR, bytes);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(US_ASCII);
    }
}
