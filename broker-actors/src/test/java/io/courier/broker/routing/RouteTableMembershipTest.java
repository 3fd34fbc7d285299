package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A node that leaves the cluster leaves the route table: nobody forwards to it any more. */
class RouteTableMembershipTest {

    private List<ClusterTestNode> nodes;

    @AfterEach
    void stop() {
        ClusterTestNode.stopAll(nodes);
    }

    @Test
    void aNodeThatLeavesDisappearsFromEveryRouteTableAndItsSessionsLeaveItsTrie() {
        nodes = ClusterTestNode.cluster(3, ConfigFactory.empty());
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        ClusterTestNode c = nodes.get(2);
        TestProbe<EngineInput> connection = c.kit.createTestProbe(EngineInput.class);
        c.tell("leaver", new SessionCommand.Attach(connection.ref(), MqttVersion.V5, true, 3600, null, 0, 1024));
        connection.expectMessageClass(EngineInput.SessionOpened.class, Duration.ofSeconds(10));
        c.tell("leaver", new SessionCommand.Subscribe(connection.ref(), 1, List.of(
                new Effect.SubscribeEntry("leave/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE), null)), 0));
        connection.expectMessageClass(EngineInput.Subscribed.class, Duration.ofSeconds(10));
        assertTrue(c.hostedSubscribers().contains("leaver"));
        for (ClusterTestNode other : List.of(a, b)) {
            other.await("C's route is known", () -> other.context.clusterRoutes().knows(c.key, "Fleave/#"));
        }
        Message message = new Message("leave/1", new byte[] {1}, Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY, "p",
                Message.NEVER);
        assertEquals(new Fanout.Routed(1, 1), a.fanout.route(message, a.kit.createTestProbe(SessionCommand.Stored.class).ref(), 1));

        Cluster.get(c.kit.system()).manager().tell(Leave.create(Cluster.get(c.kit.system()).selfMember().address()));
        // Handed off: the session leaves C's trie (it is woken where its shard went).
        c.await("C's trie is empty", () -> c.hostedSubscribers().isEmpty());
        for (ClusterTestNode other : List.of(a, b)) {
            other.await("C is gone from the route table", () -> !other.context.clusterRoutes().knows(c.key, "Fleave/#"));
            assertNull(other.context.clusterRoutes().router(c.key));
        }
        assertTrue(a.context.clusterRoutes().isEmpty());
        assertEquals(new Fanout.Routed(0, 0), a.fanout.route(message, a.kit.createTestProbe(SessionCommand.Stored.class).ref(), 2));
    }

    @Test
    void aSharedMemberOnACrashedNodeGetsNothingWhileMembersElsewhereAreOnline() throws Exception {
        // Terminating a system then does not leave the cluster: to the others it crashed.
        nodes = ClusterTestNode.cluster(3, ConfigFactory.parseString(
                "pekko.coordinated-shutdown.run-by-actor-system-terminate = off"));
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        ClusterTestNode c = nodes.get(2);
        String filter = "$share/g/crash/#";
        Route qos1 = new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0);
        List<TestProbe<EngineInput>> members = new java.util.ArrayList<>();
        for (ClusterTestNode node : nodes) {
            String clientId = "member-" + nodes.indexOf(node);
            TestProbe<EngineInput> connection = node.kit.createTestProbe(EngineInput.class);
            node.tell(clientId, new SessionCommand.Attach(connection.ref(), MqttVersion.V5, true, 3600, null, 0, 1024));
            connection.expectMessageClass(EngineInput.SessionOpened.class, Duration.ofSeconds(10));
            node.tell(clientId, new SessionCommand.Subscribe(connection.ref(), 1, List.of(
                    new Effect.SubscribeEntry(filter, qos1.options(), null)), 0));
            connection.expectMessageClass(EngineInput.Subscribed.class, Duration.ofSeconds(10));
            members.add(connection);
        }
        a.await("A knows the online members on B and C", () -> a.context.clusterRoutes().knows(b.key,
                RouteEntry.member(filter, "member-1", qos1, true).encode())
                && a.context.clusterRoutes().knows(c.key, RouteEntry.member(filter, "member-2", qos1, true).encode()));

        c.kit.system().terminate();
        c.kit.system().getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
        a.await("A's failure detector marks C unreachable", () -> !a.context.clusterRoutes().reachable(c.key));

        // C's member is still in the route table, still flagged online, but not chosen: every
        // message reaches a live member and every publisher is answered.
        TestProbe<SessionCommand.Stored> stored = a.kit.createTestProbe(SessionCommand.Stored.class);
        for (int i = 0; i < 12; i++) {
            Message m = new Message("crash/" + i, new byte[] {(byte) i}, Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY,
                    "p", Message.NEVER);
            assertEquals(new Fanout.Routed(1, 1), a.fanout.route(m, stored.ref(), i));
        }
        for (int i = 0; i < 12; i++) {
            stored.expectMessageClass(SessionCommand.Stored.class, Duration.ofSeconds(10));
        }
        int delivered = 0;
        for (TestProbe<EngineInput> live : members.subList(0, 2)) {
            for (int i = 0; i < 6; i++) {
                live.expectMessageClass(EngineInput.Deliver.class, Duration.ofSeconds(10));
                delivered++;
            }
            live.expectNoMessage(Duration.ofMillis(300));
        }
        assertEquals(12, delivered);
    }
}
