package io.courier.broker.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import java.io.NotSerializableException;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every type the retained serializer is bound to survives the round trip through Pekko. */
class RetainedSerializerTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(TEST_KIT.system()));

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    /** Every property wire type once, a repeated User Property, binary data. */
    private static Message richMessage() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.PAYLOAD_FORMAT_INDICATOR, 1)          // Byte
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 4_000_000_000L) // Four Byte Integer above int
                .add(PropertyId.CONTENT_TYPE, "application/json")       // UTF-8 string
                .add(PropertyId.RESPONSE_TOPIC, "replies/\uD83D\uDE00")
                .add(PropertyId.CORRELATION_DATA, new byte[] {0, 1, (byte) 0xFF})  // Binary Data
                .add(PropertyId.TOPIC_ALIAS, 65_535)                    // Two Byte Integer
                .add(PropertyId.SUBSCRIPTION_IDENTIFIER, 268_435_455)   // Variable Byte Integer
                .user("b", "2").user("a", "1").user("b", "3")          // order kept [MQTT-3.3.2-18]
                .build();
        return new Message("a/\u00e9/\uD83D\uDE00", new byte[] {1, 2, 3, 0, -1}, Qos.EXACTLY_ONCE, true, props,
                "client-\u4e2d", 1_700_000_000_123L);
    }

    private static Object roundTrip(Object o) {
        Serializer serializer = SERIALIZATION.findSerializerFor(o);
        assertInstanceOf(RetainedSerializer.class, serializer);
        byte[] bytes = SERIALIZATION.serialize(o).get();
        return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    @Test
    void identifierIsTheConfiguredOne() {
        assertEquals(7301, SERIALIZATION.findSerializerFor(new RetainedStore.MessageDeleted("x")).identifier());
    }

    @Test
    void eventsRoundTrip() {
        Message m = richMessage();
        RetainedStore.MessageStored stored = (RetainedStore.MessageStored) roundTrip(new RetainedStore.MessageStored(m));
        assertEquals(m, stored.message());
        assertEquals(m.properties().asList(), stored.message().properties().asList());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, stored.message().properties().binary(PropertyId.CORRELATION_DATA));
        assertEquals(new RetainedStore.MessageDeleted("x/y"), roundTrip(new RetainedStore.MessageDeleted("x/y")));
    }

    @Test
    void messageWithoutPropertiesAndNeverExpiring() {
        Message m = new Message("t", new byte[0], Qos.AT_MOST_ONCE, false, MqttProperties.EMPTY, "", Message.NEVER);
        assertEquals(new RetainedStore.MessageStored(m), roundTrip(new RetainedStore.MessageStored(m)));
    }

    @Test
    void longTopicBeyondModifiedUtf8Limit() {
        // 16,000 emoji: 64,000 UTF-8 bytes (legal in MQTT) but 96,000 in writeUTF's modified UTF-8.
        String topic = "\uD83D\uDE00".repeat(16_000);
        Message m = new Message(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY, "p", Message.NEVER);
        assertEquals(new RetainedStore.MessageStored(m), roundTrip(new RetainedStore.MessageStored(m)));
    }

    @Test
    void stateRoundTrip() {
        Message other = new Message("b", new byte[] {9}, Qos.AT_LEAST_ONCE, true,
                MqttProperties.of(Property.user("k", "v")), "p", Message.NEVER);
        RetainedStore.State state = RetainedStore.State.of(List.of(richMessage(), other));
        RetainedStore.State back = (RetainedStore.State) roundTrip(state);
        assertEquals(state, back);
        assertEquals(state.bytes(), back.bytes());
        assertEquals(new RetainedStore.State(), roundTrip(new RetainedStore.State()));
    }

    @Test
    void commandsAndRepliesRoundTrip() {
        TestProbe<RetainedStore.Retained> retained = TEST_KIT.createTestProbe();
        TestProbe<RetainedStore.StatsReply> stats = TEST_KIT.createTestProbe();
        RetainedStore.Retain retain = new RetainedStore.Retain(richMessage(), retained.ref(), 42L);
        assertEquals(retain, roundTrip(retain));
        assertEquals(new RetainedStore.Stats(stats.ref()), roundTrip(new RetainedStore.Stats(stats.ref())));
        assertEquals(new RetainedStore.Retained(7, false), roundTrip(new RetainedStore.Retained(7, false)));
        assertEquals(new RetainedStore.StatsReply(3, 1L << 40, 5), roundTrip(new RetainedStore.StatsReply(3, 1L << 40, 5)));
    }

    @Test
    void unknownManifestAndTruncatedBytesAreRefused() {
        RetainedSerializer serializer = (RetainedSerializer) SERIALIZATION.findSerializerFor(new RetainedStore.MessageDeleted("x"));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "XX9"));
        byte[] bytes = serializer.toBinary(new RetainedStore.MessageStored(richMessage()));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(truncated, RetainedSerializer.STORED));
    }
}
