package io.courier.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.broker.routing.Route;
import io.courier.protocol.engine.Effect.OutboundAck;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.session.InflightWindow;
import io.courier.protocol.session.OutboundQueue;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The journal format of session events and snapshots: everything comes back equal. */
class SessionSerializerTest {

    private static final long NOW = 1_700_000_000_000L;
    private final SessionSerializer serializer = new SessionSerializer(null);

    /** A will that uses every property a will may carry (3.1.3.2) except the delay, kept apart. */
    static Message will() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 120L)
                .add(PropertyId.CONTENT_TYPE, "text/plain; charset=utf-8")
                .add(PropertyId.RESPONSE_TOPIC, "replies/ü")
                .add(PropertyId.CORRELATION_DATA, new byte[] {0, 1, (byte) 0xFF})
                .user("reason", "power")
                .user("reason", "power again")
                .build();
        return new Message("wills/ü/dev-1", "offline".getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, true, props,
                "dev-1", Message.NEVER);
    }

    static Delivery delivery(String topic, Qos qos, boolean retain, long expiresAt, int... subscriptionIds) {
        MqttProperties props = MqttProperties.builder().user("n", topic).build();
        Message m = new Message(topic, topic.getBytes(StandardCharsets.UTF_8), Qos.EXACTLY_ONCE, retain, props,
                "publisher", expiresAt);
        return Delivery.of(m, qos, retain, subscriptionIds);
    }

    static Stream<SessionEvent> everyEvent() {
        return Stream.of(
                new SessionEvent.Attached(MqttVersion.V5, true, 0xFFFF_FFFFL, will(), 30, 65535),
                new SessionEvent.Attached(MqttVersion.V3_1_1, false, 0, null, 0, 1),
                new SessionEvent.Attached(MqttVersion.V3_1, false, 10, new Message("w", new byte[0], Qos.AT_MOST_ONCE,
                        false, MqttProperties.EMPTY, "old", Message.NEVER), 0, 20),
                new SessionEvent.Detached(NOW, 3600, true),
                new SessionEvent.Detached(NOW, 0, false),
                new SessionEvent.SubscriptionAdded("a/+/#", new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, true, 2),
                        268_435_455),
                new SessionEvent.SubscriptionAdded("$share/group/ü/+", SubscriptionOptions.of(Qos.AT_MOST_ONCE), 0),
                new SessionEvent.SubscriptionRemoved("a/+/#"),
                new SessionEvent.MessageQueued(delivery("q/1", Qos.EXACTLY_ONCE, true, NOW + 5000, 1, 268_435_455), NOW),
                new SessionEvent.MessageQueued(delivery("q/2", Qos.AT_LEAST_ONCE, false, Message.NEVER), NOW),
                new SessionEvent.MessageSent(NOW),
                new SessionEvent.OutboundAcknowledged(65535, OutboundAck.PUBACK),
                new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBREC),
                new SessionEvent.OutboundAcknowledged(2, OutboundAck.PUBREC_FAILED),
                new SessionEvent.OutboundAcknowledged(3, OutboundAck.PUBCOMP),
                new SessionEvent.OutboundAcknowledged(4, OutboundAck.DISCARDED),
                new SessionEvent.InboundQos2Recorded(65535),
                new SessionEvent.InboundQos2Released(1),
                new SessionEvent.MessageQueued(delivery("s/1", Qos.AT_LEAST_ONCE, false, Message.NEVER, 3)
                        .viaSharedGroup("$share/workers/s/+"), NOW),
                new SessionEvent.SharedDeliveriesHandedOff(List.of("$share/workers/s/+", "$share/ü/#")),
                new SessionEvent.SharedDeliveriesHandedOff(List.of()),
                new SessionEvent.WillPublished(),
                new SessionEvent.Ended());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyEvent")
    void everyEventRoundTrips(SessionEvent event) throws NotSerializableException {
        Object back = roundTrip(event);

        assertEquals(event, back);
    }

    @Test
    @DisplayName("the samples cover every event type")
    void samplesCoverEveryEventType() {
        Set<Class<?>> sampled = everyEvent().map(Object::getClass).collect(Collectors.toSet());

        assertEquals(Set.of(SessionEvent.class.getPermittedSubclasses()), sampled);
    }

    /**
     * A session with a will, three subscriptions, queued messages, a flow in every inflight
     * stage (in an order that is not the packet-id order) and inbound QoS 2 receipts on several
     * identifier pages.
     */
    static SessionState fullState() {
        SessionState s = new SessionState(50, OutboundQueue.OverflowPolicy.DROP_OLDEST);
        List<SessionEvent> events = new ArrayList<>();
        events.add(new SessionEvent.Attached(MqttVersion.V5, false, 86_400, will(), 60, 3));
        events.add(new SessionEvent.SubscriptionAdded("a/#", SubscriptionOptions.of(Qos.EXACTLY_ONCE), 5));
        events.add(new SessionEvent.SubscriptionAdded("b/+", new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 1), 0));
        events.add(new SessionEvent.SubscriptionAdded("$share/g/c", SubscriptionOptions.of(Qos.AT_MOST_ONCE), 9));
        events.add(new SessionEvent.MessageQueued(delivery("a/1", Qos.EXACTLY_ONCE, false, Message.NEVER, 5), NOW));
        events.add(new SessionEvent.MessageQueued(delivery("a/2", Qos.AT_LEAST_ONCE, true, NOW + 60_000), NOW));
        events.add(new SessionEvent.MessageQueued(delivery("a/3", Qos.EXACTLY_ONCE, false, Message.NEVER, 5, 9), NOW));
        events.add(new SessionEvent.MessageQueued(delivery("a/4", Qos.AT_LEAST_ONCE, false, Message.NEVER), NOW));
        events.add(new SessionEvent.MessageQueued(delivery("a/5", Qos.EXACTLY_ONCE, true, Message.NEVER), NOW));
        events.add(new SessionEvent.MessageQueued(delivery("a/6", Qos.AT_LEAST_ONCE, false, NOW + 90_000), NOW));
        events.add(new SessionEvent.MessageSent(NOW));   // id 1, QoS 2
        events.add(new SessionEvent.MessageSent(NOW));   // id 2, QoS 1
        events.add(new SessionEvent.MessageSent(NOW));   // id 3, QoS 2
        events.add(new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBREC));  // 1 -> awaiting PUBCOMP, last
        events.add(new SessionEvent.OutboundAcknowledged(2, OutboundAck.PUBACK));  // frees 2
        events.add(new SessionEvent.MessageSent(NOW));   // id 4, QoS 1
        events.add(new SessionEvent.InboundQos2Recorded(1));
        events.add(new SessionEvent.InboundQos2Recorded(1025));
        events.add(new SessionEvent.InboundQos2Recorded(65535));
        events.add(new SessionEvent.Detached(NOW + 1000, 86_400, true));
        events.forEach(s::apply);
        return s;
    }

    @Test
    @DisplayName("a full session state (queue, inflight in every stage, receipts, subscriptions, will with properties) "
            + "round-trips")
    void fullStateRoundTrips() throws NotSerializableException {
        SessionState state = fullState();
        List<InflightWindow.Stage> stages = state.inflight().entries().stream().map(InflightWindow.Entry::stage).toList();
        assertEquals(List.of(InflightWindow.Stage.AWAITING_PUBREC, InflightWindow.Stage.AWAITING_PUBCOMP,
                InflightWindow.Stage.AWAITING_PUBACK), stages);
        assertEquals(2, state.queue().size());

        SessionState back = (SessionState) roundTrip(state);

        assertEquals(state, back);
        assertNotSame(state, back);
        assertEquals(state.subscriptions(), back.subscriptions());
        assertEquals(new Route(new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 1), 0), back.subscriptions().get("b/+"));
    }

    @Test
    @DisplayName("a restored state goes on exactly like the original: same packet ids, same resend order")
    void restoredStateContinuesLikeTheOriginal() throws NotSerializableException {
        SessionState original = fullState();
        SessionState restored = (SessionState) roundTrip(original);
        List<SessionEvent> more = List.of(
                new SessionEvent.Attached(MqttVersion.V5, false, 86_400, null, 0, 5),
                new SessionEvent.OutboundAcknowledged(4, OutboundAck.PUBACK),
                new SessionEvent.MessageSent(NOW + 2000),
                new SessionEvent.MessageSent(NOW + 2000),
                new SessionEvent.InboundQos2Released(1025));

        more.forEach(original::apply);
        more.forEach(restored::apply);

        assertEquals(original, restored);
        assertEquals(original.inflight().resendOrder(), restored.inflight().resendOrder());
    }

    /** A MessageQueued (QoS 2, retained, expiring, identifier 7) as format 1 wrote it. */
    private static final String FORMAT_1_MESSAGE_QUEUED = "010100000003712f3100000003712f310201000000097075626c69736865720000018bcfe57b880000000126000000016e00"
            + "000003712f3102010001000000070000018bcfe56800";

    /** {@link #fullState()} as format 1 wrote it. */
    private static final String FORMAT_1_FULL_STATE = "01000000320101050000000000015180010000000e77696c6c732fc3bc2f6465762d31000000076f66666c696e6502010000"
            + "00056465762d317fffffffffffffff0000000701000000010200000000000000780300000019746578742f706c61696e3b20"
            + "636861727365743d7574662d38080000000a7265706c6965732fc3bc09000000030001ff2600000006726561736f6e000000"
            + "05706f7765722600000006726561736f6e0000000b706f77657220616761696e000000000000003c000000018bcfe56be800"
            + "00000300000003612f23020000000500000003622f2b15000000000000000a2473686172652f672f63000000000900000002"
            + "0100000003612f3500000003612f350201000000097075626c69736865727fffffffffffffff0000000126000000016e0000"
            + "0003612f35020100000100000003612f3600000003612f360200000000097075626c69736865720000018bcfe6c790000000"
            + "0126000000016e00000003612f36010000000000000300000003000301010100000003612f3300000003612f330200000000"
            + "097075626c69736865727fffffffffffffff0000000126000000016e00000003612f33020000020000000500000009000102"
            + "00000400010100000003612f3400000003612f340200000000097075626c69736865727fffffffffffffff00000001260000"
            + "00016e00000003612f34010000000004000000030003000100040000000300010401ffff";

    @Test
    @DisplayName("journals written before deliveries knew their shared group (format 1) still replay")
    void formatOneStillReads() throws NotSerializableException {
        var fixture = java.util.HexFormat.of();
        Object queued = serializer.fromBinary(fixture.parseHex(FORMAT_1_MESSAGE_QUEUED), "MessageQueued");
        Object state = serializer.fromBinary(fixture.parseHex(FORMAT_1_FULL_STATE), "state");

        assertEquals(new SessionEvent.MessageQueued(delivery("q/1", Qos.EXACTLY_ONCE, true, NOW + 5000, 7), NOW), queued);
        assertEquals(null, ((SessionEvent.MessageQueued) queued).delivery().sharedGroup());
        assertEquals(fullState(), state);
    }

    @Test
    @DisplayName("a delivery keeps its shared group through the journal, in the queue and in flight")
    void sharedGroupSurvivesTheJournal() throws NotSerializableException {
        SessionState s = new SessionState(10, OutboundQueue.OverflowPolicy.DROP_NEWEST);
        s.apply(new SessionEvent.Attached(MqttVersion.V5, true, 600, null, 0, 1));
        s.apply(new SessionEvent.MessageQueued(delivery("g/1", Qos.AT_LEAST_ONCE, false, Message.NEVER)
                .viaSharedGroup("$share/g/g/#"), NOW));
        s.apply(new SessionEvent.MessageQueued(delivery("g/2", Qos.EXACTLY_ONCE, false, Message.NEVER)
                .viaSharedGroup("$share/g/g/#"), NOW));
        s.apply(new SessionEvent.MessageSent(NOW));

        SessionState back = (SessionState) roundTrip(s);

        assertEquals(s, back);
        assertEquals("$share/g/g/#", back.inflight().entries().get(0).delivery().sharedGroup());
        assertEquals("$share/g/g/#", back.queue().deliveries().get(0).sharedGroup());
    }

    @Test
    @DisplayName("an empty state (the entity's starting point) round-trips")
    void emptyStateRoundTrips() throws NotSerializableException {
        SessionState empty = new SessionState(1000, OutboundQueue.OverflowPolicy.DROP_NEWEST);

        assertEquals(empty, roundTrip(empty));
    }

    @Test
    @DisplayName("unknown manifests and format versions are refused, not misread")
    void unknownInputIsRefused() {
        byte[] ended = serializer.toBinary(new SessionEvent.Ended());
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(ended, "NoSuchEvent"));
        byte[] future = ended.clone();
        future[0] = 99;
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(future, "Ended"));
        assertThrows(IllegalArgumentException.class, () -> serializer.manifest("not an event"));
    }

    @Test
    @DisplayName("reference.conf binds session events and state to this serializer")
    void referenceConfBindsTheSerializer() {
        ActorTestKit testKit = ActorTestKit.create(SessionFixture.config());
        try {
            var serialization = SerializationExtension.get(testKit.system().classicSystem());
            assertInstanceOf(SessionSerializer.class, serialization.findSerializerFor(new SessionEvent.WillPublished()));
            assertInstanceOf(SessionSerializer.class, serialization.findSerializerFor(fullState()));
        } finally {
            testKit.shutdownTestKit();
        }
    }

    private Object roundTrip(Object o) throws NotSerializableException {
        byte[] bytes = serializer.toBinary(o);
        return serializer.fromBinary(bytes, serializer.manifest(o));
    }
}
