package io.courier.broker.routing;

import io.courier.broker.BrokerContext;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.index.GroupMembers;
import io.courier.protocol.index.MatchSink;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.Arrays;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Moves a message that a shared subscription gave to one member on to another member of the same
 * group, so that nothing waits at, or vanishes with, a member that has gone (MQTT 5.0 section
 * 4.8.2: "If the Client's Session terminates before the Client reconnects, the Server SHOULD send
 * the Application Message to another Client that is subscribed to the same Shared
 * Subscription"; EMQX issue 12257 is this going wrong).
 *
 * <p>The new member is chosen like any shared delivery ({@link Fanout#choose}: online members
 * first, then the configured strategy), among the group's members other than the one leaving.
 * Group membership comes from this node's trie, matched on the message's topic: every member of
 * a group subscribed with the same filter, so any message the group took matches all of them.
 * The delivery is rebuilt for the new member's subscription (its granted QoS, Retain As Published
 * and Subscription Identifier) and keeps the group, so it can move on again.
 */
public final class SharedGroupHandOff {

    private final BrokerContext context;
    private final Fanout fanout;

    public SharedGroupHandOff(BrokerContext context, Fanout fanout) {
        this.context = context;
        this.fanout = fanout;
    }

    /**
     * Whether the group {@code delivery} came through has a member other than {@code leaving}
     * (online ones only when {@code onlineOnly}).
     */
    public boolean hasOtherMember(Delivery delivery, String leaving, boolean onlineOnly) {
        return find(delivery, leaving, onlineOnly) != null;
    }

    /**
     * Sends {@code delivery} to another member of its group as a {@link SessionCommand.Enqueue}
     * (answering {@code replyTo}, when not null, like any routed delivery). Returns the client id
     * of the member it went to, or null when the group has no member other than {@code leaving}
     * (online ones only when {@code onlineOnly}); then nothing was sent.
     */
    public String handOff(Delivery delivery, String leaving, boolean onlineOnly,
                          ActorRef<SessionCommand.Stored> replyTo, long correlationId) {
        Found found = find(delivery, leaving, onlineOnly);
        if (found == null) {
            return null;
        }
        int i = fanout.choose(delivery.sharedGroup(), found.members, delivery.message().publisherId());
        String member = found.members.key(i);
        Route route = found.members.value(i);
        var message = delivery.message();
        int[] ids = route.subscriptionIdentifier() > 0 ? new int[] {route.subscriptionIdentifier()} : null;
        Delivery moved = Delivery.of(message, route.options().qos(),
                route.options().retainAsPublished() && message.retain(), ids).viaSharedGroup(delivery.sharedGroup());
        context.sessions().session(member).tell(new SessionCommand.Enqueue(moved, replyTo, correlationId));
        return member;
    }

    private Found find(Delivery delivery, String leaving, boolean onlineOnly) {
        String group = delivery.sharedGroup();
        if (group == null) {
            return null;
        }
        Found found = new Found(group, leaving, onlineOnly ? context.onlineSessions() : null);
        context.subscriptions().match(new TopicName(delivery.message().topic()), found);
        return found.members == null || found.members.size() == 0 ? null : found;
    }

    /** Catches the one group of interest during a match, as a view without the leaving member. */
    private static final class Found implements MatchSink<String, Route> {
        private final String group;
        private final String leaving;
        private final Set<String> onlineOnly;
        private Others members;

        Found(String group, String leaving, Set<String> onlineOnly) {
            this.group = group;
            this.leaving = leaving;
            this.onlineOnly = onlineOnly;
        }

        @Override
        public void subscriber(String key, Route value) {
            // plain subscriptions have their own copy; only the group matters here
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, Route> all) {
            if (group.equals(SharedFilter.PREFIX + shareName + '/' + filter.value())) {
                members = new Others(all, leaving, onlineOnly);
            }
        }
    }

    /** The members of a group except one (and, when asked, except those offline), by index. */
    private static final class Others implements GroupMembers<String, Route> {
        private final int[] index;
        private final GroupMembers<String, Route> all;

        Others(GroupMembers<String, Route> all, String leaving, Set<String> onlineOnly) {
            this.all = all;
            int[] kept = new int[all.size()];
            int n = 0;
            for (int i = 0; i < all.size(); i++) {
                String key = all.key(i);
                if (!key.equals(leaving) && (onlineOnly == null || onlineOnly.contains(key))) {
                    kept[n++] = i;
                }
            }
            this.index = Arrays.copyOf(kept, n);
        }

        @Override
        public int size() {
            return index.length;
        }

        @Override
        public String key(int i) {
            return all.key(index[i]);
        }

        @Override
        public Route value(int i) {
            return all.value(index[i]);
        }
    }
}
