package io.courier.broker.routing;

import io.courier.broker.retained.RetainedPartition;
import io.courier.broker.retained.RetainedReplica;
import io.courier.broker.retained.RetainedSettings;
import io.courier.protocol.message.Message;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * This node's door to the cluster-wide retained store: it sends each retained PUBLISH to the
 * partition that owns its topic (a sharded entity, maybe on another node), whose answer comes
 * back through this node's replica, so the replica holds the change before the publisher's
 * connection acknowledges it; and it answers {@link Stats} from the node's replica. The
 * store itself is {@link RetainedPartition} and {@link RetainedReplica}; docs/architecture.md
 * explains the design.
 */
public final class RetainedStore {

    /** Commands. */
    public sealed interface Command {
    }

    /**
     * Store (or, with an empty payload, delete [MQTT-3.3.1-10]) the retained message for its
     * topic; answers {@link Retained} once durable.
     */
    public record Retain(Message message, ActorRef<Retained> replyTo, long correlationId) implements Command {
    }

    /** Answer to {@link Retain}: {@code accepted} false when the store is full (5.0: 0x97). */
    public record Retained(long correlationId, boolean accepted) {
    }

    /**
     * Asks for the store's figures; answered with {@link StatsReply} once this node's replica
     * holds every partition (so a node waits for it before it accepts clients).
     */
    public record Stats(ActorRef<StatsReply> replyTo) implements Command {
    }

    /**
     * The store's figures as this node's replica sees them: {@code refused} counts retained
     * messages the partitions refused for their bounds since each last started (a metric, not
     * persisted).
     */
    public record StatsReply(int messages, long bytes, long refused) {
    }

    private RetainedStore() {
    }

    /**
     * @param partitions the address of partition {@code p}
     * @param replica    this node's replica
     */
    public static Behavior<Command> create(RetainedSettings settings,
                                           IntFunction<RecipientRef<RetainedPartition.Command>> partitions,
                                           ActorRef<RetainedReplica.Command> replica) {
        return Behaviors.receive(Command.class)
                .onMessage(Retain.class, r -> {
                    partitions.apply(settings.partitionOf(r.message().topic()))
                            .tell(new RetainedPartition.Retain(r.message(), r.replyTo(), r.correlationId(), replica));
                    return Behaviors.same();
                })
                .onMessage(Stats.class, s -> {
                    replica.tell(new RetainedReplica.AwaitFilled(s.replyTo()));
                    return Behaviors.same();
                })
                .build();
    }
}
