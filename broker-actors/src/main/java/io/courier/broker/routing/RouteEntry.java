package io.courier.broker.routing;

import io.courier.broker.serialization.MessageFormat;

/**
 * One entry of a node in the cluster route table, as a string (the element of the replicated
 * set; Pekko's own serializers carry strings compactly). Two kinds:
 * <ul>
 * <li>a plain filter the node has at least one subscriber on: {@code F<filter>} — the table
 * says which nodes to forward a message to, once per node, and the node's own trie decides
 * which of its sessions get it;</li>
 * <li>one member of a shared group: {@code M<online><options><subscription id>\0<client id>\0<$share/group/filter>}
 * — a shared group picks one member cluster-wide (4.8.2), so every node must see every member,
 * whether it is online, and its options (so the chosen node need not look them up).</li>
 * </ul>
 *
 * @param filter    the subscription filter as the client wrote it ({@code $share/g/f} for a member)
 * @param clientId  the member's client id; null for a plain filter
 * @param route     the member's options and Subscription Identifier; null for a plain filter
 * @param online    whether the member's session has a connection attached
 */
public record RouteEntry(String filter, String clientId, Route route, boolean online) {

    private static final char PLAIN = 'F';
    private static final char MEMBER = 'M';
    private static final char SEP = '\u0000';

    public static RouteEntry plain(String filter) {
        return new RouteEntry(filter, null, null, false);
    }

    public static RouteEntry member(String sharedFilter, String clientId, Route route, boolean online) {
        return new RouteEntry(sharedFilter, clientId, route, online);
    }

    public boolean isMember() {
        return clientId != null;
    }

    public String encode() {
        if (!isMember()) {
            return PLAIN + filter;
        }
        int bits = MessageFormat.optionsByte(route.options());
        return MEMBER + (online ? "1" : "0") + Character.forDigit(bits >> 4, 16) + Character.forDigit(bits & 0xF, 16)
                + route.subscriptionIdentifier() + SEP + clientId + SEP + filter;
    }

    /** The entry an {@link #encode()} string stands for; {@link IllegalArgumentException} if malformed. */
    public static RouteEntry decode(String s) {
        if (!s.isEmpty() && s.charAt(0) == PLAIN) {
            return plain(s.substring(1));
        }
        int first = s.indexOf(SEP);
        int second = first < 0 ? -1 : s.indexOf(SEP, first + 1);
        if (s.isEmpty() || s.charAt(0) != MEMBER || second < 0 || first < 5) {
            throw new IllegalArgumentException("malformed route entry " + s.replace(SEP, '|'));
        }
        boolean online = s.charAt(1) == '1';
        int bits = Integer.parseInt(s, 2, 4, 16);
        int subscriptionIdentifier = Integer.parseInt(s, 4, first, 10);
        return member(s.substring(second + 1), s.substring(first + 1, second),
                new Route(MessageFormat.options(bits), subscriptionIdentifier), online);
    }
}
