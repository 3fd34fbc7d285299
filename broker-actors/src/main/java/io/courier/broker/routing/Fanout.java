package io.courier.broker.routing;

import io.courier.broker.BrokerContext;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.index.GroupMembers;
import io.courier.protocol.index.MatchSink;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Routes one message from its publisher to every session with a matching subscription. Called
 * on the publishing connection's actor (or a session publishing a will): this node's trie is
 * read without locks and each receiving session here gets one {@link SessionCommand.Enqueue};
 * when the cluster route table ({@link ClusterRoutes}) shows other nodes with matching
 * subscribers, each of them gets one {@link NodeRouter.Forward}, whose router runs the local
 * part there ({@link #routeForwarded}).
 *
 * <p>Rules applied here, per receiving client:
 * <ul>
 * <li>Overlapping subscriptions give one delivery with the highest granted QoS and every
 * Subscription Identifier [MQTT-3.3.4-2] [MQTT-3.3.4-3].</li>
 * <li>No Local skips the publisher's own subscriptions [MQTT-3.8.3-3].</li>
 * <li>RETAIN is kept only for Retain As Published subscriptions [MQTT-3.3.1-12] [MQTT-3.3.1-13].</li>
 * <li>A shared group gets the message once in the whole cluster, at one member (4.8.2) chosen
 * by {@link SharedGroupChoice} among the members on every node whose session has a connection
 * attached; only when no member is online does it choose among all of them, and the message
 * waits in that member's session. A delivery that came only through a group chosen on this node
 * carries the group, so it can move on to another member when this one goes
 * ({@link SharedGroupHandOff}).</li>
 * <li>The delivery QoS is the lower of published and granted [MQTT-3.8.4-8].</li>
 * </ul>
 */
public final class Fanout {

    private static final ThreadLocal<RemoteTargets> REMOTE_TARGETS = ThreadLocal.withInitial(RemoteTargets::new);

    private final BrokerContext context;
    private final SharedGroupChoice groupChoice;

    public Fanout(BrokerContext context) {
        this.context = context;
        this.groupChoice = new SharedGroupChoice(context.settings().sharedSubscriptionStrategy(), context.onlineSessions(),
                context.clusterRoutes());
    }

    /**
     * What one route did.
     *
     * @param targets  sessions the message went to, plus other nodes it was forwarded to
     *                 (0: no matching subscriber anywhere)
     * @param awaited  how many {@link SessionCommand.Stored} answers will come: one per local
     *                 session that stores it, one per node it was forwarded to
     */
    public record Routed(int targets, int awaited) {
    }

    /**
     * Routes a message published on this node to every matching session in the cluster: this
     * node's sessions directly, other nodes by one {@link NodeRouter.Forward} each. Every
     * delivery with QoS 1 or 2, and every forward of a QoS 1/2 message, asks for a
     * {@link SessionCommand.Stored} answer to {@code replyTo} (when not null) with
     * {@code correlationId}.
     */
    public Routed route(Message message, ActorRef<SessionCommand.Stored> replyTo, long correlationId) {
        ClusterRoutes cluster = context.clusterRoutes();
        TopicName topic = new TopicName(message.topic());
        if (cluster.isEmpty()) { // a single node, or no other node has any subscriber
            Targets targets = new Targets(message.publisherId(), GroupMode.CHOOSE);
            context.subscriptions().match(topic, targets);
            return new Routed(targets.byClient.size(), enqueue(targets, message, replyTo, correlationId));
        }
        RemoteTargets remote = REMOTE_TARGETS.get();
        try {
            cluster.match(topic, remote);
            // Shared groups wait for the cluster-wide choice only when another node has members.
            Targets targets = new Targets(message.publisherId(), remote.groups == null ? GroupMode.CHOOSE : GroupMode.COLLECT);
            context.subscriptions().match(topic, targets);
            if (remote.groups != null) {
                chooseAcrossNodes(targets, remote, message.publisherId());
            }
            int awaited = enqueue(targets, message, replyTo, correlationId);
            if (remote.plainNodes == null && remote.picks == null) {
                return new Routed(targets.byClient.size(), awaited); // no other node wants it
            }
            boolean confirm = replyTo != null && message.qos() != Qos.AT_MOST_ONCE;
            int forwards = 0;
            if (remote.plainNodes != null) {
                for (String node : remote.plainNodes) {
                    List<NodeRouter.SharedPick> picks = remote.picks == null ? null : remote.picks.remove(node);
                    forwards += forward(cluster, node, message, confirm ? replyTo : null, correlationId, true, picks);
                }
            }
            if (remote.picks != null) {
                for (Map.Entry<String, List<NodeRouter.SharedPick>> e : remote.picks.entrySet()) {
                    forwards += forward(cluster, e.getKey(), message, confirm ? replyTo : null, correlationId, false,
                            e.getValue());
                }
            }
            return new Routed(targets.byClient.size() + forwards, awaited + (confirm ? forwards : 0));
        } finally {
            remote.clear();
        }
    }

    /** Sends one node its forward; 0 when the node has left since the match. */
    private static int forward(ClusterRoutes cluster, String node, Message message, ActorRef<SessionCommand.Stored> replyTo,
                               long correlationId, boolean plain, List<NodeRouter.SharedPick> picks) {
        ActorRef<NodeRouter.Command> router = cluster.router(node);
        if (router == null) {
            return 0;
        }
        router.tell(new NodeRouter.Forward(message, replyTo, correlationId, plain, picks == null ? List.of() : picks));
        return 1;
    }

    /**
     * Routes a message another node forwarded here: to this node's plain subscribers when the
     * forward says so, and to the shared group members the publishing node chose on this node
     * (this node's own shared groups are not consulted: the choice was made there, cluster-wide).
     */
    Routed routeForwarded(NodeRouter.Forward forward, ActorRef<SessionCommand.Stored> replyTo, long correlationId) {
        Message message = forward.message();
        Targets targets = new Targets(message.publisherId(), GroupMode.IGNORE);
        if (forward.plain()) {
            context.subscriptions().match(new TopicName(message.topic()), targets);
        }
        for (NodeRouter.SharedPick pick : forward.picks()) {
            targets.byClient.computeIfAbsent(pick.clientId(), k -> new Target()).add(pick.route());
        }
        return new Routed(targets.byClient.size(), enqueue(targets, message, replyTo, correlationId));
    }

    /** Sends each target its {@code Enqueue}; returns how many will answer {@code Stored}. */
    private int enqueue(Targets targets, Message message, ActorRef<SessionCommand.Stored> replyTo, long correlationId) {
        int awaited = 0;
        for (Map.Entry<String, Target> e : targets.byClient.entrySet()) {
            Target t = e.getValue();
            Delivery delivery = Delivery.of(message, t.qos, t.retainAsPublished && message.retain(), t.identifiers());
            if (t.routes == 1 && t.sharedGroup != null) {
                delivery = delivery.viaSharedGroup(t.sharedGroup); // the group's, not the member's (4.8.2)
            }
            boolean confirm = replyTo != null && delivery.qos() != Qos.AT_MOST_ONCE;
            context.sessions().session(e.getKey())
                    .tell(new SessionCommand.Enqueue(delivery, confirm ? replyTo : null, correlationId));
            if (confirm) {
                awaited++;
            }
        }
        return awaited;
    }

    /**
     * One member per shared group, among this node's and the other nodes' members: a local one
     * joins {@code targets}, a remote one becomes a pick in the forward to its node.
     */
    private void chooseAcrossNodes(Targets targets, RemoteTargets remote, String publisherId) {
        Map<String, GroupMembers<String, Route>> localGroups = targets.groups == null ? Map.of() : targets.groups;
        for (Map.Entry<String, GroupMembers<String, ClusterRoutes.Remote>> e : remote.groups.entrySet()) {
            choose(targets, remote, e.getKey(), localGroups.get(e.getKey()), e.getValue(), publisherId);
        }
        for (Map.Entry<String, GroupMembers<String, Route>> e : localGroups.entrySet()) {
            if (!remote.groups.containsKey(e.getKey())) {
                choose(targets, remote, e.getKey(), e.getValue(), null, publisherId);
            }
        }
    }

    private void choose(Targets targets, RemoteTargets remote, String key, GroupMembers<String, Route> local,
                        GroupMembers<String, ClusterRoutes.Remote> others, String publisherId) {
        int i = groupChoice.choose(key, local, others, publisherId);
        int localSize = local == null ? 0 : local.size();
        if (i < localSize) {
            targets.byClient.computeIfAbsent(local.key(i), k -> new Target()).addShared(local.value(i), key);
            return;
        }
        ClusterRoutes.Remote member = others.value(i - localSize);
        if (remote.picks == null) {
            remote.picks = new HashMap<>();
        }
        remote.picks.computeIfAbsent(member.node(), k -> new ArrayList<>(1))
                .add(new NodeRouter.SharedPick(member.entry().clientId(), member.entry().route()));
    }

    /** A group's key, and the group a delivery through it carries: its full filter {@code $share/group/filter}. */
    private static String groupKey(String shareName, TopicFilter filter) {
        return SharedFilter.PREFIX + shareName + '/' + filter.value();
    }

    /**
     * The member of {@code members} (this node's) that gets a message of group {@code groupKey}
     * handed off by a leaving member, chosen like any shared delivery.
     */
    int choose(String groupKey, GroupMembers<String, Route> members, String publisherId) {
        return groupChoice.choose(groupKey, members, null, publisherId);
    }

    /** What a match does with shared groups. */
    private enum GroupMode {
        /** Choose a member now, among this node's (single node, or no other node interested). */
        CHOOSE,
        /** Keep the group's members, to choose among them and the other nodes' members. */
        COLLECT,
        /** Skip: a forwarded message, whose groups were decided on the publishing node. */
        IGNORE
    }

    /** Accumulates one delivery per client while the trie reports matches. */
    private final class Targets implements MatchSink<String, Route> {
        private final String publisherId;
        private final GroupMode groupMode;
        private final Map<String, Target> byClient = new HashMap<>();
        /** Shared groups matched here, by group key, in COLLECT mode; null until one is. */
        private Map<String, GroupMembers<String, Route>> groups;

        Targets(String publisherId, GroupMode groupMode) {
            this.publisherId = publisherId;
            this.groupMode = groupMode;
        }

        @Override
        public void subscriber(String clientId, Route route) {
            if (route.options().noLocal() && clientId.equals(publisherId)) {
                return;
            }
            byClient.computeIfAbsent(clientId, k -> new Target()).add(route);
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, Route> members) {
            switch (groupMode) {
                case CHOOSE -> {
                    String key = groupKey(shareName, filter);
                    int i = groupChoice.choose(key, members, null, publisherId);
                    byClient.computeIfAbsent(members.key(i), k -> new Target()).addShared(members.value(i), key);
                }
                case COLLECT -> {
                    if (groups == null) {
                        groups = new HashMap<>();
                    }
                    groups.put(groupKey(shareName, filter), members);
                }
                case IGNORE -> { }
            }
        }
    }

    /**
     * What the cluster route table says about one message: the other nodes with a matching plain
     * subscriber, the matching shared groups' members on other nodes, and (filled while
     * choosing) the members picked on each node. One per thread, reused, and its collections
     * created only when something matches, so a message no other node wants allocates nothing
     * for the cluster.
     */
    private static final class RemoteTargets implements MatchSink<String, ClusterRoutes.Remote> {
        private Set<String> plainNodes;
        private Map<String, GroupMembers<String, ClusterRoutes.Remote>> groups;
        private Map<String, List<NodeRouter.SharedPick>> picks;

        @Override
        public void subscriber(String node, ClusterRoutes.Remote entry) {
            if (plainNodes == null) {
                plainNodes = new LinkedHashSet<>(4);
            }
            plainNodes.add(node); // once per node, however many of its filters match
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, ClusterRoutes.Remote> members) {
            if (groups == null) {
                groups = new HashMap<>();
            }
            groups.put(groupKey(shareName, filter), members);
        }

        void clear() {
            plainNodes = null;
            groups = null;
            picks = null;
        }
    }

    /** One client's merged subscriptions for this message. */
    private static final class Target {
        Qos qos = Qos.AT_MOST_ONCE;
        boolean retainAsPublished;
        List<Integer> identifiers;
        /** How many subscriptions matched, and the last shared group among them. */
        int routes;
        String sharedGroup;

        void addShared(Route route, String group) {
            add(route);
            sharedGroup = group;
        }

        void add(Route route) {
            routes++;
            if (route.options().qos().value() > qos.value()) {
                qos = route.options().qos();
            }
            retainAsPublished |= route.options().retainAsPublished();
            if (route.subscriptionIdentifier() > 0) {
                if (identifiers == null) {
                    identifiers = new ArrayList<>(2);
                }
                identifiers.add(route.subscriptionIdentifier());
            }
        }

        int[] identifiers() {
            if (identifiers == null) {
                return null;
            }
            int[] out = new int[identifiers.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = identifiers.get(i);
            }
            return out;
        }
    }
}
