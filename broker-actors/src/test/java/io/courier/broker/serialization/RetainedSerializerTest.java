package io.courier.broker.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.broker.retained.LegacyRetainedStore;
import io.courier.broker.retained.RetainedEvent;
import io.courier.broker.retained.RetainedMessages;
import io.courier.broker.retained.RetainedPartition;
import io.courier.broker.retained.RetainedReplica;
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

/**
 * Every type the retained serializers are bound to survives the round trip through Pekko: the
 * journal's (7301, which must keep reading what the single-node store of earlier versions
 * wrote) and the replication's (7310).
 */
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
        return roundTrip(o, RetainedSerializer.class);
    }

    private static Object roundTrip(Object o, Class<? extends Serializer> expected) {
        Serializer serializer = SERIALIZATION.findSerializerFor(o);
        assertInstanceOf(expected, serializer);
        byte[] bytes = SERIALIZATION.serialize(o).get();
        return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    @Test
    void identifierIsTheConfiguredOne() {
        assertEquals(7301, SERIALIZATION.findSerializerFor(new RetainedEvent.MessageDeleted("x")).identifier());
        assertEquals(7310, SERIALIZATION.findSerializerFor(new RetainedReplica.Unchanged(1, 2, 3, 4)).identifier());
    }

    @Test
    void eventsRoundTrip() {
        Message m = richMessage();
        RetainedEvent.MessageStored stored = (RetainedEvent.MessageStored) roundTrip(new RetainedEvent.MessageStored(m));
        assertEquals(m, stored.message());
        assertEquals(m.properties().asList(), stored.message().properties().asList());
        assertArrayEquals(new byte[] {0, 1, (byte) 0xFF}, stored.message().properties().binary(PropertyId.CORRELATION_DATA));
        assertEquals(new RetainedEvent.MessageDeleted("x/y"), roundTrip(new RetainedEvent.MessageDeleted("x/y")));
        assertEquals(new RetainedEvent.LegacyMigrated(5, 1), roundTrip(new RetainedEvent.LegacyMigrated(5, 1)));
    }

    /**
     * The bytes the single-node store of earlier versions journaled under identifier 7301 (its
     * layout, field by field): partitions and the migration must keep reading them.
     */
    @Test
    void readsWhatTheSingleNodeStoreWrote() throws NotSerializableException {
        byte[] message = {
            0, 0, 0, 1, 't',                    // topic: int length 1, UTF-8 "t"
            0, 0, 0, 1, 7,                      // payload: int length 1, byte 7
            1,                                  // QoS 1
            1,                                  // retain
            0, 0, 0, 1, 'p',                    // publisher id "p"
            0x7F, -1, -1, -1, -1, -1, -1, -1,   // expires at Long.MAX_VALUE (never)
            0, 0, 0, 0};                        // no properties
        Message m = new Message("t", new byte[] {7}, Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY, "p", Message.NEVER);
        RetainedSerializer serializer = (RetainedSerializer) SERIALIZATION.findSerializerFor(new RetainedEvent.MessageDeleted("x"));

        assertEquals(new RetainedEvent.MessageStored(m), serializer.fromBinary(message, "MS1"));
        assertArrayEquals(message, serializer.toBinary(new RetainedEvent.MessageStored(m)));
        assertEquals(new RetainedEvent.MessageDeleted("a/b"),
                serializer.fromBinary(new byte[] {0, 0, 0, 3, 'a', '/', 'b'}, "MD1")); // topic "a/b"
        byte[] state = new byte[4 + message.length];
        state[3] = 1;                                                                    // one message
        System.arraycopy(message, 0, state, 4, message.length);
        assertEquals(RetainedMessages.of(List.of(m)), serializer.fromBinary(state, "ST1"));
    }

    @Test
    void replicationMessagesRoundTrip() {
        TestProbe<RetainedStore.Retained> retained = TEST_KIT.createTestProbe();
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();
        TestProbe<LegacyRetainedStore.Done> done = TEST_KIT.createTestProbe();
        Message m = richMessage();
        Class<RetainedReplicationSerializer> c = RetainedReplicationSerializer.class;
        for (Object o : List.of(
                new RetainedPartition.Retain(m, retained.ref(), -3L, replica.ref()),
                new RetainedPartition.Retain(m, retained.ref(), 5L, null),
                new RetainedReplica.Confirm(List.of(new RetainedReplica.Changed(2, 3, "t", null),
                        new RetainedReplica.Changed(2, 4, m.topic(), m)), retained.ref(), new RetainedStore.Retained(9, true)),
                new RetainedPartition.Sync(-1, 9, replica.ref()),
                new RetainedReplica.Changed(15, 1L << 33, m.topic(), m),
                new RetainedReplica.Changed(0, 2, "deleted/topic", null),
                new RetainedReplica.Contents(3, 4, 5, 6, List.of(m, m), false),
                new RetainedReplica.Contents(3, 4, 0, 0, List.of(), true),
                new RetainedReplica.Unchanged(1, 2, 3, 4),
                new LegacyRetainedStore.Migrate(done.ref()),
                new LegacyRetainedStore.Done(10, 2, false))) {
            assertEquals(o, roundTrip(o, c));
        }
    }

    @Test
    void messageWithoutPropertiesAndNeverExpiring() {
        Message m = new Message("t", new byte[0], Qos.AT_MOST_ONCE, false, MqttProperties.EMPTY, "", Message.NEVER);
        assertEquals(new RetainedEvent.MessageStored(m), roundTrip(new RetainedEvent.MessageStored(m)));
    }

    @Test
    void longTopicBeyondModifiedUtf8Limit() {
        // 16,000 emoji: 64,000 UTF-8 bytes (legal in MQTT) but 96,000 in writeUTF's modified UTF-8.
        String topic = "\uD83D\uDE00".repeat(16_000);
        Message m = new Message(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, true, MqttProperties.EMPTY, "p", Message.NEVER);
        assertEquals(new RetainedEvent.MessageStored(m), roundTrip(new RetainedEvent.MessageStored(m)));
    }

    @Test
    void stateRoundTrip() {
        Message other = new Message("b", new byte[] {9}, Qos.AT_LEAST_ONCE, true,
                MqttProperties.of(Property.user("k", "v")), "p", Message.NEVER);
        RetainedMessages state = RetainedMessages.of(List.of(richMessage(), other));
        RetainedMessages back = (RetainedMessages) roundTrip(state);
        assertEquals(state, back);
        assertEquals(state.bytes(), back.bytes());
        assertEquals(new RetainedMessages(), roundTrip(new RetainedMessages()));
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
        RetainedSerializer serializer = (RetainedSerializer) SERIALIZATION.findSerializerFor(new RetainedEvent.MessageDeleted("x"));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "XX9"));
        byte[] bytes = serializer.toBinary(new RetainedEvent.MessageStored(richMessage()));
        byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 3);
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(truncated, RetainedSerializer.STORED));
    }
}
