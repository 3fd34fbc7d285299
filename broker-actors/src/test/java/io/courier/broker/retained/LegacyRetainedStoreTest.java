package io.courier.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.retained.LegacyRetainedStore.Command;
import io.courier.broker.retained.LegacyRetainedStore.Done;
import io.courier.broker.retained.LegacyRetainedStore.Migrate;
import io.courier.broker.retained.RetainedEvent.LegacyMigrated;
import io.courier.broker.retained.RetainedEvent.MessageDeleted;
import io.courier.broker.retained.RetainedEvent.MessageStored;
import io.courier.broker.routing.RetainedStore.Retained;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The upgrade from the single-node store: its events (written under {@code retained} in the
 * same formats) are replayed, handed to two partitions played by probes, and the migration is
 * recorded once. Serialization checks are on.
 */
class LegacyRetainedStoreTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create(
            EventSourcedBehaviorTestKit.config().withFallback(ConfigFactory.load()));
    private static final RetainedSettings SETTINGS = new RetainedSettings(100, 10_000, 2, Duration.ofSeconds(5), 1000);
    private static final List<TestProbe<RetainedPartition.Command>> PARTITIONS =
            List.of(TEST_KIT.createTestProbe(), TEST_KIT.createTestProbe());
    private static final EventSourcedBehaviorTestKit<Command, RetainedEvent, RetainedMessages> STORE =
            EventSourcedBehaviorTestKit.create(TEST_KIT.system(),
                    LegacyRetainedStore.create(SETTINGS, p -> PARTITIONS.get(p).ref()),
                    EventSourcedBehaviorTestKit.enabledSerializationSettings());

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @BeforeEach
    void clear() {
        STORE.clear();
    }

    private static Message message(String topic, String payload, long expiresAt) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.EMPTY, "old-publisher", expiresAt);
    }

    @Test
    @DisplayName("nothing under the old id: answered at once, nothing written")
    void nothingToMigrate() {
        TestProbe<Done> done = TEST_KIT.createTestProbe();
        var result = STORE.runCommand(new Migrate(done.ref()));
        assertTrue(result.hasNoEvents());
        assertEquals(new Done(0, 0, true), done.receiveMessage());
        PARTITIONS.forEach(p -> p.expectNoMessage(Duration.ofMillis(50)));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] every unexpired message goes to the partition of its topic; done once all are confirmed, and only once")
    void migratesOnce() {
        Message a = message("sensors/a", "1", Message.NEVER);
        Message b = message("sensors/b", "2", Message.NEVER);
        Message c = message("sensors/c", "3", Message.NEVER);
        Message expired = message("sensors/old", "4", System.currentTimeMillis() - 1);
        STORE.persistenceTestKit().persistForRecovery(LegacyRetainedStore.PERSISTENCE_ID, List.of(
                new MessageStored(a), new MessageStored(b), new MessageStored(message("gone", "x", Message.NEVER)),
                new MessageDeleted("gone"), new MessageStored(c), new MessageStored(expired)));
        assertEquals(4, STORE.restart().state().size());

        TestProbe<Done> done = TEST_KIT.createTestProbe();
        STORE.runCommand(new Migrate(done.ref()));
        List<RetainedPartition.Retain> asked = new ArrayList<>();
        for (int p = 0; p < PARTITIONS.size(); p++) {
            int partition = p;
            int expected = (int) List.of(a, b, c).stream().filter(m -> SETTINGS.partitionOf(m.topic()) == partition).count();
            for (RetainedPartition.Command cmd : PARTITIONS.get(p).receiveSeveralMessages(expected)) {
                RetainedPartition.Retain r = assertInstanceOf(RetainedPartition.Retain.class, cmd);
                assertEquals(p, SETTINGS.partitionOf(r.message().topic()), "sent to the partition of its topic");
                asked.add(r);
            }
            PARTITIONS.get(p).expectNoMessage(Duration.ofMillis(50));
        }
        assertEquals(Set.of(a, b, c), Set.copyOf(asked.stream().map(RetainedPartition.Retain::message).toList()));
        done.expectNoMessage(Duration.ofMillis(100));
        // Two of the three are accepted by their partitions, one is refused (its share is full).
        for (RetainedPartition.Retain r : asked) {
            r.replyTo().tell(new Retained(r.correlationId(), !r.message().equals(c)));
        }
        assertEquals(new Done(2, 1, true), done.receiveMessage());
        List<Object> journal = STORE.persistenceTestKit().persistedInStorage(LegacyRetainedStore.PERSISTENCE_ID);
        assertEquals(new LegacyMigrated(2, 1), journal.get(journal.size() - 1));

        assertEquals(0, STORE.restart().state().size(), "recovered empty: nothing moves twice");
        STORE.runCommand(new Migrate(done.ref()));
        assertEquals(new Done(0, 0, true), done.receiveMessage());
        PARTITIONS.forEach(p -> p.expectNoMessage(Duration.ofMillis(50)));
    }
}
