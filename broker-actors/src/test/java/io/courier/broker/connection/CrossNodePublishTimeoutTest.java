package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.routing.ClusterTestNode;
import io.courier.protocol.engine.ProtocolEngine;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * A QoS 1 publish whose only subscriber sits on a node that crashed: the forward is never
 * answered, and the publisher gets PUBACK 0x83 after {@code publish-ack-timeout} instead of
 * waiting for ever or being told the message was stored.
 */
class CrossNodePublishTimeoutTest {

    private List<ClusterTestNode> nodes;
    private final List<MqttTcpServer> servers = new ArrayList<>();
    private final List<MqttTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        clients.forEach(MqttTestClient::close);
        for (int i = 0; i < servers.size(); i++) {
            // The crashed node's listener went down with its actor system.
            if (!nodes.get(i).kit.system().getWhenTerminated().toCompletableFuture().isDone()) {
                servers.get(i).unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        }
        ClusterTestNode.stopAll(nodes);
    }

    private MqttTestClient connect(int node, String clientId) {
        MqttTestClient c = new MqttTestClient(servers.get(node).address(), MqttVersion.V5);
        clients.add(c);
        c.send(new Connect(MqttVersion.V5, clientId, true, 60, null, null, null,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600L).build()));
        c.expect(ConnAck.class);
        return c;
    }

    @Test
    @DisplayName("a QoS 1 publish that matched on a crashed node is answered 0x83 after the publish-ack-timeout")
    void publishMatchedOnACrashedNodeTimesOutWithAnErrorReason() throws Exception {
        nodes = ClusterTestNode.cluster(2, ConfigFactory.parseString("""
                courier.mqtt.publish-ack-timeout = 1500ms
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                """));
        for (ClusterTestNode node : nodes) {
            ProtocolEngine engine = new ProtocolEngine(node.context.settings().engine(), new RandomClientIdAssigner());
            servers.add(MqttTcpServer.bind(node.kit.system(), node.context, node.fanout, engine, "127.0.0.1", 0)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        MqttTestClient subscriber = connect(0, "far-subscriber");
        subscriber.send(new Subscribe(1, List.of(new Subscription("far/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                MqttProperties.EMPTY));
        subscriber.expect(SubAck.class);
        b.await("node B knows node A's route", () -> b.context.clusterRoutes().knows(a.key, "Ffar/#"));

        // Connected first: B cannot place new sessions while the shard coordinator, on the
        // oldest node A, is gone and A is not yet downed.
        MqttTestClient publisher = connect(1, "near-publisher");

        a.kit.system().terminate(); // no leave: to B, node A crashed
        a.kit.system().getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);

        long start = System.nanoTime();
        publisher.send(new Publish("far/1", Qos.AT_LEAST_ONCE, false, false, 3, new byte[] {1}, MqttProperties.EMPTY));
        PubAck ack = publisher.expect(PubAck.class);
        assertEquals(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, ack.reasonCode());
        assertEquals(3, ack.packetId());
        long waitedMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(true, waitedMillis >= 1400, "answered after the timeout, not before: " + waitedMillis + " ms");
    }
}
