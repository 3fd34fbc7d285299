package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Persistent sessions spread over the nodes, each subscribed to a topic of its own (even ones
 * QoS 1, odd ones QoS 2) and then offline, and the messages acknowledged to their publisher:
 * the bookkeeping of the failover tests. {@link #assertEveryAcknowledgedMessageDelivered}
 * reconnects every session to a survivor and checks that each acknowledged message arrived, a
 * QoS 2 one exactly once [MQTT-4.3.3-2].
 */
final class Subscribers {

    private final String prefix;
    private final int count;
    private final Map<Integer, List<String>> acknowledged = new HashMap<>();
    private int attempts;

    private Subscribers(String prefix, int count) {
        this.prefix = prefix;
        this.count = count;
    }

    /** Creates {@code count} sessions, session i through {@code node(i)}, subscribed and then disconnected. */
    static Subscribers create(Clients clients, String prefix, int count, IntFunction<InetSocketAddress> node) {
        Subscribers subscribers = new Subscribers(prefix, count);
        for (int i = 0; i < count; i++) {
            Clients.Session s = clients.connect(subscribers.id(i), node.apply(i), true);
            s.client().subscribeWith().topicFilter(subscribers.topic(i)).qos(MqttQos.fromCode(qos(i))).send();
            s.client().disconnect();
        }
        return subscribers;
    }

    String id(int i) {
        return prefix + "-" + i;
    }

    String topic(int i) {
        return "cluster/" + prefix + "/" + i;
    }

    static int qos(int i) {
        return i % 2 == 0 ? 1 : 2;
    }

    int count() {
        return count;
    }

    /**
     * Publishes one message to session i's topic, a fresh payload per attempt, and records it
     * when the broker acknowledged it with success. Returns whether it did.
     */
    boolean publish(Clients.Publisher publisher, int i, String label) {
        String payload;
        synchronized (this) {
            payload = label + "#" + (attempts++);
        }
        boolean ok = publisher.publish(topic(i), payload, qos(i));
        if (ok) {
            synchronized (this) {
                acknowledged.computeIfAbsent(i, k -> new ArrayList<>()).add(topic(i) + " " + payload);
            }
        }
        return ok;
    }

    /**
     * Publishes to session i until acknowledged (at most {@code timeoutMillis}, 100 ms apart),
     * returning the time of the acknowledgement in nanoTime, or fails.
     */
    long publishUntilAcknowledged(Clients.Publisher publisher, int i, String label, long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        while (System.nanoTime() < deadline) {
            if (publish(publisher, i, label)) {
                return System.nanoTime();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no successful acknowledgement for " + topic(i) + " within " + timeoutMillis + " ms");
    }

    synchronized int acknowledgedCount() {
        return acknowledged.values().stream().mapToInt(List::size).sum();
    }

    /** Reconnects each session to {@code node(i)} and checks what it receives against what was acknowledged. */
    void assertEveryAcknowledgedMessageDelivered(Clients clients, IntFunction<InetSocketAddress> node) throws InterruptedException {
        for (int i = 0; i < count; i++) {
            Clients.Session s = clients.connect(id(i), node.apply(i), false);
            assertTrue(s.connAck().isSessionPresent(), id(i) + ": session lost");
            List<String> expected;
            synchronized (this) {
                expected = List.copyOf(acknowledged.getOrDefault(i, List.of()));
            }
            List<String> received = s.drain(5, expected.size() * 3 + 10);
            for (String message : expected) {
                long times = received.stream().filter(message::equals).count();
                if (qos(i) == 2) {
                    assertEquals(1, times, id(i) + " (QoS 2) received " + message + " " + times + " times; got " + received);
                } else {
                    assertTrue(times >= 1, id(i) + " (QoS 1) never received " + message + "; got " + received);
                }
            }
            s.client().disconnect();
        }
    }
}
