package io.courier.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.retained.RetainedEvent.MessageDeleted;
import io.courier.broker.retained.RetainedEvent.MessageStored;
import io.courier.broker.retained.RetainedPartition.Command;
import io.courier.broker.retained.RetainedPartition.Retain;
import io.courier.broker.retained.RetainedPartition.Sync;
import io.courier.broker.retained.RetainedReplica.Changed;
import io.courier.broker.retained.RetainedReplica.Contents;
import io.courier.broker.retained.RetainedReplica.Unchanged;
import io.courier.broker.routing.RetainedStore.Retained;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.persistence.testkit.SnapshotMeta;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResultWithReply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * One retained partition against the in-memory journal, with every command, reply, event and
 * state serialized and compared after the round trip (so both retained serializers are
 * exercised on real traffic). Partition 2 of 4 with global bounds of 12 messages and 400 bytes,
 * so its share is 3 messages and 100 bytes; a snapshot every 4 events. What it publishes for the
 * replicas goes to a queue.
 */
class RetainedPartitionTest {

    private static final int PARTITION = 2;
    private static final String PERSISTENCE_ID = RetainedPartition.PERSISTENCE_PREFIX + PARTITION;
    private static final ActorTestKit TEST_KIT = ActorTestKit.create(
            EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    private static final RetainedSettings SETTINGS = new RetainedSettings(12, 400, 4, Duration.ofSeconds(5), 4);
    private static final BlockingQueue<Changed> CHANGES = new LinkedBlockingQueue<>();
    private static final EventSourcedBehaviorTestKit<Command, RetainedEvent, RetainedMessages> STORE =
            EventSourcedBehaviorTestKit.create(TEST_KIT.system(),
                    RetainedPartition.create(PARTITION, SETTINGS, CHANGES::add),
                    EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyEquality(true));

    private long correlation;

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @BeforeEach
    void clear() {
        STORE.clear();
        CHANGES.clear();
    }

    private static Message message(String topic, String payload) {
        return message(topic, payload, Message.NEVER);
    }

    private static Message message(String topic, String payload, long expiresAt) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.builder().add(PropertyId.CONTENT_TYPE, "text/plain").user("k", "v").build(),
                "publisher-1", expiresAt);
    }

    private CommandResultWithReply<Command, RetainedEvent, RetainedMessages, Retained> retain(Message m) {
        long id = ++correlation;
        CommandResultWithReply<Command, RetainedEvent, RetainedMessages, Retained> result =
                STORE.runCommand(replyTo -> new Retain(m, replyTo, id, null));
        assertEquals(id, result.reply().correlationId());
        return result;
    }

    /** The next change published (they are published before the command's reply). */
    private static Changed changed() {
        Changed c = CHANGES.poll();
        assertNotNull(c, "no change published");
        return c;
    }

    private static List<Changed> changed(int n) {
        List<Changed> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(changed());
        }
        return out;
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a retained message is stored for its topic and published to the replicas with its sequence number")
    void storesAndPublishes() {
        Message m = message("sensors/1/temp", "21.5");
        var result = retain(m);

        assertTrue(result.reply().accepted());
        assertEquals(new MessageStored(m), result.event());
        assertEquals(m, result.state().get("sensors/1/temp"));
        assertEquals(new Changed(PARTITION, 1, "sensors/1/temp", m), changed());
    }

    @Test
    @DisplayName("with the publishing node's replica named, the answer goes through it together with the change")
    void answersThroughTheReplica() {
        Message m = message("sensors/2/temp", "19");
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();
        TestProbe<Retained> publisher = TEST_KIT.createTestProbe();
        var result = STORE.runCommand(new Retain(m, publisher.ref(), 5, replica.ref()));

        assertEquals(new MessageStored(m), result.event());
        Changed change = new Changed(PARTITION, 1, "sensors/2/temp", m);
        assertEquals(new RetainedReplica.Confirm(List.of(change), publisher.ref(), new Retained(5, true)),
                replica.receiveMessage());
        assertEquals(change, changed(), "and to every replica");
        publisher.expectNoMessage(Duration.ofMillis(100));

        // A refusal changes nothing, so it is answered directly.
        STORE.runCommand(new Retain(message("x", "y".repeat(200)), publisher.ref(), 6, replica.ref()));
        assertEquals(new Retained(6, false), publisher.receiveMessage());
        replica.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] a second retained message replaces the first")
    void replaces() {
        retain(message("a/b", "first"));
        Message second = message("a/b", "second, longer");
        var result = retain(second);

        assertTrue(result.reply().accepted());
        assertEquals(1, result.state().size());
        assertEquals(RetainedMessages.sizeOf(second), result.state().bytes());
        changed();
        assertEquals(new Changed(PARTITION, 2, "a/b", second), changed());
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
        changed();
        assertEquals(new Changed(PARTITION, 2, "a/b", null), changed());
    }

    @Test
    @DisplayName("[MQTT-3.3.1-11] deleting a topic without a retained message is accepted and writes nothing")
    void deletingNothingWritesNothing() {
        var result = retain(message("nothing/here", ""));

        assertTrue(result.reply().accepted());
        assertTrue(result.hasNoEvents());
        assertTrue(CHANGES.isEmpty());
    }

    @Test
    @DisplayName("a new topic beyond the partition's share of max-messages is refused; replacing and deleting still work")
    void countBound() {
        retain(message("t/1", "1"));
        retain(message("t/2", "2"));
        retain(message("t/3", "3"));

        var refused = retain(message("t/4", "4"));
        assertFalse(refused.reply().accepted());
        assertTrue(refused.hasNoEvents());

        assertTrue(retain(message("t/2", "two")).reply().accepted());
        assertTrue(retain(message("t/3", "")).reply().accepted());
        assertTrue(retain(message("t/4", "4")).reply().accepted());
        assertEquals(3, STORE.getState().size());
    }

    @Test
    @DisplayName("the partition's share of max-bytes counts payload plus topic bytes; a replacement that does not fit is refused too")
    void byteBound() {
        Message fifty = message("t/a", "x".repeat(47)); // 3 topic bytes + 47
        assertEquals(50, RetainedMessages.sizeOf(fifty));
        assertTrue(retain(fifty).reply().accepted());
        assertTrue(retain(message("t/b", "y".repeat(47))).reply().accepted()); // exactly 100

        assertFalse(retain(message("t/c", "z")).reply().accepted());
        assertFalse(retain(message("t/a", "x".repeat(48))).reply().accepted());
        assertEquals(fifty, STORE.getState().get("t/a"));

        assertTrue(retain(message("t/a", "short")).reply().accepted());
        assertTrue(retain(message("t/c", "z")).reply().accepted());
        assertEquals(3 + 5 + 50 + 3 + 1, STORE.getState().bytes());
    }

    @Test
    @DisplayName("a message larger than the partition's byte share alone is refused")
    void oversizedMessage() {
        assertFalse(retain(message("big", "x".repeat(100))).reply().accepted());
        assertEquals(0, STORE.getState().size());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] a full partition deletes its expired messages to make room, and the replicas hear of each deletion")
    void expiredMessagesMakeRoom() {
        long past = System.currentTimeMillis() - 1;
        retain(message("old/1", "1", past));
        retain(message("live", "2"));
        retain(message("old/2", "3", past));
        changed(3);

        Message fresh = message("new", "4");
        var result = retain(fresh);

        assertTrue(result.reply().accepted());
        assertEquals(Set.of(new MessageDeleted("old/1"), new MessageDeleted("old/2"), new MessageStored(fresh)),
                new HashSet<>(result.events()));
        assertEquals(Set.of("live", "new"), Set.of(result.state().messages().stream().map(Message::topic).toArray()));
        List<Changed> published = changed(3);
        assertEquals(List.of(4L, 5L, 6L), published.stream().map(Changed::seqNr).toList());
        assertEquals(new Changed(PARTITION, 6, "new", fresh), published.get(2));
    }

    /** Four events: a and b/c stored, "gone" stored and deleted; returns a and b/c. */
    private List<Message> twoKeptTwoGone() {
        Message a = message("a", "1");
        Message b = message("b/c", "2");
        retain(a);
        retain(b);
        retain(message("gone", "3"));
        retain(message("gone", ""));
        return List.of(a, b);
    }

    @Test
    @DisplayName("a replica that is up to date is told so; one that is behind gets the whole contents, stamped with the sequence number")
    void sync() {
        List<Message> kept = twoKeptTwoGone();
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();

        STORE.runCommand(new Sync(4, 7, replica.ref()));
        assertEquals(new Unchanged(PARTITION, 7, 4, 0), replica.receiveMessage());

        STORE.runCommand(new Sync(2, 8, replica.ref()));
        Contents contents = (Contents) replica.receiveMessage();
        assertEquals(PARTITION, contents.partition());
        assertEquals(8, contents.request());
        assertEquals(4, contents.seqNr());
        assertTrue(contents.last());
        assertEquals(Set.copyOf(kept), Set.copyOf(contents.messages()));
    }

    @Test
    @DisplayName("large contents come in pages of at most 64 KiB, the last one marked")
    void syncPages() {
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();
        // An empty partition answers a new replica with one empty last page.
        STORE.runCommand(new Sync(-1, 1, replica.ref()));
        assertEquals(new Contents(PARTITION, 1, 0, 0, List.of(), true), replica.receiveMessage());

        var big = EventSourcedBehaviorTestKit.<Command, RetainedEvent, RetainedMessages>create(TEST_KIT.system(),
                RetainedPartition.create(0, new RetainedSettings(1000, 10_000_000, 1, Duration.ofSeconds(5), 10_000),
                        c -> { }));
        big.clear();
        TestProbe<Retained> replies = TEST_KIT.createTestProbe();
        for (int i = 0; i < 5; i++) {
            big.runCommand(new Retain(message("big/" + i, "x".repeat(30_000)), replies.ref(), i, null));
        }
        big.runCommand(new Sync(-1, 2, replica.ref()));
        List<Contents> pages = replica.receiveSeveralMessages(3).stream().map(Contents.class::cast).toList();
        assertEquals(List.of(2, 2, 1), pages.stream().map(p -> p.messages().size()).toList());
        assertEquals(List.of(false, false, true), pages.stream().map(Contents::last).toList());
        replica.expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("recovery rebuilds the state and keeps the sequence numbers going")
    void recovery() {
        List<Message> kept = twoKeptTwoGone();

        RetainedMessages recovered = STORE.restart().state();

        assertEquals(2, recovered.size());
        assertEquals(RetainedMessages.sizeOf(kept.get(0)) + RetainedMessages.sizeOf(kept.get(1)), recovered.bytes());
        changed(4);
        Message c = message("c", "3");
        retain(c);
        assertEquals(new Changed(PARTITION, 5, "c", c), changed());
    }

    @Test
    @DisplayName("a snapshot every N events; events before the older kept snapshots are deleted; recovery uses them")
    void snapshotsAndDeletesEvents() {
        for (int i = 1; i <= 16; i++) {
            retain(message("t/" + (i % 3), "payload " + i));
        }
        RetainedMessages before = STORE.getState();
        var snapshots = STORE.snapshotTestKit().orElseThrow();

        // Snapshots at 4, 8, 12, 16, keeping 2: at 16, events up to 16 - 2 * 4 = 8 are deleted,
        // and Pekko deletes the snapshots below that point (the one at 8 stays with the kept two).
        TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(PERSISTENCE_ID);
            assertEquals(List.of(8L, 12L, 16L), stored.stream().map(p -> p.first().sequenceNr()).toList());
            assertEquals(before, stored.get(stored.size() - 1).second());
            assertEquals(8, STORE.persistenceTestKit().persistedInStorage(PERSISTENCE_ID).size());
            return null;
        });

        assertEquals(before, STORE.restart().state());
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();
        STORE.runCommand(new Sync(16, 1, replica.ref()));
        assertEquals(new Unchanged(PARTITION, 1, 16, 0), replica.receiveMessage());
    }

    @Test
    @DisplayName("the snapshot is a copy: later events do not change it")
    void snapshotIsACopy() {
        for (int i = 1; i <= 4; i++) {
            retain(message("t/" + i % 2, "v" + i));
        }
        var snapshots = STORE.snapshotTestKit().orElseThrow();
        RetainedMessages atFour = TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(5), () -> {
            List<Pair<SnapshotMeta, Object>> stored = snapshots.persistedInStorage(PERSISTENCE_ID);
            assertEquals(1, stored.size());
            return (RetainedMessages) stored.get(0).second();
        });
        assertEquals(STORE.getState(), atFour);

        retain(message("t/9", "after"));
        assertEquals(2, atFour.size());
        assertEquals(3, STORE.getState().size());
    }

    @Test
    @DisplayName("a change is published only after it is persisted; the partition recovers from a journal failure")
    void journalFailure() {
        retain(message("kept", "1"));
        assertEquals("kept", changed().topic());
        STORE.persistenceTestKit().failNextPersisted();

        assertThrows(AssertionError.class, () -> retain(message("lost", "2")));
        assertTrue(CHANGES.isEmpty());

        // The partition restarts with backoff; commands sent meanwhile may be dropped, so ask again.
        TestProbe<RetainedReplica.Command> replica = TEST_KIT.createTestProbe();
        TEST_KIT.createTestProbe().awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
            STORE.runCommand(new Sync(-1, 1, replica.ref()));
            assertEquals(List.of(message("kept", "1")), ((Contents) replica.receiveMessage(Duration.ofMillis(150))).messages());
            return null;
        });
        assertTrue(retain(message("next", "3")).reply().accepted());
        assertNull(STORE.getState().get("lost"));
        assertEquals("next", changed().topic());
    }
}
