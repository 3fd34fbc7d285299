package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerContext;
import io.courier.broker.BrokerSettings;
import io.courier.broker.routing.Fanout;
import io.courier.broker.routing.RetainedStore;
import io.courier.broker.routing.Route;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.ProtocolEngine;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.topic.TopicFilter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A listener on a free loopback port with everything behind it faked: one {@link FakeSession}
 * for every client id (its commands land in {@link #sessionCommands}), a probe as the retained
 * store, and a real subscription trie and fanout.
 */
final class TestBroker {

    /** Short timeouts so the timeout tests run in seconds. */
    static final Config CONFIG = ConfigFactory.parseString("""
            courier.mqtt.connect-timeout = 1s
            courier.mqtt.publish-ack-timeout = 1500ms
            courier.mqtt.connection.outbound-buffer = 8
            courier.mqtt.connection.outbound-held-bytes = 256KiB
            pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
            pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
            pekko.loglevel = WARNING
            """).withFallback(ConfigFactory.load());

    final TestProbe<SessionCommand> sessionCommands;
    final TestProbe<RetainedStore.Command> retainedStore;
    final BrokerContext context;
    final MqttTcpServer server;
    private final List<MqttTestClient> clients = new ArrayList<>();

    TestBroker(ActorTestKit kit) throws Exception {
        sessionCommands = kit.createTestProbe(SessionCommand.class);
        retainedStore = kit.createTestProbe(RetainedStore.Command.class);
        ActorRef<SessionCommand> session = kit.spawn(FakeSession.create(sessionCommands.ref()));
        BrokerSettings settings = BrokerSettings.fromConfig(kit.system().settings().config());
        context = new BrokerContext(settings, new SubscriptionTrie<>(), new RetainedIndex<Message>(),
                clientId -> session, retainedStore.ref());
        ProtocolEngine engine = new ProtocolEngine(settings.engine(), new RandomClientIdAssigner());
        server = MqttTcpServer.bind(kit.system(), context, new Fanout(context), engine, "127.0.0.1", 0)
                .toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    MqttTestClient client(MqttVersion version) {
        MqttTestClient c = new MqttTestClient(server.address(), version);
        clients.add(c);
        return c;
    }

    /** Puts a subscription into the node's trie, as the session entity would. */
    void subscribe(String clientId, String filter, Qos qos) {
        context.subscriptions().subscribe(new TopicFilter(filter), clientId,
                new Route(SubscriptionOptions.of(qos), 0));
    }

    /** The next session command, which must be a {@code type}. */
    <T extends SessionCommand> T expectSession(Class<T> type) {
        return sessionCommands.expectMessageClass(type, Duration.ofSeconds(5));
    }

    /** Skips session commands up to the next {@code type}, which it returns. */
    <T extends SessionCommand> T skipTo(Class<T> type) {
        List<SessionCommand> fished = sessionCommands.fishForMessage(Duration.ofSeconds(5),
                "waiting for " + type.getSimpleName(),
                m -> type.isInstance(m) ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
        return type.cast(fished.get(fished.size() - 1));
    }

    /**
     * Closes the clients and unbinds, then checks that every connection ended and that none
     * ended on an internal error (a bug of ours that a test's own assertions might not see).
     */
    void close() throws Exception {
        clients.forEach(MqttTestClient::close);
        server.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        ConnectionCounters counters = server.counters();
        sessionCommands.awaitAssert(Duration.ofSeconds(5), () -> {
            assertEquals(counters.opened(), counters.closed(), "connections still open");
            return null;
        });
        assertEquals(0, counters.internalErrors(), "connections closed on an internal error");
    }
}
