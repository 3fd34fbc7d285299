package io.courier.broker.routing;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * This node's entries in the cluster route table ({@link RouteEntry}), kept in step with the
 * node's subscription trie by the session entities hosted here (through
 * {@link io.courier.broker.BrokerContext#subscribe} and friends), and reported as changes to
 * the {@link RouteTable} actor that replicates them.
 *
 * <p>A plain filter is one entry however many local sessions hold it (a count per filter), so
 * a publish crosses the network once per interested node, not once per subscriber. A shared
 * group member is one entry per member, carrying whether its session is online, so that a
 * shared group can prefer an online member anywhere in the cluster.
 *
 * <p>Subscription changes are rare next to publishes, so this class simply synchronizes; the
 * change is handed on inside the lock, so the route table sees changes in the order they
 * happened.
 */
public final class LocalRoutes {

    /** Receives this node's entry changes (encoded entries). */
    public interface Listener {
        void changed(List<String> added, List<String> removed);
    }

    private final Map<String, Integer> plainCounts = new HashMap<>();
    private final Map<String, Map<String, Route>> membersByClient = new HashMap<>();
    private final Set<String> online = new HashSet<>();
    private Listener listener;

    /**
     * Starts reporting to {@code l}, first with every entry that exists now (sessions woken
     * before the route table started have registered already).
     */
    public synchronized void attach(Listener l) {
        listener = l;
        l.changed(entries(), List.of());
    }

    /** Every current entry, encoded. */
    public synchronized List<String> entries() {
        List<String> out = new ArrayList<>();
        for (String filter : plainCounts.keySet()) {
            out.add(RouteEntry.plain(filter).encode());
        }
        membersByClient.forEach((client, groups) -> groups.forEach((filter, route) ->
                out.add(RouteEntry.member(filter, client, route, online.contains(client)).encode())));
        return out;
    }

    /**
     * {@code clientId} now holds {@code filter} in this node's trie; {@code replaced} is its
     * previous route on that filter (a re-subscribe with new options), or null.
     */
    public synchronized void subscribed(SubscriptionFilter filter, String clientId, Route route, Route replaced) {
        if (filter instanceof SharedFilter shared) {
            String text = shared.value();
            Route old = membersByClient.computeIfAbsent(clientId, k -> new HashMap<>()).put(text, route);
            if (!route.equals(old)) {
                boolean on = online.contains(clientId);
                emit(List.of(RouteEntry.member(text, clientId, route, on).encode()),
                        old == null ? List.of() : List.of(RouteEntry.member(text, clientId, old, on).encode()));
            }
        } else if (replaced == null && plainCounts.merge(filter.toString(), 1, Integer::sum) == 1) {
            emit(List.of(RouteEntry.plain(filter.toString()).encode()), List.of());
        }
    }

    /** {@code clientId} no longer holds {@code filter} here. */
    public synchronized void unsubscribed(SubscriptionFilter filter, String clientId) {
        if (filter instanceof SharedFilter shared) {
            Map<String, Route> groups = membersByClient.get(clientId);
            Route old = groups == null ? null : groups.remove(shared.value());
            if (old != null) {
                if (groups.isEmpty()) {
                    membersByClient.remove(clientId);
                }
                emit(List.of(), List.of(RouteEntry.member(shared.value(), clientId, old, online.contains(clientId)).encode()));
            }
            return;
        }
        String text = filter.toString();
        Integer count = plainCounts.get(text);
        if (count == null) {
            return;
        }
        if (count == 1) {
            plainCounts.remove(text);
            emit(List.of(), List.of(RouteEntry.plain(text).encode()));
        } else {
            plainCounts.put(text, count - 1);
        }
    }

    /** The session of {@code clientId} gained or lost its connection; only shared members' entries change. */
    public synchronized void online(String clientId, boolean isOnline) {
        boolean changed = isOnline ? online.add(clientId) : online.remove(clientId);
        Map<String, Route> groups = membersByClient.get(clientId);
        if (!changed || groups == null) {
            return;
        }
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        groups.forEach((filter, route) -> {
            added.add(RouteEntry.member(filter, clientId, route, isOnline).encode());
            removed.add(RouteEntry.member(filter, clientId, route, !isOnline).encode());
        });
        emit(added, removed);
    }

    private void emit(List<String> added, List<String> removed) {
        if (listener != null) {
            listener.changed(added, removed);
        }
    }
}
