package io.courier.broker.session;

import static io.courier.broker.session.SessionFixture.ONE_HOUR;
import static io.courier.broker.session.SessionFixture.SHORT;
import static io.courier.broker.session.SessionFixture.attach;
import static io.courier.broker.session.SessionFixture.entry;
import static io.courier.broker.session.SessionFixture.subscribe;
import static io.courier.broker.session.SessionFixture.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.broker.routing.Route;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubscriptionOptions;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SUBSCRIBE and UNSUBSCRIBE through the session entity: what it records, what it puts into the
 * node's subscription trie, what it answers, and the retained messages that follow a SUBACK.
 */
class SessionSubscriptionTest {

    private static ActorTestKit testKit;

    private SessionFixture f;
    private EventSourcedBehaviorTestKit<SessionCommand, SessionEvent, SessionState> kit;
    private TestProbe<EngineInput> conn;

    @BeforeAll
    static void startSystem() {
        testKit = ActorTestKit.create(SessionFixture.config());
    }

    @AfterAll
    static void stopSystem() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void attachedSession() {
        f = new SessionFixture(testKit);
        kit = f.kit();
        conn = f.connection();
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(new EngineInput.SessionOpened(false));
    }

    @Test
    @DisplayName("SUBSCRIBE records each accepted filter, puts it into the trie under the client id and answers one "
            + "code per entry in order, rejected entries keeping their code [MQTT-3.8.4-6] [MQTT-3.9.3-1]")
    void subscribeRecordsFiltersAndAnswersInOrder() {
        SubscriptionOptions atLeastOnce = new SubscriptionOptions(Qos.AT_LEAST_ONCE, true, false, 0);
        SubscriptionOptions exactlyOnce = new SubscriptionOptions(Qos.EXACTLY_ONCE, false, true, 2);
        SubscriptionOptions atMostOnce = SubscriptionOptions.of(Qos.AT_MOST_ONCE);
        var command = new SessionCommand.Subscribe(conn.ref(), 10, List.of(
                new Effect.SubscribeEntry("a/+", atLeastOnce, null),
                new Effect.SubscribeEntry("bad/#/x", SubscriptionOptions.of(Qos.AT_LEAST_ONCE),
                        ReasonCode.TOPIC_FILTER_INVALID),
                new Effect.SubscribeEntry("b/#", exactlyOnce, null),
                new Effect.SubscribeEntry("$share/g/c", atMostOnce, null)), 7);

        var result = kit.runCommand(command);

        assertEquals(List.of(
                new SessionEvent.SubscriptionAdded("a/+", atLeastOnce, 7),
                new SessionEvent.SubscriptionAdded("b/#", exactlyOnce, 7),
                new SessionEvent.SubscriptionAdded("$share/g/c", atMostOnce, 7)), result.events());
        conn.expectMessage(new EngineInput.Subscribed(10, List.of(ReasonCode.GRANTED_QOS_1,
                ReasonCode.TOPIC_FILTER_INVALID, ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_0)));
        assertEquals(List.of("$share/g/c", "a/+", "b/#"), f.trieFilters().stream().sorted().toList());
        assertEquals(Map.of("a/+", new Route(atLeastOnce, 7), "b/#", new Route(exactlyOnce, 7),
                "$share/g/c", new Route(atMostOnce, 7)), kit.getState().subscriptions());
        assertEquals(1, f.targets("a/x", "someone else"));
        assertEquals(1, f.targets("c", "someone else"));
    }

    @Test
    @DisplayName("retained messages follow the SUBACK with RETAIN 1, at the lower of published and granted QoS "
            + "[MQTT-3.3.1-8] [MQTT-3.8.4-8]")
    void retainedMessagesFollowTheSuback() {
        f.retain("r/1", Qos.EXACTLY_ONCE, "one");
        f.retain("r/2", Qos.AT_MOST_ONCE, "two");
        f.retain("elsewhere/3", Qos.AT_LEAST_ONCE, "not matching");

        kit.runCommand(subscribe(conn, 5, entry("r/+", Qos.AT_LEAST_ONCE)));

        assertEquals(new EngineInput.Subscribed(5, List.of(ReasonCode.GRANTED_QOS_1)), conn.receiveMessage());
        Map<String, Publish> byTopic = new TreeMap<>();
        for (int i = 0; i < 2; i++) {
            Publish p = conn.expectMessageClass(EngineInput.Deliver.class).publish();
            byTopic.put(p.topic(), p);
        }
        conn.expectNoMessage(SHORT);
        Publish one = byTopic.get("r/1");
        assertEquals(Qos.AT_LEAST_ONCE, one.qos());
        assertTrue(one.retain());
        assertTrue(one.packetId() > 0);
        assertEquals("one", text(one));
        Publish two = byTopic.get("r/2");
        assertEquals(Qos.AT_MOST_ONCE, two.qos());
        assertTrue(two.retain());
        assertEquals("two", text(two));
    }

    static Stream<Arguments> retainHandling() {
        return Stream.of(
                Arguments.of(0, false, true, "[MQTT-3.3.1-9]"),
                Arguments.of(0, true, true, "[MQTT-3.3.1-9]"),
                Arguments.of(1, false, true, "[MQTT-3.3.1-10]"),
                Arguments.of(1, true, false, "[MQTT-3.3.1-10]"),
                Arguments.of(2, false, false, "[MQTT-3.3.1-11]"),
                Arguments.of(2, true, false, "[MQTT-3.3.1-11]"));
    }

    @ParameterizedTest(name = "retain handling {0}, subscription existed: {1} -> retained sent: {2} {3}")
    @MethodSource("retainHandling")
    void retainHandlingDecidesWhetherRetainedMessagesAreSent(int retainHandling, boolean existed, boolean sent,
                                                              String rule) {
        f.retain("r/1", Qos.AT_LEAST_ONCE, "retained");
        if (existed) {
            kit.runCommand(subscribe(conn, 1, entry("r/#", Qos.AT_LEAST_ONCE, 2)));
            conn.expectMessageClass(EngineInput.Subscribed.class);
            conn.expectNoMessage(SHORT);
        }

        kit.runCommand(subscribe(conn, 2, entry("r/#", Qos.AT_LEAST_ONCE, retainHandling)));

        conn.expectMessage(new EngineInput.Subscribed(2, List.of(ReasonCode.GRANTED_QOS_1)));
        if (sent) {
            Publish p = conn.expectMessageClass(EngineInput.Deliver.class).publish();
            assertEquals("r/1", p.topic());
            assertTrue(p.retain());
        }
        conn.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("a shared subscription gets no retained messages (4.8.2)")
    void sharedSubscriptionGetsNoRetainedMessages() {
        f.retain("r/1", Qos.AT_LEAST_ONCE, "retained");

        kit.runCommand(subscribe(conn, 3, entry("$share/g/r/#", Qos.AT_LEAST_ONCE, 0)));

        conn.expectMessage(new EngineInput.Subscribed(3, List.of(ReasonCode.GRANTED_QOS_1)));
        conn.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("UNSUBSCRIBE removes the filter from session and trie; an unknown filter is answered No subscription "
            + "existed, a rejected one keeps its code [MQTT-3.10.4-1] [MQTT-3.10.4-2]")
    void unsubscribeRemovesFromTheTrie() {
        kit.runCommand(subscribe(conn, 1, entry("a/b", Qos.AT_LEAST_ONCE), entry("c/d", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);

        var result = kit.runCommand(new SessionCommand.Unsubscribe(conn.ref(), 2, List.of(
                new Effect.UnsubscribeEntry("a/b", null),
                new Effect.UnsubscribeEntry("never/subscribed", null),
                new Effect.UnsubscribeEntry("bad/#/x", ReasonCode.TOPIC_FILTER_INVALID))));

        assertEquals(List.of(new SessionEvent.SubscriptionRemoved("a/b")), result.events());
        conn.expectMessage(new EngineInput.Unsubscribed(2, List.of(ReasonCode.SUCCESS,
                ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.TOPIC_FILTER_INVALID)));
        assertEquals(List.of("c/d"), f.trieFilters());
        assertEquals(0, f.targets("a/b", "someone else"));
        assertEquals(List.of("c/d"), List.copyOf(kit.getState().subscriptions().keySet()));
    }

    @Test
    @DisplayName("a repeated filter replaces the subscription's options, in session and trie [MQTT-3.8.4-3]")
    void resubscribingReplacesOptions() {
        kit.runCommand(subscribe(conn, 1, entry("a/b", Qos.AT_MOST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);

        kit.runCommand(subscribe(conn, 2, entry("a/b", Qos.EXACTLY_ONCE)));

        conn.expectMessage(new EngineInput.Subscribed(2, List.of(ReasonCode.GRANTED_QOS_2)));
        assertEquals(List.of("a/b"), f.trieFilters());
        assertEquals(Qos.EXACTLY_ONCE, kit.getState().subscriptions().get("a/b").options().qos());
        var routes = new java.util.ArrayList<Route>();
        f.trie.forEach(s -> {
            if (s.key().equals(f.clientId)) {
                routes.add(s.value());
            }
        });
        assertEquals(List.of(new Route(SubscriptionOptions.of(Qos.EXACTLY_ONCE), 0)), routes);
    }

    @Test
    @DisplayName("a session whose shard is handed off leaves this node's trie and route entries, and is woken "
            + "through sharding, which delivers the wake-up where the shard now lives")
    void handOffLeavesTheTrieAndWakesTheSessionWhereItMoved() {
        SessionFixture moving = new SessionFixture(testKit);
        TestProbe<EngineInput> connection = moving.connection();
        ActorRef<SessionCommand> session = moving.spawn();
        session.tell(attach(connection, false, ONE_HOUR));
        connection.expectMessage(new EngineInput.SessionOpened(false));
        session.tell(subscribe(connection, 1, entry("h/#", Qos.AT_LEAST_ONCE), entry("$share/g/h/#", Qos.AT_LEAST_ONCE)));
        connection.expectMessageClass(EngineInput.Subscribed.class);
        assertEquals(2, moving.trieFilters().size());
        assertEquals(2, moving.context.localRoutes().entries().size());

        TestProbe<Void> watcher = testKit.createTestProbe();
        session.tell(new SessionCommand.HandOff());
        watcher.expectTerminated(session);
        assertEquals(List.of(), moving.trieFilters());
        assertEquals(List.of(), moving.context.localRoutes().entries());
        assertFalse(moving.context.onlineSessions().contains(moving.clientId));
        moving.strays.expectMessageClass(SessionCommand.Wake.class);
    }

    @Test
    @DisplayName("a session that ends leaves the trie and route entries and is not woken again")
    void endedSessionLeavesTheTrieAndStaysStopped() {
        SessionFixture ending = new SessionFixture(testKit);
        TestProbe<EngineInput> connection = ending.connection();
        ActorRef<SessionCommand> session = ending.spawn();
        session.tell(attach(connection, false, 0));
        connection.expectMessage(new EngineInput.SessionOpened(false));
        session.tell(subscribe(connection, 1, entry("e/#", Qos.AT_LEAST_ONCE)));
        connection.expectMessageClass(EngineInput.Subscribed.class);
        assertEquals(List.of("Fe/#"), ending.context.localRoutes().entries());

        TestProbe<Void> watcher = testKit.createTestProbe();
        session.tell(new SessionCommand.Detach(connection.ref(), Effect.SessionEnd.NORMAL, 0));
        watcher.expectTerminated(session);
        assertEquals(List.of(), ending.trieFilters());
        assertEquals(List.of(), ending.context.localRoutes().entries());
        ending.strays.expectNoMessage(SHORT);
    }
}
