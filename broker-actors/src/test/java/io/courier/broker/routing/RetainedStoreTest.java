package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerSettings;
import io.courier.broker.routing.RetainedStore.Command;
import io.courier.broker.routing.RetainedStore.Event;
import io.courier.broker.routing.RetainedStore.MessageDeleted;
import io.courier.broker.routing.RetainedStore.MessageStored;
import io.courier.broker.routing.RetainedStore.Retain;
import io.courier.broker.routing.RetainedStore.Retained;
import io.courier.broker.routing.RetainedStore.State;
import io.courier.broker.routing.RetainedStore.Stats;
import io.courier.broker.routing.RetainedStore.StatsReply;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The retained store against the in-memory journal, with every command, reply, event and state
 * serialized and compared after the round trip (so {@code RetainedSerializer} is exercised on
 * real traffic). Bounds here: 3 messages, 100 bytes, a snapshot every 4 events.
 */
class RetainedStoreTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create(
            EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    private static final BrokerSettings SETTINGS = BrokerSettings.fromConfig(ConfigFactory.parseString("""
            courier.retained.max-messages = 3
            courier.retained.max-bytes = 100
            courier.session.snapshot-every-events = 4
            """).withFallback(ConfigFactory.load()));
    private static final RetainedIndex<Message> REPLICA = new RetainedIndex<>();
    private static final EventSourcedBehaviorTestKit<Command, Event, State> STORE = EventSourcedBehaviorTestKit.create(
            TEST_KIT.system(), RetainedStore.create(SETTINGS, REPLICA),
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));

    private long correlation;

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    /** Empties journal and snapshots and restarts: recovery of nothing also empties the replica. */
    @BeforeEach
    void clear() {
        STORE.clear();
    }

    private static Message message(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.builder().add(PropertyId.CONTENT_TYPE, "text/plain").user("k", "v").build(),
                "publisher-1", Message.NEVER);
    }

    private CommandResultWithReply<Command, Event, State, Retained> retain(Message m) {
        long id = ++correlation;
        CommandResultWithReply<Command, Event, State, Retained> result =
                STORE.runCommand(replyTo -> new Retain(m, replyTo, id));
        assertEquals(id, result.reply().correlationId());
        return result;
    }

    private static StatsReply stats() {
        return STORE.<StatsReply>runCommand(Stats::new).reply();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a retained message is stored for its topic and written through to the replica")
    void storesAndWritesThrough() {
        Message m = message("sensors/1/temp", "21.5");
        var result = retain(m);

        assertTrue(result.reply().accepted());
        assertEquals(new MessageStored(m), result.event());
        assertEquals(m, result.state().get("sensors/1/temp"));
        assertEquals(m, REPLICA.get(new TopicName("sensors/1/temp")));
        assertEquals(new StatsReply(1, RetainedStore.sizeOf(m), 0), stats());
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a second retained message replaces the first")
    void replaces() {
        retain(message("a/b", "first"));
        Message second = message("a/b", "second, longer");
        var result = retain(second);

        assertTrue(result.reply().accepted());
        assertEquals(1, result.state().size());
        assertEquals(RetainedStore.sizeOf(second), result.state().bytes());
        assertEquals(second, REPLICA.get(new TopicName("a/b")));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-10] (3.1.1) [MQTT-3.3.1-6] [MQTT-3.3.1-7] (5.0) an empty retained payload deletes the "
            + "topic's message and is not stored")
    void emptyPayloadDeletes() {
        retain(message("a/b", "x"));
        var result = retain(message("a/b", ""));

        assertTrue(result.reply().accepted());
        assertEquals(new MessageDeleted("a/b"), result.event());
        assertEquals(0, result.state().size());
        assertEquals(0, result.state().bytes());
        assertNull(REPLICA.get(new TopicName("a/b")));
        assertEquals(0, REPLICA.size());
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] deleting a topic without a retained message is accepted and writes nothing")
    void deletingNothingWritesNothing() {
        var result = retain(message("nothing/here", ""));

        assertTrue(result.reply().accepted());
        assertTrue(result.hasNoEvents());
    }

    @Test
    @DisplayName("a new topic beyond max-messages is refused and counted; replacing and deleting still work")
    void countBound() {
        retain(message("t/1", "1"));
        retain(message("t/2", "2"));
        retain(message("t/3", "3"));

        var refused = retain(message("t/4", "4"));
        assertFalse(refused.reply().accepted());
        assertTrue(refused.hasNoEvents());
        assertNull(REPLICA.get(new TopicName("t/4")));
        assertEquals(1, stats().refused());

        assertTrue(retain(message("t/2", "two")).reply().accepted());
        assertTrue(retain(message("t/3", "")).reply().accepted());
        assertTrue(retain(message("t/4", "4")).reply().accepted());
        assertEquals(3, stats().messages());
        assertEquals(1, stats().refused());
    }

    @Test
    @DisplayName("max-bytes counts payload plus topic bytes; a replacement that does not fit is refused too")
    void byteBound() {
        Message fifty = message("t/a", "x".repeat(47)); // 3 topic bytes + 47
        assertEquals(50, RetainedStore.sizeOf(fifty));
        assertTrue(retain(fifty).reply().accepted());
        assertTrue(retain(message("t/b", "y".repeat(47))).reply().accepted()); // exactly 100

        assertFalse(retain(message("t/c", "z")).reply().accepted());
        assertFalse(retain(message("t/a", "x".repeat(48))).reply().accepted());
        assertEquals(fifty, REPLICA.get(new TopicName("t/a")));

        assertTrue(retain(message("t/a", "short")).reply().accepted());
        assertTrue(retain(message("t/c", "z")).reply().accepted());
        StatsReply stats = stats();
        assertEquals(2, stats.refused());
        assertEquals(3 + 5 + 50 + 3 + 1, stats.bytes());
    }

    @Test
    @DisplayName("a message larger than max-bytes alone is refused")
    void oversizedMessage() {
        assertFalse(retain(message("big", "x".repeat(100))).reply().accepted());
        assertEquals(0, REPLICA.size());
    }

    @Test
    @DisplayName("recovery rebuilds the state and makes the replica equal to it")
    void recoveryFillsReplica() {
        Message a = message("a", "1");
        Message b = message("b/c", "2");
        retain(a);
        retain(b);
        retain(message("gone", "3"));
        retain(message("gone", ""));
        // A node whose replica lost entries or kept ones the journal never confirmed.
        REPLICA.remove(new TopicName("a"));
        REPLICA.remove(new TopicName("b/c"));
        REPLICA.put(new TopicName("stale"), message("stale", "never persisted"));

        State recovered = STORE.restart().state();

        assertEquals(2, recovered.size());
        assertEquals(RetainedStore.sizeOf(a) + RetainedStore.sizeOf(b), recovered.bytes());
        assertEquals(a, REPLICA.get(new TopicName("a")));
        assertEquals(b, REPLICA.get(new TopicName("b/c")));
        assertNull(REPLICA.get(new TopicName("stale")));
        assertEquals(2, REPLICA.size());
    }

    @Test
    @DisplayName("a snapshot every N events; events before the older kept snapshots are deleted; recovery uses them")
    void snapshotsAndDeletesEvents() {
        for (int i = 1; i <= 16; i++) {
            retain(message("t/" + (i % 3), "payload " + i));
        }
        State before = STORE.getState();
        var snapshots = STORE.snapshotTestKit().orElseThrow();

        // Snapshots at 4, 8, 12, 16, keeping 2: at 16, events up to 16 - 2 * 4 = 8 are deleted,
        // and Pekko deletes the snapshots below that point (the one at 8 stays with the kept two).
        TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(RetainedStore.PERSISTENCE_ID);
            assertEquals(List.of(8L, 12L, 16L), stored.stream().map(p -> p.first().sequenceNr()).toList());
            assertEquals(before, stored.get(stored.size() - 1).second());
            assertEquals(8, STORE.persistenceTestKit().persistedInStorage(RetainedStore.PERSISTENCE_ID).size());
            return null;
        });

        State recovered = STORE.restart().state();
        assertEquals(before, recovered);
        assertEquals(3, REPLICA.size());
        assertEquals(message("t/1", "payload 16"), REPLICA.get(new TopicName("t/1")));
    }

    @Test
    @DisplayName("the snapshot is a copy: later events do not change it")
    void snapshotIsACopy() {
        for (int i = 1; i <= 4; i++) {
            retain(message("t/" + i % 2, "v" + i));
        }
        var snapshots = STORE.snapshotTestKit().orElseThrow();
        State atFour = TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(RetainedStore.PERSISTENCE_ID);
            assertEquals(1, stored.size());
            return (State) stored.get(0).second();
        });
        assertEquals(STORE.getState(), atFour);

        retain(message("t/9", "after"));
        assertEquals(2, atFour.size());
        assertEquals(3, STORE.getState().size());
    }

    @Test
    @DisplayName("the replica is written only after the event is persisted; the store recovers from a journal failure")
    void journalFailure() {
        retain(message("kept", "1"));
        STORE.persistenceTestKit().failNextPersisted();

        assertThrows(AssertionError.class, () -> retain(message("lost", "2")));
        assertNull(REPLICA.get(new TopicName("lost")));

        // The store restarts with backoff; commands sent meanwhile may be dropped, so ask again.
        StatsReply after = TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(100), () -> stats());
        assertEquals(1, after.messages());
        assertTrue(retain(message("next", "3")).reply().accepted());
        assertSame(null, REPLICA.get(new TopicName("lost")));
        assertEquals(2, REPLICA.size());
    }
}
