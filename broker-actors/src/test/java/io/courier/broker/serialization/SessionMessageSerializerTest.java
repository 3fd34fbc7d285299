package io.courier.broker.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.broker.session.SessionCommand;
import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.session.Delivery;
import java.io.NotSerializableException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every message that may pass between a connection and its session entity on another node goes
 * through {@link SessionMessageSerializer} (found by the bindings in reference.conf, not by
 * fallback) and comes back equal, actor addresses included.
 */
class SessionMessageSerializerTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(TEST_KIT.system()));

    private static final ActorRef<EngineInput> CONNECTION = TEST_KIT.createTestProbe(EngineInput.class).ref();
    private static final ActorRef<SessionCommand.Stored> STORED = TEST_KIT.createTestProbe(SessionCommand.Stored.class).ref();

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private static Message message() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 4_000_000_000L)
                .add(PropertyId.CORRELATION_DATA, new byte[] {0, (byte) 0xFF})
                .user("k", "\uD83D\uDE00").build();
        return new Message("a/\u00e9", new byte[] {1, 0, -1}, Qos.EXACTLY_ONCE, true, props, "pub", 1_700_000_000_000L);
    }

    private static Object roundTrip(Object o) {
        Serializer serializer = SERIALIZATION.findSerializerFor(o);
        assertInstanceOf(SessionMessageSerializer.class, serializer, "serializer of " + o.getClass());
        byte[] bytes = SERIALIZATION.serialize(o).get();
        return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    private static void assertRoundTrip(Object o) {
        assertEquals(o, roundTrip(o));
    }

    @Test
    void everySessionCommandRoundTrips() {
        var options = new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, true, 2);
        List<SessionCommand> commands = List.of(
                new SessionCommand.Attach(CONNECTION, MqttVersion.V5, true, 4_294_967_295L, message(), 30, 65_535),
                new SessionCommand.Attach(CONNECTION, MqttVersion.V3_1_1, false, 0, null, 0, 64),
                new SessionCommand.Detach(CONNECTION, Effect.SessionEnd.WITH_WILL, 120),
                new SessionCommand.Enqueue(Delivery.of(message(), Qos.AT_LEAST_ONCE, true, 7, 268_435_455), STORED, 42L),
                new SessionCommand.Enqueue(Delivery.of(message(), Qos.AT_MOST_ONCE, false), null, 0),
                new SessionCommand.Subscribe(CONNECTION, 65_535, List.of(
                        new Effect.SubscribeEntry("a/+/#", options, null),
                        new Effect.SubscribeEntry("$share/g/x", SubscriptionOptions.of(Qos.AT_MOST_ONCE),
                                ReasonCode.SHARED_SUBSCRIPTIONS_NOT_SUPPORTED)), 9),
                new SessionCommand.Unsubscribe(CONNECTION, 1, List.of(
                        new Effect.UnsubscribeEntry("a/#", null),
                        new Effect.UnsubscribeEntry("bad/#/x", ReasonCode.TOPIC_FILTER_INVALID))),
                new SessionCommand.CheckInboundQos2(17, TEST_KIT.createTestProbe(SessionCommand.Qos2Verdict.class).ref()),
                new SessionCommand.RecordInboundQos2(18, TEST_KIT.createTestProbe(SessionCommand.Qos2Recorded.class).ref()),
                new SessionCommand.ReleaseInboundQos2(CONNECTION, 19),
                new SessionCommand.Acknowledge(CONNECTION, 20, Effect.OutboundAck.PUBREC_FAILED),
                new SessionCommand.Wake(),
                new SessionCommand.WillDelayElapsed(),
                new SessionCommand.ExpiryElapsed(),
                new SessionCommand.RecoveredWhileAttached(),
                new SessionCommand.HandOff());
        // Records with arrays (Delivery's identifiers) compare by value, so equals covers them.
        for (SessionCommand c : commands) {
            assertRoundTrip(c);
        }
        assertEquals(SessionCommand.class.getPermittedSubclasses().length,
                commands.stream().map(Object::getClass).distinct().count(), "every SessionCommand type is covered");
    }

    @Test
    void sessionAnswersRoundTrip() {
        assertRoundTrip(new SessionCommand.Stored(Long.MAX_VALUE, false));
        assertRoundTrip(new SessionCommand.Qos2Verdict(65_535, true));
        assertRoundTrip(new SessionCommand.Qos2Recorded(1));
    }

    @Test
    void everyEngineInputASessionSendsRoundTrips() {
        Publish publish = new Publish("t/\u00e9", Qos.EXACTLY_ONCE, true, true, 513, new byte[] {9, 8},
                MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 5).user("a", "b").build());
        List<EngineInput> inputs = new ArrayList<>(List.of(
                new EngineInput.SessionOpened(true),
                new EngineInput.SessionRefused(ReasonCode.SERVER_UNAVAILABLE),
                new EngineInput.PublishSettled(3, Qos.EXACTLY_ONCE, ReasonCode.NO_MATCHING_SUBSCRIBERS, false),
                new EngineInput.PublishSettled(4, Qos.AT_LEAST_ONCE, ReasonCode.QUOTA_EXCEEDED, true),
                new EngineInput.InboundReleased(5, false),
                new EngineInput.Subscribed(6, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.NOT_AUTHORIZED)),
                new EngineInput.Unsubscribed(7, List.of(ReasonCode.SUCCESS, ReasonCode.NO_SUBSCRIPTION_EXISTED)),
                new EngineInput.Deliver(publish),
                new EngineInput.Deliver(Publish.atMostOnce("x", new byte[0])),
                new EngineInput.Release(new PubRel(8, ReasonCode.PACKET_IDENTIFIER_NOT_FOUND, MqttProperties.EMPTY)),
                new EngineInput.TakenOver(),
                new EngineInput.KeepAliveExpired(),
                new EngineInput.ConnectTimeout(),
                new EngineInput.ServerShuttingDown(),
                new EngineInput.ConnectionLost()));
        for (EngineInput e : inputs) {
            assertRoundTrip(e);
        }
        // Publish compares its payload by value; check the bytes once more explicitly.
        var back = (EngineInput.Deliver) roundTrip(new EngineInput.Deliver(publish));
        assertArrayEquals(publish.payload(), back.publish().payload());
        // Every EngineInput type but the two that only come from the connection's own socket.
        assertEquals(EngineInput.class.getPermittedSubclasses().length - 2,
                inputs.stream().map(Object::getClass).distinct().count(), "every EngineInput a session sends is covered");
    }

    @Test
    void socketInputsAreRefusedRatherThanSentElsewhere() {
        Serializer serializer = SERIALIZATION.findSerializerFor(new EngineInput.ConnectionLost());
        var decodeFailed = new EngineInput.DecodeFailed(new DecodeException(ReasonCode.MALFORMED_PACKET, "x"));
        assertThrows(IllegalArgumentException.class, () -> ((SessionMessageSerializer) serializer).manifest(decodeFailed));
    }

    @Test
    void unknownManifestAndInvalidReasonCodeAreErrors() {
        var serializer = (SessionMessageSerializer) SERIALIZATION.findSerializerFor(new EngineInput.ConnectionLost());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "S.NoSuchCommand"));
        // 0x01 is no CONNACK reason code in 5.0.
        byte[] refused = serializer.toBinary(new EngineInput.SessionRefused(ReasonCode.SERVER_UNAVAILABLE));
        refused[1] = 0x01;
        assertThrows(RuntimeException.class, () -> serializer.fromBinary(refused, "E.SessionRefused"));
    }

    @Test
    void absentReplyAddressStaysAbsent() {
        var back = (SessionCommand.Enqueue) roundTrip(
                new SessionCommand.Enqueue(Delivery.of(message(), Qos.AT_LEAST_ONCE, false), null, 0));
        assertNull(back.replyTo());
    }
}
