package io.courier.broker.routing;

import io.courier.protocol.index.GroupMembers;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Picks the one member of a shared subscription group that gets a message (4.8.2), with the
 * configured {@link SharedSubscriptionStrategy}. The members are this node's (from its trie)
 * followed by the other nodes' (from {@link ClusterRoutes}, null on a single node), so a group
 * spanning nodes gets each message once cluster-wide.
 *
 * <p>Candidates are the members whose session has a connection attached (this node's
 * {@code onlineSessions}; for other nodes the flag in their route entry), or every member when
 * none is online, so an offline member never swallows a message an online one could take.
 * The choice scans instead of collecting candidates, so it allocates nothing per message.
 */
final class SharedGroupChoice {

    private final SharedSubscriptionStrategy strategy;
    private final Set<String> onlineSessions;
    /** Per shared group, on this node: a cursor and, for sticky, the chosen member's id. */
    private final Map<String, GroupCursor> cursors = new ConcurrentHashMap<>();

    SharedGroupChoice(SharedSubscriptionStrategy strategy, Set<String> onlineSessions) {
        this.strategy = strategy;
        this.onlineSessions = onlineSessions;
    }

    /**
     * The index of the chosen member: below {@code local.size()} a member of {@code local},
     * otherwise member {@code index - local.size()} of {@code remote}. Either may be null, not both.
     */
    int choose(String groupKey, GroupMembers<String, Route> local, GroupMembers<String, ClusterRoutes.Remote> remote,
               String publisherId) {
        int size = size(local) + size(remote);
        int candidates = 0;
        for (int i = 0; i < size; i++) {
            if (online(local, remote, i)) {
                candidates++;
            }
        }
        boolean onlineOnly = candidates > 0;
        if (!onlineOnly) {
            candidates = size;
        }
        GroupCursor cursor = strategy == SharedSubscriptionStrategy.RANDOM || strategy == SharedSubscriptionStrategy.HASH
                ? null : cursors.computeIfAbsent(groupKey, k -> new GroupCursor());
        return switch (strategy) {
            case ROUND_ROBIN -> nthCandidate(local, remote, onlineOnly, Math.floorMod(cursor.next.getAndIncrement(), candidates));
            case RANDOM -> nthCandidate(local, remote, onlineOnly, ThreadLocalRandom.current().nextInt(candidates));
            case HASH -> nthCandidate(local, remote, onlineOnly, Math.floorMod(spread(publisherId.hashCode()), candidates));
            case STICKY -> sticky(cursor, local, remote, onlineOnly, candidates);
        };
    }

    /** Keeps the group's member while it is a candidate; otherwise moves on to the next in turn. */
    private int sticky(GroupCursor cursor, GroupMembers<String, Route> local,
                       GroupMembers<String, ClusterRoutes.Remote> remote, boolean onlineOnly, int candidates) {
        String current = cursor.sticky.get();
        int kept = indexOfCandidate(local, remote, onlineOnly, current);
        if (kept >= 0) {
            return kept;
        }
        int chosen = nthCandidate(local, remote, onlineOnly, Math.floorMod(cursor.next.getAndIncrement(), candidates));
        if (!cursor.sticky.compareAndSet(current, id(local, remote, chosen))) {
            // Another connection actor moved the group first: follow its choice if it still holds.
            int theirs = indexOfCandidate(local, remote, onlineOnly, cursor.sticky.get());
            if (theirs >= 0) {
                return theirs;
            }
        }
        return chosen;
    }

    private int indexOfCandidate(GroupMembers<String, Route> local, GroupMembers<String, ClusterRoutes.Remote> remote,
                                 boolean onlineOnly, String id) {
        if (id == null) {
            return -1;
        }
        int size = size(local) + size(remote);
        for (int i = 0; i < size; i++) {
            if (id(local, remote, i).equals(id)) {
                return onlineOnly && !online(local, remote, i) ? -1 : i;
            }
        }
        return -1;
    }

    /** The member index of the {@code n}-th candidate. */
    private int nthCandidate(GroupMembers<String, Route> local, GroupMembers<String, ClusterRoutes.Remote> remote,
                             boolean onlineOnly, int n) {
        if (!onlineOnly) {
            return n;
        }
        int size = size(local) + size(remote);
        int seen = 0;
        for (int i = 0; i < size; i++) {
            if (online(local, remote, i) && seen++ == n) {
                return i;
            }
        }
        // A member went offline between counting and picking; any member will do.
        return Math.floorMod(n, size);
    }

    // Members are this node's followed by the other nodes'. A member's id is its client id here
    // and {@code node \0 client id} elsewhere. Passed as two arguments, not wrapped, so that a
    // choice allocates nothing.

    private static int size(GroupMembers<String, ?> members) {
        return members == null ? 0 : members.size();
    }

    private boolean online(GroupMembers<String, Route> local, GroupMembers<String, ClusterRoutes.Remote> remote, int i) {
        int localSize = size(local);
        return i < localSize ? onlineSessions.contains(local.key(i)) : remote.value(i - localSize).entry().online();
    }

    private static String id(GroupMembers<String, Route> local, GroupMembers<String, ClusterRoutes.Remote> remote, int i) {
        int localSize = size(local);
        return i < localSize ? local.key(i) : remote.key(i - localSize);
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
}
