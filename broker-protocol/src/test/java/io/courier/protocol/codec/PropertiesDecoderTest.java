package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertDecodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertEncodes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.codec.DecodeEncodeAssertions.concat;
import static io.courier.protocol.codec.DecodeEncodeAssertions.server;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyType;
import io.courier.protocol.property.UserProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every MQTT 5.0 property (spec 2.2.2.2, table 2-4) decoded from hand-written bytes in a packet it
 * belongs to, with its wire type; the rejections live in {@link PropertyRejectionDecoderTest}.
 *
 * <p>Five packets carry all 27 identifiers between them: a PUBLISH (decoded by a client, since a
 * server refuses a Subscription Identifier in it [MQTT-3.3.4-6]), a CONNECT with Will Properties,
 * a CONNACK, an AUTH and a DISCONNECT. {@link #theFixturesCoverEveryIdentifier()} keeps it so.
 */
class PropertiesDecoderTest {

    /** Table 2-4 as the spec prints it: identifier and wire type. */
    static final Map<Integer, PropertyType> SPEC_TABLE = specTable();

    private static Map<Integer, PropertyType> specTable() {
        Map<Integer, PropertyType> t = new TreeMap<>();
        t.put(0x01, PropertyType.BYTE);                  // Payload Format Indicator
        t.put(0x02, PropertyType.FOUR_BYTE_INTEGER);     // Message Expiry Interval
        t.put(0x03, PropertyType.UTF8_STRING);           // Content Type
        t.put(0x08, PropertyType.UTF8_STRING);           // Response Topic
        t.put(0x09, PropertyType.BINARY_DATA);           // Correlation Data
        t.put(0x0B, PropertyType.VARIABLE_BYTE_INTEGER); // Subscription Identifier
        t.put(0x11, PropertyType.FOUR_BYTE_INTEGER);     // Session Expiry Interval
        t.put(0x12, PropertyType.UTF8_STRING);           // Assigned Client Identifier
        t.put(0x13, PropertyType.TWO_BYTE_INTEGER);      // Server Keep Alive
        t.put(0x15, PropertyType.UTF8_STRING);           // Authentication Method
        t.put(0x16, PropertyType.BINARY_DATA);           // Authentication Data
        t.put(0x17, PropertyType.BYTE);                  // Request Problem Information
        t.put(0x18, PropertyType.FOUR_BYTE_INTEGER);     // Will Delay Interval
        t.put(0x19, PropertyType.BYTE);                  // Request Response Information
        t.put(0x1A, PropertyType.UTF8_STRING);           // Response Information
        t.put(0x1C, PropertyType.UTF8_STRING);           // Server Reference
        t.put(0x1F, PropertyType.UTF8_STRING);           // Reason String
        t.put(0x21, PropertyType.TWO_BYTE_INTEGER);      // Receive Maximum
        t.put(0x22, PropertyType.TWO_BYTE_INTEGER);      // Topic Alias Maximum
        t.put(0x23, PropertyType.TWO_BYTE_INTEGER);      // Topic Alias
        t.put(0x24, PropertyType.BYTE);                  // Maximum QoS
        t.put(0x25, PropertyType.BYTE);                  // Retain Available
        t.put(0x26, PropertyType.UTF8_STRING_PAIR);      // User Property
        t.put(0x27, PropertyType.FOUR_BYTE_INTEGER);     // Maximum Packet Size
        t.put(0x28, PropertyType.BYTE);                  // Wildcard Subscription Available
        t.put(0x29, PropertyType.BYTE);                  // Subscription Identifier Available
        t.put(0x2A, PropertyType.BYTE);                  // Shared Subscription Available
        return Map.copyOf(t);
    }

    // ---------------------------------------------------------------- PUBLISH

    static final byte[] PUBLISH = bytes(
            0x30,                          // PUBLISH, DUP 0, QoS 0, RETAIN 0
            0x2C,                          // remaining length 44
            0x00, 0x01, 't',               // topic name "t"
            0x28,                          // property length 40
            0x01, 0x01,                    // Payload Format Indicator (byte): 1, UTF-8
            0x02, 0x00, 0x00, 0x0E, 0x10,  // Message Expiry Interval (four byte): 3600
            0x03, 0x00, 0x04, 't', 'e', 'x', 't', // Content Type (string): "text"
            0x08, 0x00, 0x01, 'r',         // Response Topic (string): "r"
            0x09, 0x00, 0x02, 0xCA, 0xFE,  // Correlation Data (binary): CA FE
            0x0B, 0xFF, 0xFF, 0xFF, 0x7F,  // Subscription Identifier (VBI): 268,435,455
            0x0B, 0x01,                    // Subscription Identifier again: 1 (may repeat here)
            0x23, 0x00, 0x05,              // Topic Alias (two byte): 5
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v'); // User Property (pair): k=v
                                           // no payload

    static final Publish PUBLISH_EXPECTED = new Publish("t", Qos.AT_MOST_ONCE, false, false, 0, new byte[0],
            MqttProperties.builder()
                    .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                    .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 3600L)
                    .add(PropertyId.CONTENT_TYPE, "text")
                    .add(PropertyId.RESPONSE_TOPIC, "r")
                    .add(PropertyId.CORRELATION_DATA, new byte[] {(byte) 0xCA, (byte) 0xFE})
                    .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455)
                    .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 1)
                    .add(PropertyId.TOPIC_ALIAS, 5)
                    .user("k", "v")
                    .build());

    @Test
    @DisplayName("PUBLISH properties, Subscription Identifier repeated and at its 4-byte maximum [MQTT-3.3.4-4]")
    void publishProperties() {
        assertDecodes(client(V5), PUBLISH, PUBLISH_EXPECTED);
        assertEncodes(PUBLISH_EXPECTED, V5, PUBLISH);
    }

    // ---------------------------------------------------------------- CONNECT and Will Properties

    static final byte[] CONNECT = bytes(
            0x10,                          // CONNECT
            0x5D,                          // remaining length 93
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
            0x05,                          // protocol level 5
            0x0E,                          // flags: Will QoS 1, Will Flag, Clean Start
            0x00, 0x3C,                    // keep alive 60
            0x28,                          // property length 40
            0x11, 0xFF, 0xFF, 0xFF, 0xFF,  // Session Expiry Interval (four byte): 0xFFFFFFFF, never
            0x21, 0xFF, 0xFF,              // Receive Maximum (two byte): 65535
            0x27, 0x00, 0x00, 0x10, 0x00,  // Maximum Packet Size (four byte): 4096
            0x22, 0x00, 0x0A,              // Topic Alias Maximum (two byte): 10
            0x19, 0x01,                    // Request Response Information (byte): 1
            0x17, 0x00,                    // Request Problem Information (byte): 0
            0x15, 0x00, 0x05, 'S', 'C', 'R', 'A', 'M', // Authentication Method (string): "SCRAM"
            0x16, 0x00, 0x02, 0x01, 0x02,  // Authentication Data (binary): 01 02
            0x26, 0x00, 0x01, 'a', 0x00, 0x01, 'b', // User Property: a=b
            0x00, 0x01, 'c',               // client identifier "c"
            0x1F,                          // Will Properties length 31
            0x18, 0x00, 0x00, 0x00, 0x3C,  // Will Delay Interval (four byte): 60
            0x01, 0x01,                    // Payload Format Indicator: 1
            0x02, 0x00, 0x00, 0x00, 0x0A,  // Message Expiry Interval: 10
            0x03, 0x00, 0x01, 'j',         // Content Type: "j"
            0x08, 0x00, 0x01, 'r',         // Response Topic: "r"
            0x09, 0x00, 0x01, 0x07,        // Correlation Data: 07
            0x26, 0x00, 0x01, 'w', 0x00, 0x01, 'x', // User Property: w=x
            0x00, 0x02, 'w', 't',          // will topic "wt"
            0x00, 0x01, 'x');              // will payload "x"

    static final Connect CONNECT_EXPECTED = new Connect(V5, "c", true, 60, null, null,
            new Will("wt", new byte[] {'x'}, Qos.AT_LEAST_ONCE, false, MqttProperties.builder()
                    .add(PropertyId.WILL_DELAY_INTERVAL, 60L)
                    .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                    .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 10L)
                    .add(PropertyId.CONTENT_TYPE, "j")
                    .add(PropertyId.RESPONSE_TOPIC, "r")
                    .add(PropertyId.CORRELATION_DATA, new byte[] {0x07})
                    .user("w", "x")
                    .build()),
            MqttProperties.builder()
                    .add(PropertyId.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL)
                    .add(PropertyId.RECEIVE_MAXIMUM, 65535)
                    .add(PropertyId.MAXIMUM_PACKET_SIZE, 4096L)
                    .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 10)
                    .add(PropertyId.REQUEST_RESPONSE_INFORMATION, 1)
                    .add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)
                    .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM")
                    .add(PropertyId.AUTHENTICATION_DATA, new byte[] {0x01, 0x02})
                    .user("a", "b")
                    .build());

    @Test
    @DisplayName("CONNECT properties and Will Properties (3.1.2.11, 3.1.3.2), the first packet a server sees")
    void connectAndWillProperties() {
        assertDecodes(DecodeContext.server(DecodeEncodeAssertions.MAX), CONNECT, CONNECT_EXPECTED);
        assertEncodes(CONNECT_EXPECTED, V5, CONNECT);
    }

    // ---------------------------------------------------------------- CONNACK

    static final byte[] CONNACK = bytes(
            0x20,                          // CONNACK
            0x41,                          // remaining length 65
            0x00,                          // acknowledge flags: no session present
            0x00,                          // reason code Success
            0x3E,                          // property length 62
            0x11, 0x00, 0x00, 0x00, 0x78,  // Session Expiry Interval: 120
            0x21, 0x00, 0x14,              // Receive Maximum: 20
            0x24, 0x01,                    // Maximum QoS (byte): 1
            0x25, 0x00,                    // Retain Available (byte): 0
            0x27, 0x00, 0x01, 0x00, 0x00,  // Maximum Packet Size: 65536
            0x12, 0x00, 0x02, 'i', 'd',    // Assigned Client Identifier (string): "id"
            0x22, 0x00, 0x05,              // Topic Alias Maximum: 5
            0x1F, 0x00, 0x02, 'o', 'k',    // Reason String (string): "ok"
            0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property: k=v
            0x28, 0x01,                    // Wildcard Subscription Available (byte): 1
            0x29, 0x00,                    // Subscription Identifier Available (byte): 0
            0x2A, 0x01,                    // Shared Subscription Available (byte): 1
            0x13, 0x00, 0x1E,              // Server Keep Alive (two byte): 30
            0x1A, 0x00, 0x01, 'x',         // Response Information (string): "x"
            0x1C, 0x00, 0x01, 's',         // Server Reference (string): "s"
            0x15, 0x00, 0x01, 'm',         // Authentication Method: "m"
            0x16, 0x00, 0x01, 0x09);       // Authentication Data: 09

    static final ConnAck CONNACK_EXPECTED = new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.builder()
            .add(PropertyId.SESSION_EXPIRY_INTERVAL, 120L)
            .add(PropertyId.RECEIVE_MAXIMUM, 20)
            .add(PropertyId.MAXIMUM_QOS, 1)
            .add(PropertyId.RETAIN_AVAILABLE, 0)
            .add(PropertyId.MAXIMUM_PACKET_SIZE, 65536L)
            .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, "id")
            .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
            .add(PropertyId.REASON_STRING, "ok")
            .user("k", "v")
            .add(PropertyId.WILDCARD_SUBSCRIPTION_AVAILABLE, 1)
            .add(PropertyId.SUBSCRIPTION_IDENTIFIER_AVAILABLE, 0)
            .add(PropertyId.SHARED_SUBSCRIPTION_AVAILABLE, 1)
            .add(PropertyId.SERVER_KEEP_ALIVE, 30)
            .add(PropertyId.RESPONSE_INFORMATION, "x")
            .add(PropertyId.SERVER_REFERENCE, "s")
            .add(PropertyId.AUTHENTICATION_METHOD, "m")
            .add(PropertyId.AUTHENTICATION_DATA, new byte[] {0x09})
            .build());

    @Test
    @DisplayName("CONNACK properties (3.2.2.3), decoded by a client")
    void connAckProperties() {
        assertDecodes(client(V5), CONNACK, CONNACK_EXPECTED);
        assertEncodes(CONNACK_EXPECTED, V5, CONNACK);
    }

    // ---------------------------------------------------------------- AUTH and DISCONNECT

    static final byte[] AUTH = bytes(
            0xF0,                          // AUTH
            0x0A,                          // remaining length 10
            0x18,                          // reason code Continue authentication
            0x08,                          // property length 8
            0x15, 0x00, 0x01, 'm',         // Authentication Method: "m"
            0x16, 0x00, 0x01, 0x2A);       // Authentication Data: 2A

    static final Auth AUTH_EXPECTED = new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
            .add(PropertyId.AUTHENTICATION_METHOD, "m")
            .add(PropertyId.AUTHENTICATION_DATA, new byte[] {0x2A})
            .build());

    @Test
    @DisplayName("AUTH properties (3.15.2.2), decoded by a server")
    void authProperties() {
        assertDecodes(server(V5), AUTH, AUTH_EXPECTED);
        assertEncodes(AUTH_EXPECTED, V5, AUTH);
    }

    static final byte[] DISCONNECT = bytes(
            0xE0,                          // DISCONNECT
            0x07,                          // remaining length 7
            0x00,                          // reason code Normal disconnection
            0x05,                          // property length 5
            0x11, 0xFF, 0xFF, 0xFF, 0xFF); // Session Expiry Interval: 0xFFFFFFFF

    static final Disconnect DISCONNECT_EXPECTED = new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
            MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 0xFFFF_FFFFL).build());

    @Test
    @DisplayName("DISCONNECT Session Expiry Interval 0xFFFFFFFF: the largest four byte integer (3.14.2.2.2)")
    void disconnectSessionExpiryAtItsMaximum() {
        assertDecodes(server(V5), DISCONNECT, DISCONNECT_EXPECTED);
        assertEncodes(DISCONNECT_EXPECTED, V5, DISCONNECT);
    }

    // ---------------------------------------------------------------- Variable Byte Integers

    static Stream<Arguments> variableByteIntegers() {
        // The boundaries of spec 1.5.5, table 1-1.
        return Stream.of(
                Arguments.of(1, new int[] {0x01}),
                Arguments.of(127, new int[] {0x7F}),
                Arguments.of(128, new int[] {0x80, 0x01}),
                Arguments.of(16_383, new int[] {0xFF, 0x7F}),
                Arguments.of(16_384, new int[] {0x80, 0x80, 0x01}),
                Arguments.of(2_097_151, new int[] {0xFF, 0xFF, 0x7F}),
                Arguments.of(2_097_152, new int[] {0x80, 0x80, 0x80, 0x01}),
                Arguments.of(268_435_455, new int[] {0xFF, 0xFF, 0xFF, 0x7F}));
    }

    @ParameterizedTest(name = "Subscription Identifier {0}")
    @MethodSource("variableByteIntegers")
    @DisplayName("SUBSCRIBE Subscription Identifier at every Variable Byte Integer width (1.5.5)")
    void subscriptionIdentifierAtEveryWidth(int value, int[] encoding) {
        byte[] fixture = concat(
                bytes(0x82,                // SUBSCRIBE, flags 0010
                        8 + encoding.length, // remaining length: id 2, length 1, property 1+n, payload 4
                        0x00, 0x01,        // packet identifier 1
                        1 + encoding.length, // property length
                        0x0B),             // Subscription Identifier
                bytes(encoding),           // its value as a Variable Byte Integer
                bytes(0x00, 0x01, 'a',     // topic filter "a"
                        0x00));            // options: QoS 0
        Subscribe expected = new Subscribe(1,
                List.of(new Subscription("a", SubscriptionOptions.of(Qos.AT_MOST_ONCE))),
                MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, value).build());
        assertDecodes(server(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    @Test
    @DisplayName("A property length of two bytes (130 bytes of Reason String)")
    void propertyLengthOfTwoBytes() {
        int[] reason = new int[130];
        Arrays.fill(reason, 'r');
        byte[] fixture = concat(
                bytes(0x40,                // PUBACK
                        0x8A, 0x01,        // remaining length 138: 2 + 1 + 2 + 133
                        0x00, 0x01,        // packet identifier 1
                        0x10,              // No matching subscribers
                        0x85, 0x01,        // property length 133
                        0x1F, 0x00, 0x82), // Reason String of 130 bytes
                bytes(reason));            // "rrr...r"
        PubAck expected = new PubAck(1, ReasonCode.NO_MATCHING_SUBSCRIBERS,
                MqttProperties.builder().add(PropertyId.REASON_STRING, "r".repeat(130)).build());
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
    }

    // ---------------------------------------------------------------- User Properties

    @Test
    @DisplayName("User Properties repeat, keep their order and duplicates [MQTT-3.3.2-17] [MQTT-3.3.2-18]")
    void userPropertiesRepeatInOrder() {
        byte[] fixture = bytes(
                0x40,                      // PUBACK
                0x20,                      // remaining length 32
                0x00, 0x01,                // packet identifier 1
                0x00,                      // reason code Success
                0x1C,                      // property length 28
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '1', // User Property a=1
                0x26, 0x00, 0x01, 'b', 0x00, 0x01, '2', // User Property b=2
                0x26, 0x00, 0x01, 'a', 0x00, 0x01, '3', // User Property a=3: same name again
                0x26, 0x00, 0x00, 0x00, 0x02, 0xC3, 0xA9); // User Property ""="é" (U+00E9)
        PubAck expected = new PubAck(1, ReasonCode.SUCCESS, MqttProperties.builder()
                .user("a", "1").user("b", "2").user("a", "3").user("", "\u00E9").build());
        assertDecodes(client(V5), fixture, expected);
        assertEncodes(expected, V5, fixture);
        PubAck decoded = (PubAck) new MqttDecoder(server(V5)).decode(fixture).get(0);
        assertEquals(List.of(new UserProperty("a", "1"), new UserProperty("b", "2"),
                new UserProperty("a", "3"), new UserProperty("", "\u00E9")), decoded.properties().userProperties());
    }

    // ---------------------------------------------------------------- the table itself

    @Test
    @DisplayName("PropertyId knows all 27 identifiers of table 2-4 with their wire types, and no others")
    void everyIdentifierOfTheSpecIsKnownWithItsType() {
        assertEquals(27, SPEC_TABLE.size());
        for (Map.Entry<Integer, PropertyType> e : SPEC_TABLE.entrySet()) {
            PropertyId id = PropertyId.ofId(e.getKey());
            assertNotNull(id, () -> "identifier 0x" + Integer.toHexString(e.getKey()));
            assertEquals(e.getValue(), id.type(), () -> id + " wire type");
        }
        assertEquals(27, PropertyId.values().length);
    }

    @Test
    @DisplayName("The fixtures above hold every one of the 27 identifiers")
    void theFixturesCoverEveryIdentifier() {
        TreeSet<Integer> covered = new TreeSet<>();
        for (MqttProperties ps : List.of(PUBLISH_EXPECTED.properties(), CONNECT_EXPECTED.properties(),
                CONNECT_EXPECTED.will().properties(), CONNACK_EXPECTED.properties(), AUTH_EXPECTED.properties(),
                DISCONNECT_EXPECTED.properties())) {
            for (Property p : ps.asList()) {
                covered.add(p.id().id());
            }
        }
        assertEquals(new TreeSet<>(SPEC_TABLE.keySet()), covered);
    }
}
