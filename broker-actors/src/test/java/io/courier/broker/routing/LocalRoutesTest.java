package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** This node's route table entries follow its sessions' subscriptions and online state. */
class LocalRoutesTest {

    private static final Route QOS1 = new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0);
    private static final Route QOS2 = new Route(SubscriptionOptions.of(Qos.EXACTLY_ONCE), 0);

    private final LocalRoutes routes = new LocalRoutes();
    private final List<String> changes = new ArrayList<>();

    private void attach() {
        routes.attach((added, removed) -> {
            removed.forEach(e -> changes.add("-" + e));
            added.forEach(e -> changes.add("+" + e));
        });
        changes.clear();
    }

    @Test
    void aPlainFilterIsOneEntryWhileAnySessionHoldsIt() {
        attach();
        routes.subscribed(SubscriptionFilter.parse("a/#"), "c1", QOS1, null);
        routes.subscribed(SubscriptionFilter.parse("a/#"), "c2", QOS1, null);
        routes.subscribed(SubscriptionFilter.parse("a/#"), "c2", QOS2, QOS1); // new options: same entry
        routes.unsubscribed(SubscriptionFilter.parse("a/#"), "c1");
        assertEquals(List.of("+Fa/#"), changes);
        routes.unsubscribed(SubscriptionFilter.parse("a/#"), "c2");
        assertEquals(List.of("+Fa/#", "-Fa/#"), changes);
        assertEquals(List.of(), routes.entries());
    }

    @Test
    void aSharedMemberIsItsOwnEntryAndChangesWithItsOnlineState() {
        attach();
        String offline = RouteEntry.member("$share/g/t", "m", QOS1, false).encode();
        String online = RouteEntry.member("$share/g/t", "m", QOS1, true).encode();
        routes.subscribed(SubscriptionFilter.parse("$share/g/t"), "m", QOS1, null);
        routes.online("m", true);
        routes.online("m", true); // no change, no entry change
        routes.online("m", false);
        routes.unsubscribed(SubscriptionFilter.parse("$share/g/t"), "m");
        assertEquals(List.of("+" + offline, "-" + offline, "+" + online, "-" + online, "+" + offline, "-" + offline), changes);
    }

    @Test
    void onlineStateOfAClientWithoutSharedSubscriptionsChangesNoEntry() {
        attach();
        routes.subscribed(SubscriptionFilter.parse("x"), "c", QOS1, null);
        routes.online("c", true);
        assertEquals(List.of("+Fx"), changes);
    }

    @Test
    void attachingReportsWhatExistsAlready() {
        routes.subscribed(SubscriptionFilter.parse("x/+"), "c", QOS1, null);
        routes.subscribed(SubscriptionFilter.parse("$share/g/y"), "c", QOS1, null);
        routes.online("c", true);
        List<String> first = new ArrayList<>();
        routes.attach((added, removed) -> first.addAll(added));
        Set<String> expected = new TreeSet<>(List.of("Fx/+", RouteEntry.member("$share/g/y", "c", QOS1, true).encode()));
        assertEquals(expected, new TreeSet<>(first));
    }
}
