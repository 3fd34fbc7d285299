package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cross-node routing on three in-process nodes joined over Artery on loopback: the route table
 * in Distributed Data, one forward per interested node, exactly one delivery per subscription,
 * store confirmation across nodes, shared groups spanning nodes, takeover across nodes. Every
 * message between nodes goes through the real serializers. Sessions live where their client
 * first attached ({@link ClusterTestNode.RequesterAllocation}), which each test checks.
 */
class ClusterRoutingTest {

    private static final Duration ANSWER = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(300);

    private static List<ClusterTestNode> nodes;
    private static ClusterTestNode a;
    private static ClusterTestNode b;
    private static ClusterTestNode c;

    @BeforeAll
    static void startCluster() {
        nodes = ClusterTestNode.cluster(3, ConfigFactory.empty());
        a = nodes.get(0);
        b = nodes.get(1);
        c = nodes.get(2);
    }

    @AfterAll
    static void stopCluster() {
        ClusterTestNode.stopAll(nodes);
    }

    // ---- helpers --------------------------------------------------------------------------

    /** Attaches {@code clientId} through {@code node} with a new connection probe there. */
    private static TestProbe<EngineInput> connect(ClusterTestNode node, String clientId, boolean cleanStart) {
        TestProbe<EngineInput> connection = node.kit.createTestProbe(EngineInput.class);
        node.tell(clientId, new SessionCommand.Attach(connection.ref(), MqttVersion.V5, cleanStart, 3600, null, 0, 1024));
        connection.expectMessageClass(EngineInput.SessionOpened.class, ANSWER);
        return connection;
    }

    private static void subscribe(ClusterTestNode node, String clientId, TestProbe<EngineInput> connection,
                                  String... filters) {
        List<Effect.SubscribeEntry> entries = new ArrayList<>();
        for (String f : filters) {
            entries.add(new Effect.SubscribeEntry(f, SubscriptionOptions.of(Qos.AT_LEAST_ONCE), null));
        }
        node.tell(clientId, new SessionCommand.Subscribe(connection.ref(), 1, entries, 0));
        connection.expectMessageClass(EngineInput.Subscribed.class, ANSWER);
    }

    private static Message message(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, false,
                MqttProperties.EMPTY, "publisher", Message.NEVER);
    }

    /** The payloads of every PUBLISH the connection gets until it is quiet. */
    private static List<String> deliveries(TestProbe<EngineInput> connection, int expected) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < expected; i++) {
            var d = connection.expectMessageClass(EngineInput.Deliver.class, ANSWER);
            out.add(new String(d.publish().payload(), StandardCharsets.UTF_8));
        }
        connection.expectNoMessage(QUIET);
        return out;
    }

    private static String member(String filter, String clientId, boolean online) {
        return RouteEntry.member(filter, clientId, new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0), online).encode();
    }

    // ---- tests ----------------------------------------------------------------------------

    @Test
    void aPublishReachesEverySubscriberOnEveryNodeOnceAndIsConfirmedByAll() {
        var subA = connect(a, "fan-a", true);
        var subB = connect(b, "fan-b", true);
        var subC1 = connect(c, "fan-c1", true);
        var subC2 = connect(c, "fan-c2", true);
        subscribe(a, "fan-a", subA, "fan/#");
        subscribe(b, "fan-b", subB, "fan/#");
        subscribe(c, "fan-c1", subC1, "fan/#");
        subscribe(c, "fan-c2", subC2, "fan/#", "fan/+"); // overlapping: still one delivery [MQTT-3.3.4-2]
        assertTrue(a.hostedSubscribers().contains("fan-a") && b.hostedSubscribers().contains("fan-b")
                && c.hostedSubscribers().containsAll(List.of("fan-c1", "fan-c2")), "sessions live where they attached");
        a.await("node A knows B's and C's routes", () -> a.context.clusterRoutes().knows(b.key, "Ffan/#")
                && a.context.clusterRoutes().knows(c.key, "Ffan/#"));

        TestProbe<SessionCommand.Stored> stored = a.kit.createTestProbe(SessionCommand.Stored.class);
        int n = 20;
        for (int i = 0; i < n; i++) {
            Fanout.Routed routed = a.fanout.route(message("fan/" + i, "m" + i), stored.ref(), i);
            // One local session plus one forward per other node: C's two subscribers share one.
            assertEquals(new Fanout.Routed(3, 3), routed, "message " + i);
        }
        Map<Long, Integer> answers = new HashMap<>();
        for (int i = 0; i < 3 * n; i++) {
            SessionCommand.Stored s = stored.expectMessageClass(SessionCommand.Stored.class, ANSWER);
            answers.merge(s.correlationId(), 1, Integer::sum);
        }
        stored.expectNoMessage(QUIET);
        for (long i = 0; i < n; i++) {
            assertEquals(3, answers.get(i), "Stored answers for message " + i);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("m" + i);
        }
        for (var connection : List.of(subA, subB, subC1, subC2)) {
            assertEquals(expected, deliveries(connection, n), "each subscription gets each message once, in order");
        }
    }

    @Test
    void aTopicNoOtherNodeWantsIsNotForwarded() {
        var only = connect(a, "quiet-a", true);
        subscribe(a, "quiet-a", only, "quiet/#");
        var elsewhere = connect(b, "quiet-b", true);
        subscribe(b, "quiet-b", elsewhere, "loud/#");
        a.await("node A knows B's route", () -> a.context.clusterRoutes().knows(b.key, "Floud/#"));

        TestProbe<SessionCommand.Stored> stored = a.kit.createTestProbe(SessionCommand.Stored.class);
        assertEquals(new Fanout.Routed(1, 1), a.fanout.route(message("quiet/x", "q"), stored.ref(), 1));
        stored.expectMessageClass(SessionCommand.Stored.class, ANSWER);
        stored.expectNoMessage(QUIET);
        assertEquals(List.of("q"), deliveries(only, 1));
        elsewhere.expectNoMessage(QUIET);
    }

    @Test
    void aSharedGroupSpanningNodesGetsEachMessageOnceAndSkipsMembersThatAreGone() {
        String filter = "$share/g/work/#";
        var gA = connect(a, "g-a", true);
        var gB = connect(b, "g-b", true);
        var gC = connect(c, "g-c", true);
        subscribe(a, "g-a", gA, filter);
        subscribe(b, "g-b", gB, filter);
        subscribe(c, "g-c", gC, filter);
        a.await("node A knows the online members on B and C", () -> a.context.clusterRoutes().knows(b.key, member(filter, "g-b", true))
                && a.context.clusterRoutes().knows(c.key, member(filter, "g-c", true)));

        TestProbe<SessionCommand.Stored> stored = a.kit.createTestProbe(SessionCommand.Stored.class);
        for (int i = 0; i < 30; i++) {
            assertEquals(new Fanout.Routed(1, 1), a.fanout.route(message("work/" + i, "w" + i), stored.ref(), i));
        }
        for (int i = 0; i < 30; i++) {
            stored.expectMessageClass(SessionCommand.Stored.class, ANSWER);
        }
        // Round robin over the three members, cluster-wide: ten each, every message once.
        List<String> all = new ArrayList<>();
        for (var member : List.of(gA, gB, gC)) {
            List<String> got = deliveries(member, 10);
            all.addAll(got);
        }
        assertEquals(30, all.stream().distinct().count());

        // C's member goes offline: it must not swallow messages while A's and B's are online.
        c.tell("g-c", new SessionCommand.Detach(gC.ref(), Effect.SessionEnd.NORMAL, 3600));
        a.await("node A sees C's member offline", () -> a.context.clusterRoutes().knows(c.key, member(filter, "g-c", false)));
        for (int i = 0; i < 10; i++) {
            a.fanout.route(message("work/off" + i, "o" + i), null, 0);
        }
        assertEquals(10, deliveries(gA, 5).size() + deliveries(gB, 5).size());
        var gC2 = c.kit.createTestProbe(EngineInput.class);
        c.tell("g-c", new SessionCommand.Attach(gC2.ref(), MqttVersion.V5, false, 3600, null, 0, 1024));
        assertEquals(new EngineInput.SessionOpened(true), gC2.expectMessageClass(EngineInput.SessionOpened.class, ANSWER));
        // Only its ten unacknowledged messages come again [MQTT-4.4.0-1]: nothing was queued while it was offline.
        for (String payload : deliveries(gC2, 10)) {
            assertTrue(payload.startsWith("w"), payload);
        }

        // B's member's session ends: its entry leaves the route table and it gets nothing more.
        b.tell("g-b", new SessionCommand.Detach(gB.ref(), Effect.SessionEnd.NORMAL, 0));
        a.await("node A forgets B's ended member", () -> !a.context.clusterRoutes().knows(b.key, member(filter, "g-b", true))
                && !a.context.clusterRoutes().knows(b.key, member(filter, "g-b", false)));
        for (int i = 0; i < 10; i++) {
            a.fanout.route(message("work/end" + i, "e" + i), null, 0);
        }
        assertEquals(10, deliveries(gA, 5).size() + deliveries(gC2, 5).size());
        gB.expectNoMessage(QUIET);
    }

    @Test
    void connectingToAnotherNodeTakesTheSessionOverAndMessagesFollowIt() {
        var first = connect(b, "mover", true);
        subscribe(b, "mover", first, "mv/#");
        a.await("node A knows the mover's route", () -> a.context.clusterRoutes().knows(b.key, "Fmv/#"));

        // The same client id through node C: the session, on B, answers across the cluster.
        var second = c.kit.createTestProbe(EngineInput.class);
        c.tell("mover", new SessionCommand.Attach(second.ref(), MqttVersion.V5, false, 3600, null, 0, 1024));
        first.expectMessageClass(EngineInput.TakenOver.class, ANSWER); // [MQTT-3.1.4-3], v5 DISCONNECT 0x8E
        assertEquals(new EngineInput.SessionOpened(true), second.expectMessageClass(EngineInput.SessionOpened.class, ANSWER));

        a.fanout.route(message("mv/1", "after"), null, 0);
        assertEquals(List.of("after"), deliveries(second, 1));
        first.expectNoMessage(QUIET);
    }
}
