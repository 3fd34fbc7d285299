package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The encoder's contract (broker-protocol/README.md): 5.0 forms the spec lets a sender shorten
 * are shortened, 3.x gets only the fields 3.x has, and what a version cannot express is refused.
 * Expected bytes are written by hand from the spec.
 */
class EncoderShortFormTest {

    /** A property list 3.x must never see on the wire. */
    private static final MqttProperties SOME_PROPERTIES = MqttProperties.builder()
            .add(PropertyId.REASON_STRING, "why")
            .user("k", "v").build();

    // ---------------------------------------------------------------- 5.0 short forms

    static Stream<Arguments> successWithoutProperties() {
        return Stream.of(
                Arguments.of(PubAck.success(0x1234), new byte[] {
                    0x40,                 // PUBACK
                    0x02,                 // remaining length 2
                    0x12, 0x34            // packet identifier 0x1234; reason and properties omitted
                }),
                Arguments.of(PubRec.success(0x1234), new byte[] {
                    0x50,                 // PUBREC
                    0x02,                 // remaining length 2
                    0x12, 0x34            // packet identifier 0x1234
                }),
                Arguments.of(PubRel.success(0x1234), new byte[] {
                    0x62,                 // PUBREL, flags 0010 [MQTT-3.6.1-1]
                    0x02,                 // remaining length 2
                    0x12, 0x34            // packet identifier 0x1234
                }),
                Arguments.of(PubComp.success(0x1234), new byte[] {
                    0x70,                 // PUBCOMP
                    0x02,                 // remaining length 2
                    0x12, 0x34            // packet identifier 0x1234
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("successWithoutProperties")
    @DisplayName("5.0 publish acknowledgement with Success and no properties is 4 bytes (3.4.2.1)")
    void successWithoutPropertiesOmitsReasonAndPropertyLength(MqttPacket packet, byte[] expected) {
        assertEncodesTo(expected, packet, MqttVersion.V5);
    }

    static Stream<Arguments> reasonWithoutProperties() {
        MqttProperties none = MqttProperties.EMPTY;
        return Stream.of(
                Arguments.of(new PubAck(0x1234, ReasonCode.NO_MATCHING_SUBSCRIBERS, none), new byte[] {
                    0x40,                 // PUBACK
                    0x03,                 // remaining length 3
                    0x12, 0x34,           // packet identifier 0x1234
                    0x10                  // reason: No matching subscribers; property length omitted
                }),
                Arguments.of(new PubRec(0x1234, ReasonCode.QUOTA_EXCEEDED, none), new byte[] {
                    0x50,                 // PUBREC
                    0x03,                 // remaining length 3
                    0x12, 0x34,           // packet identifier 0x1234
                    (byte) 0x97           // reason: Quota exceeded
                }),
                Arguments.of(new PubRel(0x1234, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, none), new byte[] {
                    0x62,                 // PUBREL
                    0x03,                 // remaining length 3
                    0x12, 0x34,           // packet identifier 0x1234
                    (byte) 0x92           // reason: Packet Identifier not found
                }),
                Arguments.of(new PubComp(0x1234, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, none), new byte[] {
                    0x70,                 // PUBCOMP
                    0x03,                 // remaining length 3
                    0x12, 0x34,           // packet identifier 0x1234
                    (byte) 0x92           // reason: Packet Identifier not found
                }));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reasonWithoutProperties")
    @DisplayName("5.0 publish acknowledgement with a reason and no properties is 5 bytes (3.4.2.2.1)")
    void reasonWithoutPropertiesOmitsPropertyLength(MqttPacket packet, byte[] expected) {
        assertEncodesTo(expected, packet, MqttVersion.V5);
    }

    @Test
    @DisplayName("5.0 PUBACK with Success and a property writes the reason code and property length")
    void successWithPropertiesIsNotShortened() {
        PubAck ack = new PubAck(0x1234, ReasonCode.SUCCESS,
                MqttProperties.builder().add(PropertyId.REASON_STRING, "ok").build());
        byte[] expected = {
            0x40,                         // PUBACK
            0x09,                         // remaining length 9
            0x12, 0x34,                   // packet identifier 0x1234
            0x00,                         // reason: Success
            0x05,                         // property length 5
            0x1F, 0x00, 0x02, 'o', 'k'    // Reason String "ok"
        };

        assertEncodesTo(expected, ack, MqttVersion.V5);
    }

    @Test
    @DisplayName("5.0 DISCONNECT with Normal disconnection and no properties is 2 bytes (3.14.2.1)")
    void normalDisconnectWithoutPropertiesHasNoBody() {
        byte[] expected = {
            (byte) 0xE0,                  // DISCONNECT
            0x00                          // remaining length 0: reason and properties omitted
        };

        assertEncodesTo(expected, Disconnect.NORMAL, MqttVersion.V5);
    }

    @Test
    @DisplayName("5.0 DISCONNECT with Normal disconnection and a property keeps its reason code")
    void normalDisconnectWithPropertiesIsNotShortened() {
        Disconnect disconnect = new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 0).build());
        byte[] expected = {
            (byte) 0xE0,                  // DISCONNECT
            0x07,                         // remaining length 7
            0x00,                         // reason: Normal disconnection
            0x05,                         // property length 5
            0x11, 0x00, 0x00, 0x00, 0x00  // Session Expiry Interval 0
        };

        assertEncodesTo(expected, disconnect, MqttVersion.V5);
    }

    @Test
    @DisplayName("5.0 AUTH with Success and no properties is 2 bytes (3.15.2.1)")
    void successfulAuthWithoutPropertiesHasNoBody() {
        byte[] expected = {
            (byte) 0xF0,                  // AUTH
            0x00                          // remaining length 0: reason and properties omitted
        };

        assertEncodesTo(expected, new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY), MqttVersion.V5);
    }

    @Test
    @DisplayName("5.0 PUBLISH always carries a property length, 0 when there are none (3.3.2.3)")
    void v5PublishWithoutPropertiesStillHasAPropertyLength() {
        byte[] expected = {
            0x30,                         // PUBLISH, QoS 0
            0x06,                         // remaining length 6
            0x00, 0x03, 'a', '/', 'b',    // topic "a/b"
            0x00                          // property length 0; empty payload
        };

        assertEncodesTo(expected, Publish.atMostOnce("a/b", new byte[0]), MqttVersion.V5);
    }

    // ---------------------------------------------------------------- 3.x forms

    static Stream<Arguments> connAckReturnCodes() {
        return Stream.of(
                Arguments.of(ReasonCode.SUCCESS, 0),                       // Connection Accepted
                Arguments.of(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, 1),  // unacceptable protocol version
                Arguments.of(ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, 2),   // identifier rejected
                Arguments.of(ReasonCode.SERVER_UNAVAILABLE, 3),            // Server unavailable
                Arguments.of(ReasonCode.BAD_USER_NAME_OR_PASSWORD, 4),     // bad user name or password
                Arguments.of(ReasonCode.NOT_AUTHORIZED, 5),                // not authorized
                Arguments.of(ReasonCode.SERVER_BUSY, 3),                   // a load problem
                Arguments.of(ReasonCode.QUOTA_EXCEEDED, 3),
                Arguments.of(ReasonCode.BANNED, 5),                        // a policy refusal
                Arguments.of(ReasonCode.MALFORMED_PACKET, 5));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("connAckReturnCodes")
    @DisplayName("3.1.1 CONNACK carries the return code for the reason (3.2.2.3), no properties")
    void v3ConnAckCarriesTheReturnCode(ReasonCode reason, int returnCode) {
        byte[] expected = {
            0x20,                         // CONNACK
            0x02,                         // remaining length 2
            0x00,                         // acknowledge flags: Session Present 0
            (byte) returnCode             // connect return code
        };

        assertEncodesTo(expected, new ConnAck(false, reason, SOME_PROPERTIES), MqttVersion.V3_1_1);
    }

    static Stream<ReasonCode> connAckReasons() {
        return PacketSamples.reasonCodesOf(PacketType.CONNACK).stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("connAckReasons")
    @DisplayName("3.1.1 CONNACK return code is v3ConnectReturnCode() for every CONNACK reason")
    void v3ConnAckUsesTheMappingForEveryReason(ReasonCode reason) {
        byte[] bytes = MqttEncoder.encode(new ConnAck(false, reason, MqttProperties.EMPTY), MqttVersion.V3_1_1);

        assertEquals(4, bytes.length);
        assertEquals(reason.v3ConnectReturnCode(), bytes[3]);
    }

    @Test
    @DisplayName("3.1.1 CONNACK writes Session Present in bit 0 of the acknowledge flags (3.2.2.2)")
    void v3ConnAckWritesSessionPresent() {
        byte[] expected = {
            0x20,                         // CONNACK
            0x02,                         // remaining length 2
            0x01,                         // acknowledge flags: Session Present 1
            0x00                          // return code 0: accepted
        };

        assertEncodesTo(expected, new ConnAck(true, ReasonCode.SUCCESS, SOME_PROPERTIES), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 SUBACK writes grants as 0-2 and every failure as 0x80 (3.9.3)")
    void v3SubAckMapsEveryFailureTo0x80() {
        SubAck subAck = new SubAck(0x1234, List.of(
                ReasonCode.GRANTED_QOS_0, ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_2,
                ReasonCode.NOT_AUTHORIZED, ReasonCode.UNSPECIFIED_ERROR, ReasonCode.TOPIC_FILTER_INVALID,
                ReasonCode.QUOTA_EXCEEDED, ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED), SOME_PROPERTIES);
        byte[] expected = {
            (byte) 0x90,                  // SUBACK
            0x0A,                         // remaining length 10
            0x12, 0x34,                   // packet identifier 0x1234; no properties in 3.1.1
            0x00, 0x01, 0x02,             // granted QoS 0, 1, 2
            (byte) 0x80,                  // Not authorized -> Failure
            (byte) 0x80,                  // Unspecified error -> Failure
            (byte) 0x80,                  // Topic Filter invalid -> Failure
            (byte) 0x80,                  // Quota exceeded -> Failure
            (byte) 0x80                   // Shared Subscriptions not supported -> Failure
        };

        assertEncodesTo(expected, subAck, MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 UNSUBACK has no payload (3.11.3) and no properties")
    void v3UnsubAckHasNoPayload() {
        UnsubAck unsubAck = new UnsubAck(0x1234,
                List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED), SOME_PROPERTIES);
        byte[] expected = {
            (byte) 0xB0,                  // UNSUBACK
            0x02,                         // remaining length 2
            0x12, 0x34                    // packet identifier 0x1234
        };

        assertEncodesTo(expected, unsubAck, MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 DISCONNECT has no body (3.14), whatever the reason and properties")
    void v3DisconnectHasNoBody() {
        byte[] expected = {
            (byte) 0xE0,                  // DISCONNECT
            0x00                          // remaining length 0
        };

        assertEncodesTo(expected, new Disconnect(ReasonCode.NORMAL_DISCONNECTION, SOME_PROPERTIES), MqttVersion.V3_1_1);
        assertEncodesTo(expected, new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, MqttProperties.EMPTY), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1.1 PUBACK is the packet identifier alone, whatever the reason (3.4.2)")
    void v3PubAckIsThePacketIdentifierAlone() {
        byte[] expected = {
            0x40,                         // PUBACK
            0x02,                         // remaining length 2
            0x12, 0x34                    // packet identifier 0x1234
        };

        assertEncodesTo(expected, new PubAck(0x1234, ReasonCode.NO_MATCHING_SUBSCRIBERS, SOME_PROPERTIES),
                MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("[MQTT-3.8.3-4] 3.1.1 SUBSCRIBE writes only the QoS of the subscription options")
    void v3SubscribeWritesOnlyTheQos() {
        Subscribe subscribe = new Subscribe(0x1234, List.of(new Subscription("a",
                new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, true, 2))), SOME_PROPERTIES);
        byte[] expected = {
            (byte) 0x82,                  // SUBSCRIBE, flags 0010 [MQTT-3.8.1-1]
            0x06,                         // remaining length 6
            0x12, 0x34,                   // packet identifier 0x1234; no properties
            0x00, 0x01, 'a',              // topic filter "a"
            0x01                          // requested QoS 1; No Local, RAP, Retain Handling dropped
        };

        assertEncodesTo(expected, subscribe, MqttVersion.V3_1_1);
    }

    private static Connect connectWithEverything(MqttVersion version) {
        return new Connect(version, "c", true, 60, "u", new byte[] {'p'},
                new Will("w", new byte[] {'x'}, Qos.AT_LEAST_ONCE, true, SOME_PROPERTIES), SOME_PROPERTIES);
    }

    @Test
    @DisplayName("3.1.1 CONNECT writes no properties and no Will Properties (3.1)")
    void v311ConnectWritesNoProperties() {
        byte[] expected = {
            0x10,                         // CONNECT
            0x19,                         // remaining length 25
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name "MQTT"
            0x04,                         // protocol level 4
            (byte) 0xEE,                  // flags: user name, password, will retain, will QoS 1, will, clean
            0x00, 0x3C,                   // keep alive 60
            0x00, 0x01, 'c',              // client identifier "c"
            0x00, 0x01, 'w',              // will topic "w"
            0x00, 0x01, 'x',              // will payload "x"
            0x00, 0x01, 'u',              // user name "u"
            0x00, 0x01, 'p'               // password "p"
        };

        assertEncodesTo(expected, connectWithEverything(MqttVersion.V3_1_1), MqttVersion.V3_1_1);
    }

    @Test
    @DisplayName("3.1 CONNECT names the protocol MQIsdp at level 3")
    void v31ConnectNamesMQIsdp() {
        byte[] expected = {
            0x10,                         // CONNECT
            0x1B,                         // remaining length 27
            0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp"
            0x03,                         // protocol level 3
            (byte) 0xEE,                  // flags: user name, password, will retain, will QoS 1, will, clean
            0x00, 0x3C,                   // keep alive 60
            0x00, 0x01, 'c',              // client identifier "c"
            0x00, 0x01, 'w',              // will topic "w"
            0x00, 0x01, 'x',              // will message "x"
            0x00, 0x01, 'u',              // user name "u"
            0x00, 0x01, 'p'               // password "p"
        };

        assertEncodesTo(expected, connectWithEverything(MqttVersion.V3_1), MqttVersion.V3_1);
    }

    // ---------------------------------------------------------------- refusals

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1", "V3_1_1"})
    @DisplayName("AUTH cannot be expressed before 5.0: every encoder entry point refuses it")
    void authIsRefusedBeforeV5(MqttVersion version) {
        Auth auth = new Auth(ReasonCode.CONTINUE_AUTHENTICATION,
                MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1").build());
        ByteBuffer out = ByteBuffer.allocate(64);

        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(auth, version));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encode(auth, version, out));
        assertThrows(IllegalArgumentException.class, () -> MqttEncoder.encodedSize(auth, version));
        assertEquals(0, out.position(), "nothing written");
    }

    // ---------------------------------------------------------------- helpers

    /** Checks all three entry points: the array, the size, and a buffer write. */
    private static void assertEncodesTo(byte[] expected, MqttPacket packet, MqttVersion version) {
        assertArrayEquals(expected, MqttEncoder.encode(packet, version), () -> PacketSamples.describe(packet));
        assertEquals(expected.length, MqttEncoder.encodedSize(packet, version));
        ByteBuffer out = ByteBuffer.allocate(expected.length);
        assertEquals(expected.length, MqttEncoder.encode(packet, version, out));
        assertArrayEquals(expected, out.array());
    }
}
