package io.courier.broker.session;

import io.courier.broker.routing.Route;
import io.courier.protocol.engine.Effect.SubscribeEntry;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * What one SUBSCRIBE does to a session: the events to record, the SUBACK codes in order
 * [MQTT-3.8.4-6], and for each accepted filter whether retained messages follow (3.8.3.1
 * Retain Handling; never for a shared subscription, 4.8.2).
 */
record SubscribeOutcome(List<SessionEvent> events, List<ReasonCode> reasonCodes, List<Added> added) {

    /** One accepted subscription. */
    record Added(String text, SubscriptionFilter filter, Route route, boolean sendRetained) {
    }

    static SubscribeOutcome of(SessionCommand.Subscribe c, SessionState s) {
        List<SessionEvent> events = new ArrayList<>();
        List<ReasonCode> codes = new ArrayList<>();
        List<Added> added = new ArrayList<>();
        for (SubscribeEntry entry : c.entries()) {
            if (entry.rejected() != null) {
                codes.add(entry.rejected());
                continue;
            }
            SubscriptionFilter filter = SubscriptionFilter.parse(entry.topicFilter()); // validated by the engine
            Route route = new Route(entry.options(), c.subscriptionIdentifier());
            boolean isNew = !s.subscriptions.containsKey(entry.topicFilter());
            boolean sendRetained = !(filter instanceof SharedFilter) && switch (entry.options().retainHandling()) {
                case 0 -> true;        // at every subscribe [MQTT-3.3.1-9]
                case 1 -> isNew;       // only if it did not exist [MQTT-3.3.1-10]
                default -> false;      // never [MQTT-3.3.1-11]
            };
            events.add(new SessionEvent.SubscriptionAdded(entry.topicFilter(), entry.options(), c.subscriptionIdentifier()));
            added.add(new Added(entry.topicFilter(), filter, route, sendRetained));
            codes.add(ReasonCode.granted(entry.options().qos()));
        }
        return new SubscribeOutcome(events, codes, added);
    }
}
