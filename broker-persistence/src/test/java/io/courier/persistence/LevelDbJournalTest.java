package io.courier.persistence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerSettings;
import io.courier.broker.retained.RetainedPartition;
import io.courier.broker.retained.RetainedReplica;
import io.courier.broker.retained.RetainedSettings;
import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The embedded journal as the broker configures it: real LevelDB files under a data directory,
 * native and pure Java, surviving an actor-system restart; and the persistence-id query that
 * wakes sessions at start-up.
 */
class LevelDbJournalTest {

    @TempDir
    Path dataDir;

    private Config config(boolean nativeLevelDb) {
        return JournalConfig.prepare(ConfigFactory.load(ConfigFactory.parseString(
                "courier.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\"\n"
                        + "pekko.persistence.journal.leveldb.native = " + nativeLevelDb)));
    }

    /** Persists each command as an event and acknowledges it: stands in for a session entity. */
    static final class Recorder extends EventSourcedBehavior<String, String, String> {
        private final ActorRef<String> ack;

        Recorder(String persistenceId, ActorRef<String> ack) {
            super(PersistenceId.ofUniqueId(persistenceId));
            this.ack = ack;
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public CommandHandler<String, String, String> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand("?"::equals, (state, cmd) -> Effect().none().thenRun(s -> ack.tell("length " + s.length())))
                    .onAnyCommand((state, cmd) -> Effect().persist(cmd).thenRun(s -> ack.tell(cmd.substring(0, 1))));
        }

        @Override
        public EventHandler<String, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + e);
        }
    }

    private static Message retained(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.EMPTY, "publisher", Message.NEVER);
    }

    @ParameterizedTest(name = "native = {0}")
    @ValueSource(booleans = {true, false})
    void journalSurvivesRestartAndListsSessions(boolean nativeLevelDb) throws Exception {
        Config config = config(nativeLevelDb);
        RetainedSettings settings = RetainedSettings.fromConfig(BrokerSettings.fromConfig(config), config);
        assertTrue(Files.isDirectory(dataDir.resolve("journal")));
        assertTrue(Files.isDirectory(dataDir.resolve("snapshots")));

        ActorTestKit first = ActorTestKit.create("first", config);
        try {
            TestProbe<String> acks = first.createTestProbe();
            first.spawn(new Recorder("session|alice", acks.ref())).tell("x");
            first.spawn(new Recorder("session|bob", acks.ref())).tell("y");
            first.spawn(new Recorder("queue|q#0", acks.ref())).tell("z");
            assertEquals(Set.of("x", "y", "z"), Set.copyOf(acks.receiveSeveralMessages(3, Duration.ofSeconds(10))));
            ActorRef<RetainedPartition.Command> partition = first.spawn(RetainedPartition.create(0, settings, c -> { }));
            TestProbe<RetainedStore.Retained> replies = first.createTestProbe();
            partition.tell(new RetainedPartition.Retain(retained("a/b", "kept"), replies.ref(), 1, null));
            assertTrue(replies.receiveMessage(Duration.ofSeconds(10)).accepted());
        } finally {
            first.shutdownTestKit();
        }
        // A new actor system opens the same files: what was acknowledged is replayed.
        ActorTestKit second = ActorTestKit.create("second", config);
        try {
            ActorRef<RetainedPartition.Command> partition = second.spawn(RetainedPartition.create(0, settings, c -> { }));
            TestProbe<RetainedReplica.Command> replica = second.createTestProbe();
            partition.tell(new RetainedPartition.Sync(-1, 1, replica.ref()));
            RetainedReplica.Contents contents = replica.expectMessageClass(RetainedReplica.Contents.class, Duration.ofSeconds(10));
            assertEquals(List.of(retained("a/b", "kept")), contents.messages());
            assertEquals(1, contents.seqNr());

            List<String> sessions = PersistenceIds.current(second.system(), "session|")
                    .runWith(Sink.seq(), second.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
            assertEquals(Set.of("alice", "bob"), Set.copyOf(sessions));
            assertEquals(2, sessions.size());
        } finally {
            second.shutdownTestKit();
        }
        assertFalse(isEmpty(dataDir.resolve("journal")));
    }

    @Test
    void journalWrittenNativelyIsReadByThePureJavaPort() {
        assumeTrue(JournalConfig.nativeLevelDbLoads(), "native LevelDB does not load on this machine");
        // Over LevelDB's 4 MB write buffer, so the data lands in Snappy-compressed table files
        // (below it, it would still be in the uncompressed log and prove nothing).
        String megabyte = "m".repeat(1 << 20);
        ActorTestKit nativeRun = ActorTestKit.create("native", config(true));
        try {
            TestProbe<String> acks = nativeRun.createTestProbe();
            ActorRef<String> recorder = nativeRun.spawn(new Recorder("session|big", acks.ref()));
            for (int i = 0; i < 6; i++) {
                recorder.tell(megabyte);
                assertEquals("m", acks.receiveMessage(Duration.ofSeconds(10)));
            }
        } finally {
            nativeRun.shutdownTestKit();
        }
        ActorTestKit javaRun = ActorTestKit.create("java", config(false));
        try {
            TestProbe<String> acks = javaRun.createTestProbe();
            javaRun.spawn(new Recorder("session|big", acks.ref())).tell("?");
            assertEquals("length " + 6 * (1 << 20), acks.receiveMessage(Duration.ofSeconds(20)));
        } finally {
            javaRun.shutdownTestKit();
        }
    }

    @Test
    void dataDirDecidesJournalAndSnapshotDirectoriesAndFsyncIsOffByDefault() {
        Config config = config(true);
        assertEquals(dataDir + "/journal", config.getString("pekko.persistence.journal.leveldb.dir"));
        assertEquals(dataDir + "/snapshots", config.getString("pekko.persistence.snapshot-store.local.dir"));
        assertFalse(config.getBoolean("pekko.persistence.journal.leveldb.fsync"));
        assertTrue(JournalConfig.usesLevelDb(config));

        Config synced = ConfigFactory.load(ConfigFactory.parseString("courier.persistence.fsync = on"));
        assertTrue(synced.getBoolean("pekko.persistence.journal.leveldb.fsync"));
        assertEquals("./data/journal", synced.getString("pekko.persistence.journal.leveldb.dir"));
    }

    @Test
    void nativeProbeAgreesWithPrepare() {
        boolean loads = JournalConfig.nativeLevelDbLoads();
        assertEquals(loads, JournalConfig.isNative(config(true)));
        assertFalse(JournalConfig.isNative(config(false)));
    }

    private static boolean isEmpty(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.findAny().isEmpty();
        }
    }
}
