package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A client may connect to any node: reconnecting to another node continues its session
 * (subscriptions, queued messages) and the old connection is closed with DISCONNECT 0x8E
 * Session taken over [MQTT-3.1.4-3]. Also measures takeover latency (docs/benchmarks.md).
 */
class SessionTakeoverIT {

    private static final int TAKEOVER_ROUNDS = 200;
    private static final int MESSAGES = 500;
    private static final int WARM_UP = 200;

    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();

    @Test
    void reconnectingToAnotherNodeKeepsSubscriptionsAndQueuedMessagesAndClosesTheOldConnectionWith0x8E() throws Exception {
        List<BrokerProcess> nodes = cluster.start(3);
        String topic = "cluster/takeover/a";
        try (Clients clients = new Clients()) {
            Clients.Session first = clients.connect("takeover-a", nodes.get(0).mqtt(), true);
            first.client().subscribeWith().topicFilter(topic).qos(MqttQos.EXACTLY_ONCE).send();
            Mqtt5BlockingClient publisher = clients.publisher("takeover-pub", nodes.get(2).mqtt());
            assertTrue(Clients.publishAcknowledged(publisher, topic, "before", 1), "publish to a subscribed session not acknowledged");
            assertEquals(List.of(topic + " before"), first.drain(5, 1));

            Clients.Session second = clients.connect("takeover-a", nodes.get(1).mqtt(), false);
            assertTrue(second.connAck().isSessionPresent(), "session present after reconnecting to another node");
            assertEquals(Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER, first.serverDisconnect().get(10, TimeUnit.SECONDS),
                    "the old connection's DISCONNECT reason");

            assertTrue(Clients.publishAcknowledged(publisher, topic, "after", 2));
            assertEquals(List.of(topic + " after"), second.drain(5, 1), "the subscription moved with the session");

            second.client().disconnect();
            // Queued by a Paho 5.0 publisher on node 1: its blocking publish returns once the
            // QoS 1 / QoS 2 flow completed, and throws on an error reason code.
            MqttClient paho = new MqttClient("tcp://127.0.0.1:" + nodes.get(0).mqtt().getPort(), "takeover-paho",
                    new MemoryPersistence());
            try {
                MqttConnectionOptions options = new MqttConnectionOptions();
                options.setConnectionTimeout(10);
                paho.connect(options);
                paho.publish(topic, "queued-1".getBytes(StandardCharsets.UTF_8), 1, false);
                paho.publish(topic, "queued-2".getBytes(StandardCharsets.UTF_8), 2, false);
                paho.disconnect();
            } finally {
                paho.close();
            }
            Clients.Session third = clients.connect("takeover-a", nodes.get(2).mqtt(), false);
            assertTrue(third.connAck().isSessionPresent());
            assertEquals(List.of(topic + " queued-1", topic + " queued-2"), third.drain(5, 3),
                    "messages queued while offline, once each and in order");
        }
    }

    /**
     * Measurements for docs/benchmarks.md, on one cluster. Reported, not asserted (a 2-core
     * machine shared with other builds makes timings noisy); every message and every session must
     * still be there.
     *
     * <p>Takeover latency: a client with a persistent session reconnects to the next node in turn
     * while its previous connection is still open; measured from sending CONNECT to CONNACK with
     * session present.
     *
     * <p>Cross-node hop: one subscriber connected to node 1, the same QoS 1 stream published from
     * a publisher on each node in turn, publish-to-receive time measured in this JVM. Where the
     * subscriber's session entity lives is sharding's choice (by client id), so the path is
     * publisher's node -> session's node -> node 1; the fastest publisher node is the session's.
     */
    @Test
    void takeoverAndCrossNodeLatency() throws Exception {
        List<BrokerProcess> nodes = cluster.start(3);
        measureTakeover(nodes);
        measureHops(nodes);
    }

    private void measureTakeover(List<BrokerProcess> nodes) throws Exception {
        long[] micros = new long[TAKEOVER_ROUNDS];
        try (Clients clients = new Clients()) {
            Clients.Session previous = clients.connect("takeover-latency", nodes.get(0).mqtt(), true);
            previous.client().subscribeWith().topicFilter("cluster/latency").qos(MqttQos.AT_LEAST_ONCE).send();
            // Warm-up: the first rounds load classes and JIT-compile on every node.
            for (int i = 0; i < 30; i++) {
                previous = clients.connect("takeover-latency", nodes.get((i + 1) % 3).mqtt(), false);
            }
            for (int i = 0; i < TAKEOVER_ROUNDS; i++) {
                long start = System.nanoTime();
                Clients.Session next = clients.connect("takeover-latency", nodes.get((i + 1) % 3).mqtt(), false);
                micros[i] = (System.nanoTime() - start) / 1000;
                assertTrue(next.connAck().isSessionPresent(), "round " + i + ": session not present");
                previous = next;
            }
            assertFalse(previous.serverDisconnect().isDone(), "the last connection was closed");
        }
        Measurements.record("takeover", micros);
    }

    private void measureHops(List<BrokerProcess> nodes) throws Exception {
        try (Clients clients = new Clients()) {
            Clients.Session subscriber = clients.connect("latency-sub", nodes.get(0).mqtt(), true);
            subscriber.client().subscribeWith().topicFilter("cluster/latency/+").qos(MqttQos.AT_LEAST_ONCE).send();
            for (int n = 0; n < nodes.size(); n++) {
                Mqtt5BlockingClient publisher = clients.publisher("latency-pub-" + n, nodes.get(n).mqtt());
                String topic = "cluster/latency/" + n;
                long[] micros = new long[MESSAGES];
                for (int i = -WARM_UP; i < MESSAGES; i++) {
                    long sent = System.nanoTime();
                    publisher.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                            .payload(ByteBuffer.allocate(8).putLong(0, sent)).send();
                    long received = receive(subscriber, topic, sent);
                    if (i >= 0) {
                        micros[i] = (received - sent) / 1000;
                    }
                }
                Measurements.record("publish -> receive, publisher on node" + (n + 1) + ", subscriber on node1", micros);
                publisher.disconnect();
            }
        }
    }

    /** Waits (bounded) for the message stamped {@code sent} on {@code topic}; returns when it arrived. */
    private static long receive(Clients.Session subscriber, String topic, long sent) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Optional<Mqtt5Publish> p = subscriber.inbox().receive(1, TimeUnit.SECONDS);
            if (p.isPresent() && p.get().getTopic().toString().equals(topic)
                    && ByteBuffer.wrap(p.get().getPayloadAsBytes()).getLong() == sent) {
                return System.nanoTime();
            }
        }
        throw new AssertionError("message stamped " + sent + " on " + topic + " did not arrive within 10 s");
    }
}
