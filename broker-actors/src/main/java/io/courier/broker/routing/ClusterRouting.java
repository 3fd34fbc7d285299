package io.courier.broker.routing;

import io.courier.broker.BrokerContext;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;

/**
 * Starts a node's part of cross-node routing: its {@link NodeRouter} (receives other nodes'
 * forwards) and its {@link RouteTable} (replicates {@link BrokerContext#localRoutes()} and fills
 * {@link BrokerContext#clusterRoutes()}). Until another node has subscribers, routing stays as
 * on a single node.
 */
public final class ClusterRouting {

    private ClusterRouting() {
    }

    /** Starts both actors as system actors; returns the node router. */
    public static ActorRef<NodeRouter.Command> start(ActorSystem<?> system, BrokerContext context, Fanout fanout) {
        ActorRef<NodeRouter.Command> router = system.systemActorOf(
                NodeRouter.create(fanout, context.settings().publishAckTimeout()), "courier-router", Props.empty());
        system.systemActorOf(RouteTable.create(context.localRoutes(), context.clusterRoutes(), router),
                "courier-route-table", Props.empty());
        return router;
    }
}
