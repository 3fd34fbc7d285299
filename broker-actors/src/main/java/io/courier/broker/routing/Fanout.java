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
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Routes one message from its publisher to every session with a matching subscription on this
 * node. Called on the publishing connection's actor (or a session publishing a will): the trie
 * is read without locks, and each receiving session gets one {@link SessionCommand.Enqueue}.
 *
 * <p>Rules applied here, per receiving client:
 * <ul>
 * <li>Overlapping subscriptions give one delivery with the highest granted QoS and every
 * Subscription Identifier [MQTT-3.3.4-2] [MQTT-3.3.4-3].</li>
 * <li>No Local skips the publisher's own subscriptions [MQTT-3.8.3-3].</li>
 * <li>RETAIN is kept only for Retain As Published subscriptions [MQTT-3.3.1-12] [MQTT-3.3.1-13].</li>
 * <li>A shared group gets the message once, at one member (4.8.2) chosen by the configured
 * {@link SharedSubscriptionStrategy} among the members whose session has a connection attached
 * ({@link BrokerContext#onlineSessions()}); only when no member is online does it choose among
 * all of them, and the message waits in that member's session. A delivery that came only
 * through a group carries the group, so it can move on to another member when this one goes
 * ({@link SharedGroupHandOff}).</li>
 * <li>The delivery QoS is the lower of published and granted [MQTT-3.8.4-8].</li>
 * </ul>
 */
public final class Fanout {

    private final BrokerContext context;
    private final SharedSubscriptionStrategy strategy;
    /** Per shared group on this node: a cursor and, for sticky, the chosen member. */
    private final Map<String, GroupCursor> groupCursors = new ConcurrentHashMap<>();

    public Fanout(BrokerContext context) {
        this.context = context;
        this.strategy = context.settings().sharedSubscriptionStrategy();
    }

    /**
     * What one route did.
     *
     * @param targets  sessions the message went to (0: no matching subscriber)
     * @param awaited  how many {@link SessionCommand.Stored} answers will come
     */
    public record Routed(int targets, int awaited) {
    }

    /**
     * Routes {@code message}; every delivery with QoS 1 or 2 asks for a {@link SessionCommand.Stored}
     * answer to {@code replyTo} (when not null) with {@code correlationId}.
     */
    public Routed route(Message message, ActorRef<SessionCommand.Stored> replyTo, long correlationId) {
        Targets targets = new Targets(message.publisherId());
        context.subscriptions().match(new TopicName(message.topic()), targets);
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
        return new Routed(targets.byClient.size(), awaited);
    }

    /**
     * The index of the member of {@code members} that gets the message. Candidates are the online
     * members, or every member when none is online; the strategy picks among the candidates.
     * Scans instead of collecting candidates, so a match allocates nothing per group.
     */
    int choose(String groupKey, GroupMembers<String, Route> members, String publisherId) {
        Set<String> online = context.onlineSessions();
        int size = members.size();
        int candidates = 0;
        for (int i = 0; i < size; i++) {
            if (online.contains(members.key(i))) {
                candidates++;
            }
        }
        boolean onlineOnly = candidates > 0;
        if (!onlineOnly) {
            candidates = size;
        }
        GroupCursor cursor = strategy == SharedSubscriptionStrategy.RANDOM || strategy == SharedSubscriptionStrategy.HASH
                ? null : groupCursors.computeIfAbsent(groupKey, k -> new GroupCursor());
        return switch (strategy) {
            case ROUND_ROBIN -> nthCandidate(members, onlineOnly, Math.floorMod(cursor.next.getAndIncrement(), candidates));
            case RANDOM -> nthCandidate(members, onlineOnly, ThreadLocalRandom.current().nextInt(candidates));
            case HASH -> nthCandidate(members, onlineOnly, Math.floorMod(spread(publisherId.hashCode()), candidates));
            case STICKY -> sticky(cursor, members, onlineOnly, candidates);
        };
    }

    /** Keeps the group's member while it is a candidate; otherwise moves on to the next in turn. */
    private int sticky(GroupCursor cursor, GroupMembers<String, Route> members, boolean onlineOnly, int candidates) {
        String current = cursor.sticky.get();
        int kept = indexOfCandidate(members, onlineOnly, current);
        if (kept >= 0) {
            return kept;
        }
        int chosen = nthCandidate(members, onlineOnly, Math.floorMod(cursor.next.getAndIncrement(), candidates));
        if (!cursor.sticky.compareAndSet(current, members.key(chosen))) {
            // Another connection actor moved the group first: follow its choice if it still holds.
            int theirs = indexOfCandidate(members, onlineOnly, cursor.sticky.get());
            if (theirs >= 0) {
                return theirs;
            }
        }
        return chosen;
    }

    private int indexOfCandidate(GroupMembers<String, Route> members, boolean onlineOnly, String clientId) {
        if (clientId == null || (onlineOnly && !context.onlineSessions().contains(clientId))) {
            return -1;
        }
        for (int i = 0; i < members.size(); i++) {
            if (members.key(i).equals(clientId)) {
                return i;
            }
        }
        return -1;
    }

    /** The member index of the {@code n}-th candidate. */
    private int nthCandidate(GroupMembers<String, Route> members, boolean onlineOnly, int n) {
        if (!onlineOnly) {
            return n;
        }
        Set<String> online = context.onlineSessions();
        int seen = 0;
        for (int i = 0; i < members.size(); i++) {
            if (online.contains(members.key(i)) && seen++ == n) {
                return i;
            }
        }
        // A member went offline between counting and picking; any member will do.
        return Math.floorMod(n, members.size());
    }

    /** Spreads a String hash so that similar client ids do not land on neighbouring members. */
    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x85ebca6b;
        h ^= h >>> 13;
        return h;
    }

    /** One shared group's routing state on this node. */
    private static final class GroupCursor {
        final AtomicInteger next = new AtomicInteger();
        final AtomicReference<String> sticky = new AtomicReference<>();
    }

    /** Accumulates one delivery per client while the trie reports matches. */
    private final class Targets implements MatchSink<String, Route> {
        private final String publisherId;
        private final Map<String, Target> byClient = new HashMap<>();

        Targets(String publisherId) {
            this.publisherId = publisherId;
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
            String group = SharedFilter.PREFIX + shareName + '/' + filter.value();
            int i = choose(group, members, publisherId);
            Target target = byClient.computeIfAbsent(members.key(i), k -> new Target());
            target.add(members.value(i));
            target.sharedGroup = group;
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
