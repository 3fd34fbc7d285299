package io.courier.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.courier.broker.retained.RetainedPartition.Sync;
import io.courier.broker.retained.RetainedReplica.AwaitFilled;
import io.courier.broker.retained.RetainedReplica.Changed;
import io.courier.broker.retained.RetainedReplica.Contents;
import io.courier.broker.retained.RetainedReplica.Unchanged;
import io.courier.broker.routing.RetainedStore.StatsReply;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A node's replica against two partitions played by probes: how it fills, follows changes in
 * sequence order, notices gaps, and re-checks on its interval.
 */
class RetainedReplicaTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final Duration QUIET = Duration.ofHours(1);

    private final RetainedIndex<Message> index = new RetainedIndex<>();
    private final List<TestProbe<RetainedPartition.Command>> partitions =
            List.of(TEST_KIT.createTestProbe(), TEST_KIT.createTestProbe());

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private static RetainedSettings settings(Duration interval) {
        return new RetainedSettings(100, 10_000, 2, interval, 1000);
    }

    private ActorRef<RetainedReplica.Command> start(Duration interval) {
        return TEST_KIT.spawn(RetainedReplica.create(index, settings(interval), p -> partitions.get(p).ref()));
    }

    /** A topic of partition {@code p}, different for each {@code name}. */
    private static String topicOf(int p, String name) {
        for (int i = 0; i < 100; i++) {
            String topic = name + "/" + i;
            if (settings(QUIET).partitionOf(topic) == p) {
                return topic;
            }
        }
        throw new IllegalStateException("no topic of partition " + p);
    }

    private static Message message(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE, true,
                MqttProperties.EMPTY, "p", Message.NEVER);
    }

    private Sync sync(int p) {
        return partitions.get(p).expectMessageClass(Sync.class);
    }

    private Message get(String topic) {
        return index.get(new TopicName(topic));
    }

    /** Both partitions answer the start-up question with these contents at these sequence numbers. */
    private ActorRef<RetainedReplica.Command> filled(List<Message> zero, long seq0, List<Message> one, long seq1) {
        ActorRef<RetainedReplica.Command> replica = start(QUIET);
        Sync s0 = sync(0);
        Sync s1 = sync(1);
        s0.replyTo().tell(new Contents(0, s0.request(), seq0, 0, zero, true));
        s1.replyTo().tell(new Contents(1, s1.request(), seq1, 0, one, true));
        return replica;
    }

    @Test
    @DisplayName("at start every partition is asked for everything; the figures are answered once all have answered, in pages")
    void fillsAtStart() {
        Message a = message(topicOf(0, "a"), "1");
        Message b = message(topicOf(0, "b"), "22");
        Message c = message(topicOf(1, "c"), "333");
        ActorRef<RetainedReplica.Command> replica = start(QUIET);
        Sync s0 = sync(0);
        Sync s1 = sync(1);
        assertEquals(-1, s0.knownSeqNr());
        assertEquals(-1, s1.knownSeqNr());
        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));

        s0.replyTo().tell(new Contents(0, s0.request(), 7, 1, List.of(a), false));
        s0.replyTo().tell(new Contents(0, s0.request(), 7, 1, List.of(b), true));
        stats.expectNoMessage(Duration.ofMillis(200));
        s1.replyTo().tell(new Contents(1, s1.request(), 3, 2, List.of(c), true));

        long bytes = RetainedMessages.sizeOf(a) + RetainedMessages.sizeOf(b) + RetainedMessages.sizeOf(c);
        assertEquals(new StatsReply(3, bytes, 3), stats.receiveMessage());
        assertEquals(a, get(a.topic()));
        assertEquals(b, get(b.topic()));
        assertEquals(c, get(c.topic()));
    }

    @Test
    @DisplayName("changes are applied in sequence; one already seen is ignored")
    void followsChanges() {
        Message a = message(topicOf(0, "a"), "1");
        ActorRef<RetainedReplica.Command> replica = filled(List.of(a), 5, List.of(), 0);
        Message a2 = message(a.topic(), "2");
        Message d = message(topicOf(1, "d"), "4");

        replica.tell(new Changed(0, 5, a.topic(), message(a.topic(), "old"))); // already in the contents
        replica.tell(new Changed(0, 6, a.topic(), a2));
        replica.tell(new Changed(1, 1, d.topic(), d));
        replica.tell(new Changed(0, 7, a.topic(), null));

        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));
        assertEquals(new StatsReply(1, RetainedMessages.sizeOf(d), 0), stats.receiveMessage());
        assertNull(get(a.topic()));
        assertEquals(d, get(d.topic()));
        partitions.get(0).expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("a confirmed change is in the index before the publisher gets its answer; the same change by the topic is then old")
    void confirmAppliesThenAnswers() {
        ActorRef<RetainedReplica.Command> replica = filled(List.of(), 3, List.of(), 0);
        Message a = message(topicOf(0, "a"), "1");
        TestProbe<io.courier.broker.routing.RetainedStore.Retained> publisher = TEST_KIT.createTestProbe();
        Changed change = new Changed(0, 4, a.topic(), a);

        replica.tell(new RetainedReplica.Confirm(List.of(change), publisher.ref(),
                new io.courier.broker.routing.RetainedStore.Retained(77, true)));
        assertEquals(new io.courier.broker.routing.RetainedStore.Retained(77, true), publisher.receiveMessage());
        assertEquals(a, get(a.topic()), "applied before the answer");
        replica.tell(change);
        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));
        assertEquals(1, stats.receiveMessage().messages(), "counted once");
        partitions.get(0).expectNoMessage(Duration.ofMillis(100));
    }

    @Test
    @DisplayName("a gap in the sequence makes it ask that partition again; changes meanwhile are held and applied after")
    void gapResyncs() {
        Message a = message(topicOf(0, "a"), "1");
        Message other = message(topicOf(1, "o"), "keep");
        ActorRef<RetainedReplica.Command> replica = filled(List.of(a), 5, List.of(other), 2);
        Message b = message(topicOf(0, "b"), "2");
        Message c = message(topicOf(0, "c"), "3");

        replica.tell(new Changed(0, 8, c.topic(), c)); // 6 and 7 were lost
        Sync again = sync(0);
        assertEquals(5, again.knownSeqNr());
        replica.tell(new Changed(0, 9, b.topic(), null));
        // The partition now holds b (stored at 6 or 7), not a (deleted); c came at 8, b went at 9.
        again.replyTo().tell(new Contents(0, again.request(), 7, 0, List.of(b), true));

        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));
        assertEquals(2, stats.receiveMessage().messages());
        assertNull(get(a.topic()), "a stale entry of the partition is removed");
        assertNull(get(b.topic()));
        assertEquals(c, get(c.topic()));
        assertEquals(other, get(other.topic()), "the other partition's entries are untouched");
    }

    @Test
    @DisplayName("an answer to an older question is ignored")
    void oldAnswerIgnored() {
        Message a = message(topicOf(0, "a"), "1");
        ActorRef<RetainedReplica.Command> replica = filled(List.of(a), 5, List.of(), 0);
        replica.tell(new Changed(0, 9, a.topic(), null));
        Sync again = sync(0);
        replica.tell(new Contents(0, again.request() - 1, 9, 0, List.of(), true));
        replica.tell(new Changed(0, 10, topicOf(0, "x"), message(topicOf(0, "x"), "x")));
        assertEquals(a, get(a.topic()), "still waiting for the answer to the question asked");
        replica.tell(new Contents(0, again.request(), 8, 0, List.of(a), true));
        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));
        stats.receiveMessage();
        assertNull(get(a.topic()), "the held deletion at 9 followed the contents at 8");
        assertEquals("x", new String(get(topicOf(0, "x")).payload(), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("every interval it asks each partition whether it is behind; an up-to-date partition answers Unchanged")
    void periodicCheck() {
        ActorRef<RetainedReplica.Command> replica = start(Duration.ofMillis(200));
        Sync s0 = sync(0);
        Sync s1 = sync(1);
        s0.replyTo().tell(new Contents(0, s0.request(), 4, 0, List.of(), true));
        s1.replyTo().tell(new Unchanged(1, s1.request() + 99, 0, 0)); // not an answer to this question

        Sync next0 = partitions.get(0).expectMessageClass(Sync.class, Duration.ofSeconds(3));
        assertEquals(4, next0.knownSeqNr());
        Sync next1 = partitions.get(1).expectMessageClass(Sync.class, Duration.ofSeconds(3));
        assertEquals(-1, next1.knownSeqNr(), "asked again: the first question is older than an interval");
        next0.replyTo().tell(new Unchanged(0, next0.request(), 4, 0));
        next1.replyTo().tell(new Contents(1, next1.request(), 0, 0, List.of(), true));
        TestProbe<StatsReply> stats = TEST_KIT.createTestProbe();
        replica.tell(new AwaitFilled(stats.ref()));
        assertEquals(new StatsReply(0, 0, 0), stats.receiveMessage());
        TEST_KIT.stop(replica);
    }
}
