package io.courier.broker.session;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.engine.Effect.OutboundAck;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.session.InflightWindow;
import io.courier.protocol.session.OutboundQueue;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** What {@link SessionEvent.SharedDeliveriesHandedOff} takes out of a session, and what it leaves. */
class SharedHandOffStateTest {

    private static final long NOW = 1_700_000_000_000L;
    private static final String GROUP = "$share/g/jobs/#";

    private static Delivery shared(String topic, Qos qos) {
        return SessionSerializerTest.delivery(topic, qos, false, Message.NEVER).viaSharedGroup(GROUP);
    }

    @Test
    @DisplayName("[MQTT-4.8.2-4] [MQTT-4.8.2-5] 4.8.2: the group's queued messages and unacknowledged QoS 1 ones "
            + "leave; its QoS 2 ones in flight (before or after PUBREC), other groups' and own messages stay")
    void handOffTakesOnlyWhatTheClientHasNotReceived() {
        SessionState s = new SessionState(100, OutboundQueue.OverflowPolicy.DROP_NEWEST);
        s.apply(new SessionEvent.Attached(MqttVersion.V5, true, 600, null, 0, 4));
        List.of(shared("jobs/1", Qos.AT_LEAST_ONCE),                      // id 1: awaiting PUBACK -> leaves
                shared("jobs/2", Qos.EXACTLY_ONCE),                       // id 2: PUBREC'd -> stays
                shared("jobs/3", Qos.EXACTLY_ONCE),                       // id 3: awaiting PUBREC -> stays
                SessionSerializerTest.delivery("own/1", Qos.AT_LEAST_ONCE, false, Message.NEVER), // id 4: own
                shared("jobs/5", Qos.AT_LEAST_ONCE),                      // queued -> leaves
                SessionSerializerTest.delivery("other/1", Qos.AT_LEAST_ONCE, false, Message.NEVER)
                        .viaSharedGroup("$share/h/other/#"))              // queued, other group -> stays
                .forEach(d -> s.apply(new SessionEvent.MessageQueued(d, NOW)));
        for (int i = 0; i < 4; i++) {
            s.apply(new SessionEvent.MessageSent(NOW));
        }
        s.apply(new SessionEvent.OutboundAcknowledged(2, OutboundAck.PUBREC));

        s.apply(new SessionEvent.SharedDeliveriesHandedOff(List.of(GROUP)));

        assertEquals(List.of(3, 4, 2), s.inflight().entries().stream().map(InflightWindow.Entry::packetId).toList());
        assertEquals(InflightWindow.Stage.AWAITING_PUBREC, s.inflight().get(3).stage());
        assertEquals(InflightWindow.Stage.AWAITING_PUBCOMP, s.inflight().get(2).stage());
        assertEquals(List.of("other/1"), s.queue().deliveries().stream().map(d -> d.message().topic()).toList());
        // The freed slot and identifier are usable again.
        s.apply(new SessionEvent.MessageQueued(shared("jobs/6", Qos.AT_LEAST_ONCE), NOW));
        s.apply(new SessionEvent.MessageSent(NOW));
        assertEquals(4, s.inflight().size());
        assertEquals(List.of("jobs/6"), s.queue().deliveries().stream().map(d -> d.message().topic()).toList());
    }

    @Test
    @DisplayName("[MQTT-4.8.2-6] a PUBACK or PUBREC of 0x80 or more discards the message: nothing is left for a "
            + "hand-off to offer another member")
    void refusedMessagesAreNotHandedOff() {
        SessionState s = new SessionState(100, OutboundQueue.OverflowPolicy.DROP_NEWEST);
        s.apply(new SessionEvent.Attached(MqttVersion.V5, true, 600, null, 0, 2));
        s.apply(new SessionEvent.MessageQueued(shared("jobs/1", Qos.AT_LEAST_ONCE), NOW));
        s.apply(new SessionEvent.MessageQueued(shared("jobs/2", Qos.EXACTLY_ONCE), NOW));
        s.apply(new SessionEvent.MessageSent(NOW));
        s.apply(new SessionEvent.MessageSent(NOW));

        s.apply(new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBACK));        // PUBACK 0x80
        s.apply(new SessionEvent.OutboundAcknowledged(2, OutboundAck.PUBREC_FAILED)); // PUBREC 0x80
        SessionState before = s.copy();
        s.apply(new SessionEvent.SharedDeliveriesHandedOff(List.of(GROUP)));

        assertEquals(0, s.inflight().size());
        assertEquals(0, s.queue().size());
        assertEquals(before, s, "the hand-off found nothing of the group to take");
    }
}
