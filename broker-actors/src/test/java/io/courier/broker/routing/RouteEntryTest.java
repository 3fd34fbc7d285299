package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import org.junit.jupiter.api.Test;

/** The string form of route table entries. */
class RouteEntryTest {

    @Test
    void plainFilterRoundTrips() {
        for (String filter : new String[] {"a/+/#", "#", "$share/not-shared-in-3.1.1", "\u00e9/\uD83D\uDE00", "a//b"}) {
            RouteEntry e = RouteEntry.plain(filter);
            assertEquals(e, RouteEntry.decode(e.encode()));
        }
    }

    @Test
    void sharedMemberRoundTripsWithOptionsIdentifierAndOnlineFlag() {
        Route route = new Route(new SubscriptionOptions(Qos.EXACTLY_ONCE, false, true, 2), 268_435_455);
        for (boolean online : new boolean[] {true, false}) {
            RouteEntry e = RouteEntry.member("$share/group/a/+", "client/with/slashes", route, online);
            assertEquals(e, RouteEntry.decode(e.encode()));
        }
    }

    @Test
    void onlineAndOfflineFormsOfAMemberAreDifferentEntries() {
        Route route = new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0);
        assertEquals(false, RouteEntry.member("$share/g/t", "c", route, true).encode()
                .equals(RouteEntry.member("$share/g/t", "c", route, false).encode()));
    }

    @Test
    void malformedEntriesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> RouteEntry.decode(""));
        assertThrows(IllegalArgumentException.class, () -> RouteEntry.decode("Xsomething"));
        assertThrows(IllegalArgumentException.class, () -> RouteEntry.decode("M10"));
    }
}
