package io.courier.broker.routing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.ddata.ORMultiMap;
import org.apache.pekko.cluster.ddata.Key;
import org.apache.pekko.cluster.ddata.ORMultiMapKey;
import org.apache.pekko.cluster.ddata.SelfUniqueAddress;
import org.apache.pekko.cluster.ddata.typed.javadsl.DistributedData;
import org.apache.pekko.cluster.ddata.typed.javadsl.Replicator;
import org.apache.pekko.cluster.ddata.typed.javadsl.ReplicatorMessageAdapter;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * The cluster route table (ARCHITECTURE.md section 3): which nodes have subscribers on which
 * filters, in Pekko Distributed Data as one {@link ORMultiMap} from node to its
 * {@link RouteEntry entries}. The node's key is its {@link NodeRouter}'s address, so an entry
 * says both who is interested and where to forward.
 *
 * <p>Each node writes only its own key, from {@link LocalRoutes}; changes are batched while a
 * write is in flight and written to all nodes at once ({@code WriteAll}: a new subscription is
 * known everywhere without waiting for gossip; a node that does not answer in time gets it by
 * gossip). Every node applies the others' keys to its {@link ClusterRoutes}, removals first (a
 * member going on- or offline is one entry replaced by another). A node that is removed from
 * the cluster (left, or downed by the split brain resolver) disappears from the routes at once,
 * and its key is deleted from the map; keys of nodes that are not members are ignored.
 *
 * <p>Lag: a subscription made on node B is seen by node A after the write reaches A and A's
 * replicator notifies (its {@code notify-subscribers-interval}); a message A routes before that
 * does not reach the new subscriber, as with any broker whose route table is replicated
 * asynchronously (docs/architecture.md).
 */
public final class RouteTable {

    /** The replicated map's key. */
    public static final Key<ORMultiMap<String, String>> KEY = ORMultiMapKey.create("courier-routes");

    /** Longest a write waits for every node before it is left to gossip. */
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    /** What the route table actor receives; local only. */
    public sealed interface Command {
    }

    private record LocalChange(List<String> added, List<String> removed) implements Command {
    }

    private record RemoteChange(Replicator.SubscribeResponse<ORMultiMap<String, String>> response) implements Command {
    }

    private record Written(Replicator.UpdateResponse<ORMultiMap<String, String>> response) implements Command {
    }

    private record MembershipChanged(ClusterEvent.MemberEvent event) implements Command {
    }

    private RouteTable() {
    }

    /**
     * The route table of this node, whose router is {@code router}: publishes {@code local},
     * fills {@code routes}.
     */
    public static Behavior<Command> create(LocalRoutes local, ClusterRoutes routes, ActorRef<NodeRouter.Command> router) {
        return Behaviors.setup(ctx -> DistributedData.withReplicatorMessageAdapter(
                (ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator) ->
                        new Table(ctx, replicator, local, routes, router).behavior()));
    }

    private static final class Table {
        private final ActorContext<Command> ctx;
        private final ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator;
        private final ClusterRoutes routes;
        private final ActorRefResolver resolver;
        private final SelfUniqueAddress self;
        private final String selfKey;
        /** Changes not yet written, in order: true = add. */
        private final List<Map.Entry<String, Boolean>> pending = new ArrayList<>();
        private boolean writing;
        /** The other nodes' entries as applied to {@link #routes}. */
        private final Map<String, Set<String>> applied = new HashMap<>();
        private final Map<String, Address> addresses = new HashMap<>();
        /** The replicated map as last seen. */
        private Map<String, Set<String>> latest = Map.of();

        Table(ActorContext<Command> ctx, ReplicatorMessageAdapter<Command, ORMultiMap<String, String>> replicator,
              LocalRoutes local, ClusterRoutes routes, ActorRef<NodeRouter.Command> router) {
            this.ctx = ctx;
            this.replicator = replicator;
            this.routes = routes;
            this.resolver = ActorRefResolver.get(ctx.getSystem());
            this.self = DistributedData.get(ctx.getSystem()).selfUniqueAddress();
            this.selfKey = resolver.toSerializationFormat(router);
            replicator.subscribe(KEY, RemoteChange::new);
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(ClusterEvent.MemberEvent.class, MembershipChanged::new), ClusterEvent.MemberEvent.class));
            ActorRef<Command> me = ctx.getSelf();
            local.attach((added, gone) -> me.tell(new LocalChange(added, gone)));
        }

        Behavior<Command> behavior() {
            return Behaviors.receive(Command.class)
                    .onMessage(LocalChange.class, this::onLocalChange)
                    .onMessage(Written.class, w -> {
                        writing = false; // a timeout still wrote locally; gossip carries it on
                        flush();
                        return Behaviors.same();
                    })
                    .onMessage(RemoteChange.class, this::onRemoteChange)
                    .onMessage(MembershipChanged.class, m -> {
                        if (m.event() instanceof ClusterEvent.MemberRemoved r) {
                            onNodeRemoved(r);
                        } else {
                            applyAll(); // a node that just became a member may have entries already
                        }
                        return Behaviors.same();
                    })
                    .build();
        }

        private Behavior<Command> onLocalChange(LocalChange c) {
            for (String e : c.removed()) {
                pending.add(Map.entry(e, false));
            }
            for (String e : c.added()) {
                pending.add(Map.entry(e, true));
            }
            flush();
            return Behaviors.same();
        }

        /** Writes what is pending, unless a write is in flight (its answer flushes again). */
        private void flush() {
            if (writing || pending.isEmpty()) {
                return;
            }
            List<Map.Entry<String, Boolean>> batch = new ArrayList<>(pending);
            pending.clear();
            writing = true;
            replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORMultiMap.emptyWithValueDeltas(),
                    new Replicator.WriteAll(WRITE_TIMEOUT), replyTo, map -> {
                        ORMultiMap<String, String> next = map;
                        for (Map.Entry<String, Boolean> change : batch) {
                            next = change.getValue() ? next.addBindingBy(selfKey, change.getKey(), self)
                                    : next.removeBindingBy(selfKey, change.getKey(), self);
                        }
                        return next;
                    }), Written::new);
        }

        private Behavior<Command> onRemoteChange(RemoteChange c) {
            if (c.response() instanceof Replicator.Changed<ORMultiMap<String, String>> changed) {
                latest = changed.get(KEY).getEntries();
                applyAll();
            }
            return Behaviors.same();
        }

        /** Applies the latest replicated map, as far as its nodes are members. */
        private void applyAll() {
            Map<String, Set<String>> now = new HashMap<>(latest);
            now.remove(selfKey);
            now.keySet().removeIf(node -> !isMember(address(node)));
            for (String node : new ArrayList<>(applied.keySet())) {
                if (!now.containsKey(node)) {
                    apply(node, Set.of());
                }
            }
            now.forEach(this::apply);
        }

        /** Brings {@code node}'s entries in {@link #routes} to {@code entries}: removals first. */
        private void apply(String node, Set<String> entries) {
            Set<String> before = applied.getOrDefault(node, Set.of());
            if (!applied.containsKey(node) && !entries.isEmpty()) {
                routes.addNode(node, resolver.resolveActorRef(node));
            }
            for (String e : before) {
                if (!entries.contains(e)) {
                    routes.remove(node, RouteEntry.decode(e));
                }
            }
            for (String e : entries) {
                if (!before.contains(e)) {
                    routes.add(node, RouteEntry.decode(e));
                }
            }
            if (entries.isEmpty()) {
                applied.remove(node);
                routes.removeNode(node);
            } else {
                applied.put(node, new HashSet<>(entries));
            }
        }

        private void onNodeRemoved(ClusterEvent.MemberRemoved r) {
            Address gone = r.member().address();
            for (String node : new ArrayList<>(applied.keySet())) {
                if (address(node).equals(gone)) {
                    apply(node, Set.of());
                    // Any node may delete a departed node's key; it will never write again.
                    replicator.askUpdate(replyTo -> new Replicator.Update<>(KEY, ORMultiMap.emptyWithValueDeltas(),
                            Replicator.writeLocal(), replyTo, map -> map.remove(node, self)), Written::new);
                }
            }
            ctx.getLog().info("node left the cluster route table (address={})", gone);
        }

        /** Whether a node at {@code address} is in the cluster now (not removed, not down). */
        private boolean isMember(Address address) {
            for (Member m : Cluster.get(ctx.getSystem()).state().getMembers()) {
                if (m.address().equals(address)) {
                    return m.status() != MemberStatus.down() && m.status() != MemberStatus.removed();
                }
            }
            return false;
        }

        private Address address(String node) {
            return addresses.computeIfAbsent(node, n -> resolver.resolveActorRef(n).path().address());
        }
    }
}
