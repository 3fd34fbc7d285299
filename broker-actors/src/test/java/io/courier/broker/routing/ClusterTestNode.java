package io.courier.broker.routing;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerContext;
import io.courier.broker.BrokerSettings;
import io.courier.broker.session.SessionCommand;
import io.courier.broker.session.SessionEntity;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.sharding.ShardCoordinator;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.testkit.PersistenceTestKitPlugin;
import org.apache.pekko.persistence.testkit.PersistenceTestKitSnapshotPlugin;
import scala.collection.immutable.IndexedSeq;
import scala.concurrent.Future;

/**
 * One broker node of an in-process cluster: its own actor system (Artery on a free loopback
 * port, system name {@code courier} so the nodes can join), its own in-memory journal, trie,
 * sharded session entities, node router and route table — what {@code BrokerNode} wires, minus
 * the listener and the retained store. Sessions are placed on the node that first sends them a
 * command ({@link RequesterAllocation}), so a test decides where each client's session lives.
 */
public final class ClusterTestNode implements AutoCloseable {

    private static final Duration WAIT = Duration.ofSeconds(20);

    public final ActorTestKit kit;
    public final BrokerContext context;
    public final Fanout fanout;
    public final ActorRef<NodeRouter.Command> router;
    /** This node's key in the route table (its router's address). */
    public final String key;

    private ClusterTestNode(Config overrides) {
        Config config = overrides.withFallback(ConfigFactory.parseString("""
                        pekko.actor.provider = cluster
                        pekko.remote.artery.canonical.hostname = 127.0.0.1
                        pekko.remote.artery.canonical.port = 0
                        pekko.cluster.jmx.multi-mbeans-in-same-jvm = on
                        pekko.cluster.sharding.passivation.strategy = none
                        pekko.loggers = ["org.apache.pekko.event.slf4j.Slf4jLogger"]
                        pekko.logging-filter = "org.apache.pekko.event.slf4j.Slf4jLoggingFilter"
                        pekko.loglevel = WARNING
                        pekko.coordinated-shutdown.terminate-actor-system = on
                        pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                        """))
                .withFallback(PersistenceTestKitPlugin.getInstance().config())
                .withFallback(PersistenceTestKitSnapshotPlugin.config())
                .withFallback(ConfigFactory.load());
        kit = ActorTestKit.create("courier", config);
        ActorSystem<Void> system = kit.system();
        BrokerSettings settings = BrokerSettings.fromConfig(config);
        ClusterSharding sharding = ClusterSharding.get(system);
        context = new BrokerContext(settings, new SubscriptionTrie<>(), new RetainedIndex<Message>(),
                clientId -> sharding.entityRefFor(SessionEntity.TYPE_KEY, clientId),
                kit.createTestProbe(RetainedStore.Command.class).ref());
        fanout = new Fanout(context);
        sharding.init(Entity.of(SessionEntity.TYPE_KEY, e -> SessionEntity.create(e.getEntityId(), context, fanout))
                .withStopMessage(new SessionCommand.HandOff())
                .withAllocationStrategy(new RequesterAllocation()));
        router = ClusterRouting.start(system, context, fanout);
        key = ActorRefResolver.get(system).toSerializationFormat(router);
    }

    /** Starts {@code n} nodes and joins them into one cluster; returns once all are Up everywhere. */
    public static List<ClusterTestNode> cluster(int n, Config overrides) {
        List<ClusterTestNode> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(new ClusterTestNode(overrides));
        }
        var first = Cluster.get(nodes.get(0).kit.system()).selfMember().address();
        for (ClusterTestNode node : nodes) {
            Cluster.get(node.kit.system()).manager().tell(Join.create(first));
        }
        for (ClusterTestNode node : nodes) {
            node.await("all " + n + " nodes Up", () -> upMembers(node) == n);
        }
        return nodes;
    }

    private static int upMembers(ClusterTestNode node) {
        int up = 0;
        for (var m : Cluster.get(node.kit.system()).state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    /** Sends {@code command} to the session of {@code clientId} through this node's sharding. */
    public void tell(String clientId, SessionCommand command) {
        context.sessions().session(clientId).tell(command);
    }

    /** The client ids whose subscriptions are in this node's trie. */
    public Set<String> hostedSubscribers() {
        Set<String> out = ConcurrentHashMap.newKeySet();
        context.subscriptions().forEach(s -> out.add(s.key()));
        return out;
    }

    /** Waits (bounded by {@link #WAIT}) until {@code condition} holds. */
    public void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out after " + WAIT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    @Override
    public void close() {
        stopAll(List.of(this));
    }

    /**
     * Terminates the nodes' systems together (one by one, each would wait for the others to
     * notice it leaving) and waits until all are down.
     */
    public static void stopAll(List<ClusterTestNode> nodes) {
        nodes.forEach(n -> n.kit.system().terminate());
        for (ClusterTestNode n : nodes) {
            try {
                n.kit.system().getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new AssertionError("node did not stop: " + n.key, e);
            }
        }
    }

    /**
     * Gives a shard to the region that first asks for it (the node the first command for one
     * of its entities was sent from) and never rebalances: tests place sessions on purpose.
     */
    static final class RequesterAllocation extends ShardCoordinator.AbstractShardAllocationStrategy {
        @Override
        public Future<org.apache.pekko.actor.ActorRef> allocateShard(org.apache.pekko.actor.ActorRef requester, String shardId,
                java.util.Map<org.apache.pekko.actor.ActorRef, IndexedSeq<String>> current) {
            // A region that is shutting down is not among the candidates: then any other will do.
            return Futures.successful(current.containsKey(requester) || current.isEmpty()
                    ? requester : current.keySet().iterator().next());
        }

        @Override
        public Future<java.util.Set<String>> rebalance(
                java.util.Map<org.apache.pekko.actor.ActorRef, IndexedSeq<String>> current, java.util.Set<String> inProgress) {
            return Futures.successful(java.util.Set.of());
        }
    }
}
