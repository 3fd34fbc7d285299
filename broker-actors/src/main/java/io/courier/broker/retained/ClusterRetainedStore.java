package io.courier.broker.retained;

import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding;
import org.apache.pekko.cluster.sharding.typed.javadsl.Entity;

/**
 * Starts this node's part of the cluster-wide retained store: the sharded partitions (and the
 * legacy store they migrate from), the publish-subscribe topic their changes travel on, this
 * node's replica, and the node's door ({@link RetainedStore}) that connections and sessions
 * talk to.
 */
public final class ClusterRetainedStore {

    /** The name of the topic every partition publishes its changes on. */
    static final String CHANGES_TOPIC = "courier-retained-changes";

    private final ActorSystem<?> system;
    private final ActorRef<RetainedStore.Command> store;
    private final RecipientRef<LegacyRetainedStore.Command> legacy;

    private ClusterRetainedStore(ActorSystem<?> system, ActorRef<RetainedStore.Command> store,
                                 RecipientRef<LegacyRetainedStore.Command> legacy) {
        this.system = system;
        this.store = store;
        this.legacy = legacy;
    }

    /**
     * Starts it on this node, writing into {@code index}; the node then joins the cluster, and
     * {@link #ready} tells when the replica is complete.
     */
    public static ClusterRetainedStore start(ActorSystem<?> system, RetainedSettings settings, RetainedIndex<Message> index) {
        ClusterSharding sharding = ClusterSharding.get(system);
        ActorRef<Topic.Command<RetainedReplica.Changed>> changes = system.systemActorOf(
                Topic.create(RetainedReplica.Changed.class, CHANGES_TOPIC), "retained-changes", Props.empty());
        sharding.init(Entity.of(RetainedPartition.TYPE_KEY, entity -> RetainedPartition.create(
                Integer.parseInt(entity.getEntityId()), settings, c -> changes.tell(Topic.publish(c)))));
        IntFunction<RecipientRef<RetainedPartition.Command>> partitions =
                p -> sharding.entityRefFor(RetainedPartition.TYPE_KEY, Integer.toString(p));

        ActorRef<RetainedReplica.Command> replica = system.systemActorOf(
                RetainedReplica.create(index, settings, partitions), "retained-replica", Props.empty());
        changes.tell(Topic.subscribe(replica.narrow()));

        sharding.init(Entity.of(LegacyRetainedStore.TYPE_KEY, entity -> LegacyRetainedStore.create(settings, partitions)));
        ActorRef<RetainedStore.Command> store = system.systemActorOf(
                RetainedStore.create(settings, partitions, replica), "retained-store", Props.empty());
        return new ClusterRetainedStore(system, store,
                sharding.entityRefFor(LegacyRetainedStore.TYPE_KEY, LegacyRetainedStore.PERSISTENCE_ID));
    }

    /** Where retained PUBLISHes go ({@code BrokerContext.retainedStore}). */
    public ActorRef<RetainedStore.Command> store() {
        return store;
    }

    /**
     * Completes once the single-node store of earlier versions (if any) is migrated and this
     * node's replica holds every partition; needs the node to be in the cluster.
     */
    public CompletionStage<RetainedStore.StatsReply> ready(Duration timeout) {
        return AskPattern.<LegacyRetainedStore.Command, LegacyRetainedStore.Done>ask(
                        legacy, LegacyRetainedStore.Migrate::new, timeout, system.scheduler())
                .thenCompose(migrated -> AskPattern.ask(store, RetainedStore.Stats::new, timeout, system.scheduler()));
    }
}
