package io.courier.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerSettings;
import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.topic.TopicFilter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardRegion;
import org.apache.pekko.cluster.sharding.typed.GetShardRegionState;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The cluster-wide retained store on three actor systems in one JVM, joined on Artery (port 0,
 * loopback), sharing one journal ({@link SharedMemoryJournal}, standing in for Cassandra so a
 * node can be lost). Bounds: 12 messages in 4 partitions, so 3 per partition. The tests run in
 * order on one cluster; the last one loses a node.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetainedClusterTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    /** One broker node's retained part. */
    private record Node(String name, ActorTestKit kit, RetainedIndex<Message> index, ClusterRetainedStore store) {
        Cluster cluster() {
            return Cluster.get(kit.system());
        }
    }

    private static final List<Node> NODES = new ArrayList<>();
    private static RetainedSettings settings;
    private static long correlation;

    private static Config config() {
        return ConfigFactory.parseString("""
                pekko.actor.provider = cluster
                pekko.remote.artery.canonical.hostname = 127.0.0.1
                pekko.remote.artery.canonical.port = 0
                pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                pekko.cluster.sharding.passivation.strategy = none
                # A lost node is lost: no leaving when its system stops.
                pekko.coordinated-shutdown.run-by-actor-system-terminate = off
                pekko.coordinated-shutdown.terminate-actor-system = off
                courier.retained.max-messages = 12
                courier.retained.partitions = 4
                courier.retained.replica-sync-interval = 1s
                """ + SharedMemoryJournal.CONFIG)
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load());
    }

    private static Node node(String name) {
        Config config = config();
        ActorTestKit kit = ActorTestKit.create("courier", config);
        RetainedIndex<Message> index = new RetainedIndex<>();
        settings = RetainedSettings.fromConfig(BrokerSettings.fromConfig(config), config);
        return new Node(name, kit, index, ClusterRetainedStore.start(kit.system(), settings, index));
    }

    /** Joins the node to the first one's cluster and waits until it is Up and its replica is complete. */
    private static Node join(Node node) throws Exception {
        node.cluster().manager().tell(Join.create(NODES.isEmpty()
                ? node.cluster().selfMember().address() : NODES.get(0).cluster().selfMember().address()));
        node.kit().createTestProbe().awaitAssert(WAIT, () -> {
            assertEquals(MemberStatus.up(), node.cluster().selfMember().status());
            return null;
        });
        node.store().ready(WAIT).toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        NODES.add(node);
        return node;
    }

    @BeforeAll
    static void formCluster() throws Exception {
        SharedMemoryJournal.clear();
        // All three are members before the first partition starts, so sharding spreads them.
        List<Node> nodes = List.of(node("a"), node("b"), node("c"));
        Node first = nodes.get(0);
        for (Node n : nodes) {
            n.cluster().manager().tell(Join.create(first.cluster().selfMember().address()));
        }
        for (Node n : nodes) {
            join(n);
        }
    }

    @AfterAll
    static void shutdown() {
        NODES.forEach(n -> n.kit().shutdownTestKit());
        SharedMemoryJournal.clear();
    }

    private static Message message(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.EMPTY, "publisher", Message.NEVER);
    }

    private static boolean retain(Node via, Message m) {
        return retain(via, m, WAIT);
    }

    private static boolean retain(Node via, Message m, Duration wait) {
        TestProbe<RetainedStore.Retained> reply = via.kit().createTestProbe();
        long id = ++correlation;
        via.store().store().tell(new RetainedStore.Retain(m, reply.ref(), id));
        RetainedStore.Retained answer = reply.receiveMessage(wait);
        assertEquals(id, answer.correlationId());
        return answer.accepted();
    }

    /** What a wildcard subscribe on this node would be sent: the replica's matches, by topic. */
    private static Map<String, String> matching(Node node, String filter) {
        Map<String, String> found = new HashMap<>();
        node.index().forEachMatching(new TopicFilter(filter),
                (topic, m) -> found.put(topic.value(), new String(m.payload(), StandardCharsets.UTF_8)));
        return found;
    }

    private static void eventually(Node node, Runnable assertion) {
        node.kit().createTestProbe().awaitAssert(WAIT, Duration.ofMillis(50), () -> {
            assertion.run();
            return null;
        });
    }

    private static Node node(int i) {
        return NODES.get(i);
    }

    @Test
    @Order(1)
    @DisplayName("the bounds hold cluster-wide: whichever node a retained message comes through, each partition takes its share and no more")
    void boundsHoldClusterWide() {
        int[] perPartition = new int[settings.partitions()];
        int accepted = 0;
        int expected = 0;
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            String topic = "limit/" + i;
            int p = settings.partitionOf(topic);
            boolean fits = perPartition[p] < settings.messageShare(p);
            if (fits) {
                perPartition[p]++;
                expected++;
            }
            boolean ok = retain(node(i % 3), message(topic, "v" + i));
            assertEquals(fits, ok, () -> topic + " in partition " + p);
            if (ok) {
                accepted++;
                kept.add(topic);
            }
        }
        assertEquals(expected, accepted);
        assertTrue(accepted <= 12);
        for (Node n : NODES) {
            eventually(n, () -> assertEquals(kept.size(), matching(n, "limit/#").size(), n.name()));
        }
        // Clearing through any node frees the room everywhere.
        for (int i = 0; i < kept.size(); i++) {
            assertTrue(retain(node(i % 3), message(kept.get(i), "")));
        }
        for (Node n : NODES) {
            eventually(n, () -> assertEquals(Map.of(), matching(n, "limit/#"), n.name()));
        }
    }

    @Test
    @Order(2)
    @DisplayName("[MQTT-3.3.1-6] a retained message set through node A is there for a wildcard subscribe on node C")
    void setOnASeenOnC() {
        assertTrue(retain(node(0), message("sensors/1/temp", "21.5")));
        eventually(node(2), () -> assertEquals(Map.of("sensors/1/temp", "21.5"), matching(node(2), "sensors/+/temp")));
        eventually(node(2), () -> assertEquals(Map.of("sensors/1/temp", "21.5"), matching(node(2), "#")));
    }

    @Test
    @Order(3)
    @DisplayName("[MQTT-3.3.1-10] an empty retained payload through node B clears the topic on every node")
    void clearOnBClearsEverywhere() {
        assertTrue(retain(node(0), message("lights/kitchen", "on")));
        for (Node n : NODES) {
            eventually(n, () -> assertEquals(Map.of("lights/kitchen", "on"), matching(n, "lights/#"), n.name()));
        }
        assertTrue(retain(node(1), message("lights/kitchen", "")));
        for (Node n : NODES) {
            eventually(n, () -> assertEquals(Map.of(), matching(n, "lights/#"), n.name()));
        }
    }

    @Test
    @Order(4)
    @DisplayName("the node that hosts partitions is lost: the survivors keep every message, the partitions recover elsewhere, a new node fills its replica")
    void nodeLoss() throws Exception {
        Map<String, String> durable = new HashMap<>();
        for (int p = 0; p < settings.partitions(); p++) {
            String topic = topicOf(p, "durable");
            durable.put(topic, "p" + p);
            assertTrue(retain(node(2), message(topic, "p" + p)));
        }
        for (Node n : NODES) {
            eventually(n, () -> assertEquals(durable, matching(n, "durable/#"), n.name()));
        }
        // The node that hosts the most partitions (sharding placed them; often all on the first).
        Node victim = NODES.stream().max(java.util.Comparator.comparingInt(RetainedClusterTest::hostingPartitions)).orElseThrow();
        assertTrue(hostingPartitions(victim) > 0, "the lost node hosts a partition");

        var address = victim.cluster().selfMember().address();
        victim.kit().system().terminate(); // no leave, no hand-off: lost
        victim.kit().system().getWhenTerminated().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
        NODES.remove(victim);
        Node survivor = node(0);
        survivor.cluster().manager().tell(new Down(address));

        for (Node n : NODES) {
            assertEquals(durable, matching(n, "durable/#"), "the replica of " + n.name() + " kept everything");
        }
        // Every partition answers again (those of the lost node by replay elsewhere, once the
        // cluster has removed it and sharding has moved the coordinator and the shards). What is
        // sent to the lost node before that is lost with it, so, like a publisher waiting for its
        // acknowledgement, ask again.
        for (int p = 0; p < settings.partitions(); p++) {
            Message after = message(topicOf(p, "after"), "after");
            survivor.kit().createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(100), () -> {
                assertTrue(retain(survivor, after, Duration.ofSeconds(2)));
                return null;
            });
        }
        // ... and a new node copies them all: what the lost node's partitions held was recovered.
        Node late = join(node("d"));
        assertEquals(durable, matching(late, "durable/#"));
        eventually(late, () -> assertEquals(settings.partitions(), matching(late, "after/#").size()));
        assertFalse(matching(late, "sensors/#").isEmpty(), "the message set before the loss is there too");
    }

    private static String topicOf(int p, String prefix) {
        for (int i = 0; i < 1000; i++) {
            String topic = prefix + "/" + i;
            if (settings.partitionOf(topic) == p) {
                return topic;
            }
        }
        throw new IllegalStateException("no topic of partition " + p);
    }

    /** How many retained partitions the node's shard region hosts. */
    private static int hostingPartitions(Node node) {
        TestProbe<ShardRegion.CurrentShardRegionState> state = node.kit().createTestProbe();
        ClusterSharding.get(node.kit().system()).shardState()
                .tell(new GetShardRegionState(RetainedPartition.TYPE_KEY, state.ref()));
        return state.receiveMessage(WAIT).getShards().stream().mapToInt(s -> s.getEntityIds().size()).sum();
    }
}
