package io.courier.cluster;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The latency a node boundary adds: one subscriber connected to node 1, the same QoS 1 publish
 * stream sent from a publisher on each node in turn, publish-to-receive time measured in this
 * JVM (the payload carries the send time). Every message must arrive; the figures are reported
 * for docs/benchmarks.md, not asserted.
 *
 * <p>Where the subscriber's session entity lives is sharding's choice (by client id), so the
 * path is publisher's node -> session's node -> node 1; the test logs which publisher node was
 * fastest, which is the session's node or node 1.
 */
class CrossNodeLatencyIT {

    private static final int MESSAGES = 500;
    private static final int WARM_UP = 200;

    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();

    @Test
    void publishToReceiveLatencyFromEachNode() throws Exception {
        List<BrokerProcess> nodes = cluster.start(3);
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
