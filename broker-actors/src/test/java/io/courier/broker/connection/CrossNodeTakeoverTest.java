package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.routing.ClusterTestNode;
import io.courier.protocol.engine.ProtocolEngine;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Two in-process nodes joined over Artery, each with a real MQTT listener on loopback: a client
 * connects to one node, then the same client id connects to the other. The session (sharded,
 * living on the first node) takes over across the network, the first connection gets its
 * DISCONNECT 0x8E, and messages published on either node reach the new connection.
 */
class CrossNodeTakeoverTest {

    private static List<ClusterTestNode> nodes;
    private static final List<MqttTcpServer> servers = new ArrayList<>();
    private final List<MqttTestClient> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        nodes = ClusterTestNode.cluster(2, ConfigFactory.parseString("courier.mqtt.publish-ack-timeout = 5s"));
        for (ClusterTestNode node : nodes) {
            ProtocolEngine engine = new ProtocolEngine(node.context.settings().engine(), new RandomClientIdAssigner());
            servers.add(MqttTcpServer.bind(node.kit.system(), node.context, node.fanout, engine, "127.0.0.1", 0)
                    .toCompletableFuture().get(10, TimeUnit.SECONDS));
        }
    }

    @AfterAll
    static void stopCluster() throws Exception {
        for (MqttTcpServer server : servers) {
            server.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        ClusterTestNode.stopAll(nodes);
    }

    private MqttTestClient client(int node) {
        MqttTestClient c = new MqttTestClient(servers.get(node).address(), MqttVersion.V5);
        clients.add(c);
        return c;
    }

    private static ConnAck connect(MqttTestClient c, String clientId, boolean cleanStart) {
        c.send(new Connect(MqttVersion.V5, clientId, cleanStart, 60, null, null, null,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600L).build()));
        return c.expect(ConnAck.class);
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] the same client id on another node takes the session over: the old connection "
            + "gets DISCONNECT 0x8E, the new one the session and the messages")
    void takeoverAcrossNodes() {
        MqttTestClient first = client(0);
        assertFalse(connect(first, "roamer", true).sessionPresent());
        first.send(new Subscribe(1, List.of(new Subscription("roam/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                MqttProperties.EMPTY));
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), first.expect(SubAck.class).reasonCodes());
        ClusterTestNode a = nodes.get(0);
        ClusterTestNode b = nodes.get(1);
        assertTrue(a.hostedSubscribers().contains("roamer"), "the session lives on the node it first connected to");
        b.await("node B knows node A's route", () -> b.context.clusterRoutes().knows(a.key, "Froam/#"));

        MqttTestClient second = client(1);
        assertTrue(connect(second, "roamer", false).sessionPresent(), "the session continues [MQTT-3.2.2-3]");
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, first.expect(Disconnect.class).reasonCode());
        first.expectClosed();

        // Published on node B: forwarded to node A, where the session stores it and sends it back
        // to the connection on node B. The publisher's PUBACK waits for that store.
        MqttTestClient publisher = client(1);
        connect(publisher, "roam-publisher", true);
        publisher.send(new Publish("roam/1", Qos.AT_LEAST_ONCE, false, false, 7, new byte[] {42}, MqttProperties.EMPTY));
        assertEquals(ReasonCode.SUCCESS, publisher.expect(PubAck.class).reasonCode());
        Publish delivered = second.expect(Publish.class);
        assertEquals("roam/1", delivered.topic());
        assertArrayEquals(new byte[] {42}, delivered.payload());
        second.send(new PubAck(delivered.packetId(), ReasonCode.SUCCESS, MqttProperties.EMPTY));
        clients.forEach(MqttTestClient::close);
    }
}
