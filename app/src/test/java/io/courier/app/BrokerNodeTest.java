package io.courier.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.session.SessionCommand;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole node in this JVM: configuration, cluster of one, sharding, embedded journal, the
 * MQTT listener's bind and unbind, and waking persistent sessions at start-up.
 */
class BrokerNodeTest {

    @TempDir
    Path dataDir;

    private Config config() {
        return ConfigFactory.load(ConfigFactory.parseString(
                "courier.data-dir = \"" + dataDir + "\"\n"
                        + "courier.mqtt.tcp.port = 0\n"
                        + "courier.cluster.port = 0\n"));
    }

    /** A persistent session stand-in: persists one event per Wake and reports it. */
    static final class PersistingSession extends EventSourcedBehavior<SessionCommand, String, String> {
        private final String clientId;
        private final BlockingQueue<String> persisted;

        PersistingSession(String clientId, BlockingQueue<String> persisted) {
            super(PersistenceId.ofUniqueId(BrokerNode.SESSION_PREFIX + clientId));
            this.clientId = clientId;
            this.persisted = persisted;
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public CommandHandler<SessionCommand, String, String> commandHandler() {
            return newCommandHandlerBuilder().forAnyState()
                    .onCommand(SessionCommand.Wake.class, (state, cmd) ->
                            Effect().persist("woken").thenRun(s -> persisted.add(clientId)))
                    .build();
        }

        @Override
        public EventHandler<String, String> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((state, e) -> state + e);
        }
    }

    @Test
    void pekkoSettingsOfTheAppWinOverPekkoDefaults() {
        Config config = ConfigFactory.load();
        assertEquals("cluster", config.getString("pekko.actor.provider"));
        assertEquals("org.apache.pekko.event.slf4j.Slf4jLogger", config.getStringList("pekko.loggers").get(0));
        assertEquals(1883, config.getInt("courier.mqtt.tcp.port"));
        assertEquals(25520, config.getInt("pekko.remote.artery.canonical.port"));
        assertEquals("./data/journal", config.getString("pekko.persistence.journal.leveldb.dir"));
        assertEquals("none", config.getString("pekko.cluster.sharding.passivation.strategy"));
    }

    @Test
    void bindsAcceptsAndUnbindsOnShutdown() throws Exception {
        BrokerNode node = BrokerNode.start(config(), (clientId, context, fanout, shard) -> Behaviors.empty());
        int port = node.mqttAddress().getPort();
        assertNotEquals(0, port);
        try (Socket socket = new Socket("127.0.0.1", port)) {
            assertTrue(socket.isConnected());
        }
        assertTrue(Files.isDirectory(dataDir.resolve("journal")));

        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
    }

    @Test
    void persistentSessionsAreWokenAtStart() throws Exception {
        BlockingQueue<String> persisted = new LinkedBlockingQueue<>();
        BrokerNode first = BrokerNode.start(config(), (clientId, context, fanout, shard) -> new PersistingSession(clientId, persisted));
        try {
            assertEquals(0, first.sessionsWoken());
            first.context().sessions().session("alice").tell(new SessionCommand.Wake());
            first.context().sessions().session("bob").tell(new SessionCommand.Wake());
            Set<String> stored = new HashSet<>();
            stored.add(persisted.poll(20, TimeUnit.SECONDS));
            stored.add(persisted.poll(20, TimeUnit.SECONDS));
            assertEquals(Set.of("alice", "bob"), stored);
        } finally {
            stopAndWait(first);
        }

        BlockingQueue<String> woken = new LinkedBlockingQueue<>();
        BrokerNode second = BrokerNode.start(config(), (clientId, context, fanout, shard) -> recording(clientId, woken));
        try {
            assertEquals(2, second.sessionsWoken());
            Set<String> received = new HashSet<>();
            received.add(woken.poll(20, TimeUnit.SECONDS));
            received.add(woken.poll(20, TimeUnit.SECONDS));
            assertEquals(Set.of("alice:Wake", "bob:Wake"), received);
        } finally {
            stopAndWait(second);
        }
    }

    @Test
    void aTakenPortFailsStartUpWithTheReason() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            Config config = ConfigFactory.load(ConfigFactory.parseString(
                    "courier.data-dir = \"" + dataDir + "\"\n"
                            + "courier.mqtt.tcp.port = " + taken.getLocalPort() + "\n"
                            + "courier.cluster.port = 0\n"));
            BrokerNode.BrokerStartException e = assertThrows(BrokerNode.BrokerStartException.class,
                    () -> BrokerNode.start(config, (clientId, context, fanout, shard) -> Behaviors.empty()));
            assertTrue(e.getMessage().contains("binding MQTT on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    private static Behavior<SessionCommand> recording(String clientId, BlockingQueue<String> out) {
        return Behaviors.receiveMessage(cmd -> {
            out.add(clientId + ":" + cmd.getClass().getSimpleName());
            return Behaviors.same();
        });
    }

    private static void stopAndWait(BrokerNode node) throws Exception {
        node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
        node.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
}
