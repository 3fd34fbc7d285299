package io.courier.broker.session;

import io.courier.broker.routing.SharedGroupHandOff;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.session.InflightWindow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a session's messages leave it for other members of their shared subscriptions when
 * its connection ends or the session itself ends (MQTT 5.0 section 4.8.2), decided per group:
 * every message the session holds through a group that has another member goes, the others stay.
 *
 * <p>What goes: every queued message (none was sent), and each QoS 1 message in flight without
 * its PUBACK (4.8.2: the server MAY send it to another member as soon as the connection is lost,
 * and SHOULD when the session terminates). A QoS 2 message in flight stays, before or after its
 * PUBREC: the server MUST complete its delivery to this client when it reconnects
 * [MQTT-4.8.2-4], and MUST NOT send it to another member if the session ends first
 * [MQTT-4.8.2-5]. (A receiver may pass a QoS 2 message on as soon as its PUBLISH arrives, so a
 * PUBREC lost with the connection does not mean the client lacks it.)
 *
 * @param groups     the groups handed off (the event names them, so replay removes the same messages)
 * @param deliveries the messages that go, oldest first (inflight in window order, then queued)
 * @param stranded   how many messages came through a group that has no other member
 */
record SharedHandOffPlan(List<String> groups, List<Delivery> deliveries, int stranded) {

    static SharedHandOffPlan of(SessionState s, String clientId, SharedGroupHandOff handOff) {
        Map<String, Boolean> movable = new LinkedHashMap<>();
        List<Delivery> going = new ArrayList<>();
        int stranded = 0;
        List<Delivery> held = new ArrayList<>();
        for (InflightWindow.Entry e : s.inflight.entries()) {
            if (e.stage() == InflightWindow.Stage.AWAITING_PUBACK) {
                held.add(e.delivery());
            }
        }
        held.addAll(s.queue.deliveries());
        for (Delivery d : held) {
            if (d.sharedGroup() == null) {
                continue;
            }
            if (movable.computeIfAbsent(d.sharedGroup(), g -> handOff.hasOtherMember(d, clientId, false))) {
                going.add(d);
            } else {
                stranded++;
            }
        }
        List<String> groups = new ArrayList<>();
        movable.forEach((group, moves) -> {
            if (moves) {
                groups.add(group);
            }
        });
        return new SharedHandOffPlan(List.copyOf(groups), going, stranded);
    }

    boolean isEmpty() {
        return groups.isEmpty();
    }

    SessionEvent event() {
        return new SessionEvent.SharedDeliveriesHandedOff(groups);
    }

    /** Sends every message that goes to its new member; returns how many found none after all. */
    int send(SharedGroupHandOff handOff, String clientId) {
        int lost = 0;
        for (Delivery d : deliveries) {
            if (handOff.handOff(d, clientId, false, null, 0) == null) {
                lost++; // the group's last other member left between plan and send
            }
        }
        return lost;
    }
}
