package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.broker.BrokerContext;
import io.courier.broker.BrokerSettings;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.topic.SubscriptionFilter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The receiving node's half of store confirmation: one {@code Stored} per forward, sent only
 * once every matching session here has answered; probes stand for the sessions.
 */
class NodeRouterTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final Duration QUIET = Duration.ofMillis(200);

    private TestProbe<SessionCommand> s1;
    private TestProbe<SessionCommand> s2;
    private TestProbe<SessionCommand.Stored> publisher;
    private ActorRef<NodeRouter.Command> router;
    private BrokerContext context;

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    @BeforeEach
    void node() {
        s1 = TEST_KIT.createTestProbe(SessionCommand.class);
        s2 = TEST_KIT.createTestProbe(SessionCommand.class);
        publisher = TEST_KIT.createTestProbe(SessionCommand.Stored.class);
        Map<String, ActorRef<SessionCommand>> sessions = Map.of("s1", s1.ref(), "s2", s2.ref());
        context = new BrokerContext(BrokerSettings.fromConfig(TEST_KIT.system().settings().config()),
                new SubscriptionTrie<>(), new RetainedIndex<>(), sessions::get,
                TEST_KIT.createTestProbe(RetainedStore.Command.class).ref());
        Route qos1 = new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0);
        context.subscribe(SubscriptionFilter.parse("t/#"), "s1", qos1);
        context.subscribe(SubscriptionFilter.parse("t/+"), "s2", qos1);
        context.subscribe(SubscriptionFilter.parse("$share/g/t/#"), "s2", qos1);
        router = TEST_KIT.spawn(NodeRouter.create(new Fanout(context), Duration.ofSeconds(5)));
    }

    private static Message qos1(String topic) {
        return new Message(topic, new byte[] {1}, Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY, "p", Message.NEVER);
    }

    @Test
    void answersOncePerForwardAfterEveryMatchingSessionStoredIt() {
        router.tell(new NodeRouter.Forward(qos1("t/x"), publisher.ref(), 7, true, List.of()));
        var e1 = s1.expectMessageClass(SessionCommand.Enqueue.class);
        var e2 = s2.expectMessageClass(SessionCommand.Enqueue.class);
        // This node's own shared group is not consulted: the publishing node chose (nobody here).
        s2.expectNoMessage(QUIET);
        e1.replyTo().tell(new SessionCommand.Stored(e1.correlationId(), true));
        publisher.expectNoMessage(QUIET); // one session still to answer
        e2.replyTo().tell(new SessionCommand.Stored(e2.correlationId(), false)); // a refusal is that session's loss
        assertEquals(new SessionCommand.Stored(7, true), publisher.receiveMessage());
        publisher.expectNoMessage(QUIET);
    }

    @Test
    void aPickedSharedMemberGetsTheMessageWithItsOptions() {
        Route exactlyOnce = new Route(SubscriptionOptions.of(Qos.EXACTLY_ONCE), 5);
        var message = new Message("t/x/y", new byte[] {1}, Qos.EXACTLY_ONCE, false, MqttProperties.EMPTY, "p", Message.NEVER);
        router.tell(new NodeRouter.Forward(message, publisher.ref(), 8, false, List.of(new NodeRouter.SharedPick("s2", exactlyOnce))));
        var e = s2.expectMessageClass(SessionCommand.Enqueue.class);
        assertEquals(Qos.EXACTLY_ONCE, e.delivery().qos());
        assertEquals(5, e.delivery().subscriptionIdentifiers()[0]);
        s1.expectNoMessage(QUIET); // plain = false: this node's plain subscribers were not asked
        e.replyTo().tell(new SessionCommand.Stored(e.correlationId(), true));
        assertEquals(new SessionCommand.Stored(8, true), publisher.receiveMessage());
    }

    @Test
    void aForwardThatMatchesNothingHereIsAnsweredAtOnce() {
        router.tell(new NodeRouter.Forward(qos1("other"), publisher.ref(), 9, true, List.of()));
        assertEquals(new SessionCommand.Stored(9, true), publisher.receiveMessage());
        s1.expectNoMessage(QUIET);
    }

    @Test
    void aForwardNobodyWaitsForIsRoutedWithoutAnswers() {
        router.tell(new NodeRouter.Forward(qos1("t/x"), null, 0, true, List.of()));
        assertEquals(null, s1.expectMessageClass(SessionCommand.Enqueue.class).replyTo());
        assertEquals(null, s2.expectMessageClass(SessionCommand.Enqueue.class).replyTo());
        publisher.expectNoMessage(QUIET);
    }
}
