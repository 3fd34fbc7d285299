package io.courier.broker.routing;

import io.courier.broker.BrokerContext;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.index.GroupMembers;
import io.courier.protocol.index.MatchSink;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HashSet;
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
 * waits in that member's session.</li>
 * <li>The delivery QoS is the lower of published and granted [MQTT-3.8.4-8].</li>
 * </ul>
 */
public final class Fanout {

    private final BrokerContext context;
    private final SharedGroupChoice groupChoice;

    public Fanout(BrokerContext context) {
        this.context = context;
        this.groupChoice = new SharedGroupChoice(context.settings().sharedSubscriptionStrategy(), context.onlineSessions());
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
        boolean alone = cluster.isEmpty();
        TopicName topic = new TopicName(message.topic());
        Targets targets = new Targets(message.publisherId(), alone ? GroupMode.CHOOSE : GroupMode.COLLECT);
        context.subscriptions().match(topic, targets);
        if (alone) {
            return new Routed(targets.byClient.size(), enqueue(targets, message, replyTo, correlationId));
        }
        RemoteTargets remote = new RemoteTargets();
        cluster.match(topic, remote);
        Map<String, List<NodeRouter.SharedPick>> picks = chooseAcrossNodes(targets, remote, message.publisherId());
        int awaited = enqueue(targets, message, replyTo, correlationId);
        int forwards = 0;
        boolean confirm = replyTo != null && message.qos() != Qos.AT_MOST_ONCE;
        Set<String> nodes = new HashSet<>(remote.plainNodes);
        nodes.addAll(picks.keySet());
        for (String node : nodes) {
            ActorRef<NodeRouter.Command> router = cluster.router(node);
            if (router == null) {
                continue; // left the cluster since the match
            }
            router.tell(new NodeRouter.Forward(message, confirm ? replyTo : null, correlationId,
                    remote.plainNodes.contains(node), picks.getOrDefault(node, List.of())));
            forwards++;
            if (confirm) {
                awaited++;
            }
        }
        return new Routed(targets.byClient.size() + forwards, awaited);
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
    private Map<String, List<NodeRouter.SharedPick>> chooseAcrossNodes(Targets targets, RemoteTargets remote,
                                                                       String publisherId) {
        if (targets.groups == null && remote.groups == null) {
            return Map.of();
        }
        Map<String, List<NodeRouter.SharedPick>> picks = new HashMap<>();
        Set<String> keys = new HashSet<>();
        if (targets.groups != null) {
            keys.addAll(targets.groups.keySet());
        }
        if (remote.groups != null) {
            keys.addAll(remote.groups.keySet());
        }
        for (String key : keys) {
            GroupMembers<String, Route> local = targets.groups == null ? null : targets.groups.get(key);
            GroupMembers<String, ClusterRoutes.Remote> others = remote.groups == null ? null : remote.groups.get(key);
            int i = groupChoice.choose(key, local, others, publisherId);
            int localSize = local == null ? 0 : local.size();
            if (i < localSize) {
                targets.byClient.computeIfAbsent(local.key(i), k -> new Target()).add(local.value(i));
            } else {
                RouteEntry member = others.value(i - localSize).entry();
                picks.computeIfAbsent(others.value(i - localSize).node(), k -> new ArrayList<>(1))
                        .add(new NodeRouter.SharedPick(member.clientId(), member.route()));
            }
        }
        return picks;
    }

    private static String groupKey(String shareName, TopicFilter filter) {
        return shareName + '\u0000' + filter.value();
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
                    int i = groupChoice.choose(groupKey(shareName, filter), members, null, publisherId);
                    byClient.computeIfAbsent(members.key(i), k -> new Target()).add(members.value(i));
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

    /** The other nodes a message must be forwarded to, and the remote members of matching shared groups. */
    private static final class RemoteTargets implements MatchSink<String, ClusterRoutes.Remote> {
        private final Set<String> plainNodes = new HashSet<>(4);
        private Map<String, GroupMembers<String, ClusterRoutes.Remote>> groups;

        @Override
        public void subscriber(String node, ClusterRoutes.Remote entry) {
            plainNodes.add(node); // once per node, however many of its filters match
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, ClusterRoutes.Remote> members) {
            if (groups == null) {
                groups = new HashMap<>();
            }
            groups.put(groupKey(shareName, filter), members);
        }
    }

    /** One client's merged subscriptions for this message. */
    private static final class Target {
        Qos qos = Qos.AT_MOST_ONCE;
        boolean retainAsPublished;
        List<Integer> identifiers;

        void add(Route route) {
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
