package io.courier.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerContext;
import io.courier.broker.BrokerSettings;
import io.courier.broker.routing.Fanout;
import io.courier.broker.routing.RetainedStore;
import io.courier.broker.routing.Route;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.Effect.SessionEnd;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.Subscription;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit;

/**
 * One session under test and the node around it: a real subscription trie, a real retained
 * index and a real {@link Fanout} over them; probes stand for the client's connections, for the
 * session of another client ({@value #SUBSCRIBER}, subscribed to {@code will/#} so wills have
 * somewhere to go) and for the retained store.
 *
 * <p>Every fixture uses a fresh client id, so sessions spawned directly (outside the
 * {@link EventSourcedBehaviorTestKit}) never replay another test's journal.
 */
final class SessionFixture {

    /**
     * The test kit's in-memory journal and snapshot store, over the broker's reference.conf;
     * Pekko's own log goes through SLF4J (logback-test.xml). Every message between actors is
     * serialized and read back ({@code serialize-messages}), as it would be between nodes, so a
     * session command, answer or delivery without a serializer fails these tests.
     */
    static Config config() {
        return ConfigFactory.parseString("""
                        pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                        pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                        pekko.loglevel = WARNING
                        pekko.actor.serialize-messages = on
                        """)
                .withFallback(EventSourcedBehaviorTestKit.config())
                .withFallback(ConfigFactory.load());
    }

    /**
     * Commands, events and state go through their serializers after every command and must come
     * back equal: commands cross nodes (connection and session may sit on different nodes),
     * events and state go to the journal.
     */
    static final EventSourcedBehaviorTestKit.SerializationSettings SERIALIZATION =
            EventSourcedBehaviorTestKit.enabledSerializationSettings().withVerifyCommands(true).withVerifyEquality(true);

    static final String SUBSCRIBER = "subscriber";
    static final Duration SHORT = Duration.ofMillis(200);
    static final long ONE_HOUR = 3600;

    private static final AtomicInteger IDS = new AtomicInteger();

    final ActorTestKit testKit;
    final String clientId = "client-" + IDS.incrementAndGet();
    final SubscriptionTrie<String, Route> trie = new SubscriptionTrie<>();
    final RetainedIndex<Message> retained = new RetainedIndex<>();
    final TestProbe<SessionCommand> subscriber;
    final TestProbe<SessionCommand> strays;
    final TestProbe<RetainedStore.Command> retainedStore;
    final BrokerContext context;
    final Fanout fanout;

    SessionFixture(ActorTestKit testKit) {
        this(testKit, BrokerSettings.fromConfig(testKit.system().settings().config()));
    }

    SessionFixture(ActorTestKit testKit, BrokerSettings settings) {
        this.testKit = testKit;
        this.subscriber = testKit.createTestProbe(SessionCommand.class);
        this.strays = testKit.createTestProbe(SessionCommand.class);
        this.retainedStore = testKit.createTestProbe(RetainedStore.Command.class);
        this.context = new BrokerContext(settings, trie, retained,
                id -> SUBSCRIBER.equals(id) ? subscriber.ref() : strays.ref(), retainedStore.ref());
        this.fanout = new Fanout(context);
        trie.subscribe(new TopicFilter("will/#"), SUBSCRIBER, new Route(SubscriptionOptions.of(Qos.EXACTLY_ONCE), 0));
    }

    Behavior<SessionCommand> behavior() {
        return SessionEntity.create(clientId, context, fanout);
    }

    EventSourcedBehaviorTestKit<SessionCommand, SessionEvent, SessionState> kit() {
        return EventSourcedBehaviorTestKit.create(testKit.system(), behavior(), SERIALIZATION);
    }

    /** The session as a plain actor, for tests that watch it stop or race its recovery. */
    ActorRef<SessionCommand> spawn() {
        return testKit.spawn(behavior());
    }

    TestProbe<EngineInput> connection() {
        return testKit.createTestProbe(EngineInput.class);
    }

    String persistenceId() {
        return SessionEntity.PERSISTENCE_ID_PREFIX + clientId;
    }

    /** Everything in the journal for this session, oldest first. */
    List<Object> journal() {
        return PersistenceTestKit.create(testKit.system()).persistedInStorage(persistenceId());
    }

    List<Class<?>> journalTypes() {
        return journal().stream().<Class<?>>map(Object::getClass).toList();
    }

    /** This client's subscriptions in the node trie, as filter text. */
    List<String> trieFilters() {
        List<String> out = new ArrayList<>();
        trie.forEach((Subscription<String, Route> s) -> {
            if (s.key().equals(clientId)) {
                out.add(s.filter().toString());
            }
        });
        return out;
    }

    void retain(String topic, Qos qos, String payload) {
        Message m = new Message(topic, bytes(payload), qos, true, MqttProperties.EMPTY, "retainer", Message.NEVER);
        retained.put(new TopicName(topic), m);
    }

    // ---- commands ------------------------------------------------------------------------

    static SessionCommand.Attach attach(TestProbe<EngineInput> connection, boolean cleanStart, long expirySeconds) {
        return attach(connection, cleanStart, expirySeconds, 1024);
    }

    static SessionCommand.Attach attach(TestProbe<EngineInput> connection, boolean cleanStart, long expirySeconds,
                                        int receiveMaximum) {
        return new SessionCommand.Attach(connection.ref(), MqttVersion.V5, cleanStart, expirySeconds, null, 0,
                receiveMaximum);
    }

    SessionCommand.Attach attachWithWill(TestProbe<EngineInput> connection, long expirySeconds, long willDelaySeconds) {
        return new SessionCommand.Attach(connection.ref(), MqttVersion.V5, false, expirySeconds, will(),
                willDelaySeconds, 1024);
    }

    /** The will of this fixture's client: QoS 1 on {@code will/<client id>}. */
    Message will() {
        return new Message("will/" + clientId, bytes("gone"), Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY, clientId,
                Message.NEVER);
    }

    static SessionCommand.Detach detach(TestProbe<EngineInput> connection, SessionEnd how, long expirySeconds) {
        return new SessionCommand.Detach(connection.ref(), how, expirySeconds);
    }

    static SessionCommand.Subscribe subscribe(TestProbe<EngineInput> connection, int packetId,
                                              Effect.SubscribeEntry... entries) {
        return new SessionCommand.Subscribe(connection.ref(), packetId, List.of(entries), 0);
    }

    static Effect.SubscribeEntry entry(String filter, Qos qos) {
        return entry(filter, qos, 0);
    }

    static Effect.SubscribeEntry entry(String filter, Qos qos, int retainHandling) {
        return new Effect.SubscribeEntry(filter, new SubscriptionOptions(qos, false, false, retainHandling), null);
    }

    static SessionCommand.Acknowledge ack(TestProbe<EngineInput> connection, int packetId, Effect.OutboundAck kind) {
        return new SessionCommand.Acknowledge(connection.ref(), packetId, kind);
    }

    static SessionCommand.Enqueue enqueue(Delivery delivery) {
        return new SessionCommand.Enqueue(delivery, null, 0);
    }

    static Delivery delivery(String topic, Qos qos, String payload) {
        return Delivery.of(new Message(topic, bytes(payload), qos, false, MqttProperties.EMPTY, "publisher",
                Message.NEVER), qos, false);
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // ---- expectations --------------------------------------------------------------------

    /** The next message to the connection is a PUBLISH with this id, QoS, DUP flag and payload. */
    static Publish expectDeliver(TestProbe<EngineInput> connection, int packetId, Qos qos, boolean dup, String payload) {
        Publish p = connection.expectMessageClass(EngineInput.Deliver.class).publish();
        assertEquals(packetId, p.packetId(), "packet id of " + p);
        assertEquals(qos, p.qos(), "QoS of " + p);
        assertEquals(dup, p.dup(), "DUP of " + p);
        assertEquals(payload, new String(p.payload(), StandardCharsets.UTF_8));
        return p;
    }

    /** The will of this fixture's client reached the subscriber's session, and nothing else did. */
    void expectWill(Duration within) {
        SessionCommand.Enqueue e = subscriber.expectMessageClass(SessionCommand.Enqueue.class, within);
        assertNotNull(e.delivery());
        assertEquals("will/" + clientId, e.delivery().message().topic());
        assertEquals("gone", new String(e.delivery().message().payload(), StandardCharsets.UTF_8));
        assertEquals(clientId, e.delivery().message().publisherId());
    }

    static String text(Publish p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    /** How many sessions (a shared group counting once) a message on {@code topic} would reach. */
    int targets(String topic, String publisherId) {
        java.util.Set<String> clients = new java.util.HashSet<>();
        int[] groups = {0};
        context.subscriptions().match(new io.courier.protocol.topic.TopicName(topic),
                new io.courier.protocol.index.MatchSink<String, io.courier.broker.routing.Route>() {
                    @Override
                    public void subscriber(String key, io.courier.broker.routing.Route route) {
                        if (!(route.options().noLocal() && key.equals(publisherId))) {
                            clients.add(key);
                        }
                    }

                    @Override
                    public void sharedGroup(String shareName, io.courier.protocol.topic.TopicFilter filter,
                                            io.courier.protocol.index.GroupMembers<String, io.courier.broker.routing.Route> members) {
                        groups[0]++;
                    }
                });
        return clients.size() + groups[0];
    }
}
