package io.courier.app.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Brings a node into its cluster. A single node joins itself. In a cluster, Pekko Management
 * starts first (Cluster Bootstrap's nodes find each other by probing each other's management
 * endpoint), then Cluster Bootstrap: once {@code required-contact-points} nodes are found and
 * the set stayed the same for {@code stable-margin}, the node with the lowest contact point forms
 * the cluster and the others join it; a node that finds a cluster already running joins that.
 * No node is special after formation: a restarted node simply joins whoever is Up.
 */
public final class ClusterFormation {

    private ClusterFormation() {
    }

    /** Starts Pekko Management; completes with the address it is bound to (the real port for 0). */
    public static CompletionStage<Uri> startManagement(ActorSystem<?> system) {
        return PekkoManagement.get(system).start();
    }

    /** Starts joining; the returned stage completes when this node's member is Up. */
    public static CompletionStage<Done> join(ActorSystem<?> system, ClusterSettings settings) {
        CompletionStage<Done> up = selfUp(system);
        Cluster cluster = Cluster.get(system);
        if (settings.enabled()) {
            ClusterBootstrap.get(system).start();
        } else {
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
        }
        return up;
    }

    /** Completes when this node's member is Up in the cluster. */
    private static CompletionStage<Done> selfUp(ActorSystem<?> system) {
        CompletableFuture<Done> up = new CompletableFuture<>();
        system.systemActorOf(Behaviors.<SelfUp>setup(ctx -> {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(ctx.getSelf(), SelfUp.class));
            return Behaviors.receiveMessage(m -> {
                up.complete(Done.getInstance());
                return Behaviors.stopped();
            });
        }), "self-up", Props.empty());
        return up;
    }
}
