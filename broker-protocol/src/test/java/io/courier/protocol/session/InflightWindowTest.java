package io.courier.protocol.session;

import static io.courier.protocol.session.TestDeliveries.expiring;
import static io.courier.protocol.session.TestDeliveries.q0;
import static io.courier.protocol.session.TestDeliveries.q1;
import static io.courier.protocol.session.TestDeliveries.q2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.session.InflightWindow.Entry;
import io.courier.protocol.session.InflightWindow.Stage;
import io.courier.protocol.session.Resend.ResendPubRel;
import io.courier.protocol.session.Resend.ResendPublish;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InflightWindowTest {

    @Test
    @DisplayName("QoS 1: PUBLISH awaits PUBACK; PUBACK ends the flow and returns the entry")
    void qos1Flow() {
        InflightWindow w = new InflightWindow(10);
        Delivery d = q1("a");
        Entry added = w.add(7, d);
        assertEquals(new Entry(7, Stage.AWAITING_PUBACK, d), added);
        assertEquals(added, w.get(7));
        assertEquals(1, w.size());

        assertEquals(added, w.onPubAck(7));
        assertTrue(w.isEmpty());
        assertNull(w.onPubAck(7), "a second PUBACK for the same identifier is unknown");
    }

    @Test
    @DisplayName("QoS 2: unacknowledged until PUBREC [MQTT-4.3.3-3]; PUBREC moves the flow to AWAITING_PUBCOMP and drops "
            + "the message [MQTT-4.3.3-4] [MQTT-4.3.3-6]")
    void qos2Flow() {
        InflightWindow w = new InflightWindow(10);
        Delivery d = q2("a");
        assertEquals(Stage.AWAITING_PUBREC, w.add(1, d).stage());
        // Until its PUBREC nothing else ends or advances the flow, and the message stays to be resent.
        assertNull(w.onPubAck(1));
        assertNull(w.onPubComp(1));
        assertEquals(d, w.get(1).delivery());
        assertEquals(List.of(new Resend.ResendPublish(1, d)), w.resendOrder());

        assertTrue(w.onPubRec(1));
        Entry e = w.get(1);
        assertEquals(Stage.AWAITING_PUBCOMP, e.stage());
        assertNull(e.delivery());
        assertEquals(1, w.size(), "the PUBREL is unacknowledged until PUBCOMP [MQTT-4.3.3-5]");

        assertEquals(e, w.onPubComp(1));
        assertTrue(w.isEmpty());
        assertNull(w.onPubComp(1));
    }

    @Test
    @DisplayName("PUBREC for an unknown identifier, or for a QoS 1 flow, is not known (5.0: PUBREL 0x92)")
    void pubRecUnknown() {
        InflightWindow w = new InflightWindow(10);
        w.add(1, q1("a"));
        InflightWindow before = w.copy();
        assertFalse(w.onPubRec(2));
        assertFalse(w.onPubRec(1), "identifier 1 is a QoS 1 flow");
        assertEquals(Stage.AWAITING_PUBACK, w.get(1).stage());
        assertEquals(before, w);
    }

    @Test
    @DisplayName("a repeated PUBREC is known (send PUBREL again) and does not reorder the window")
    void repeatedPubRec() {
        InflightWindow w = new InflightWindow(10);
        w.add(1, q2("a"));
        w.add(2, q1("b"));
        assertTrue(w.onPubRec(1));
        w.add(3, q1("c"));
        assertTrue(w.onPubRec(1));
        assertEquals(List.of(2, 1, 3), w.entries().stream().map(Entry::packetId).toList());
    }

    @Test
    @DisplayName("acknowledgements of the wrong kind for a flow's stage are ignored")
    void wrongStageAcks() {
        InflightWindow w = new InflightWindow(10);
        w.add(1, q2("a"));
        w.add(2, q1("b"));
        assertNull(w.onPubAck(1), "PUBACK for a QoS 2 flow");
        assertNull(w.onPubComp(1), "PUBCOMP before PUBREC");
        assertNull(w.onPubComp(2), "PUBCOMP for a QoS 1 flow");
        assertNull(w.onPubRecError(2), "PUBREC error for a QoS 1 flow");
        w.onPubRec(1);
        assertNull(w.onPubRecError(1), "PUBREC error after PUBREL was sent");
        assertEquals(2, w.size());
    }

    @Test
    @DisplayName("PUBACK with an error reason code ends the flow too [MQTT-4.4.0-2]")
    void pubAckErrorEndsFlow() {
        InflightWindow w = new InflightWindow(1);
        w.add(5, q1("a"));
        assertEquals(5, w.onPubAck(5).packetId());
        assertTrue(w.hasRoom());
    }

    @Test
    @DisplayName("PUBREC with an error reason code ends the flow; the PUBLISH is not re-sent [MQTT-4.4.0-2]")
    void pubRecErrorEndsFlow() {
        InflightWindow w = new InflightWindow(10);
        Delivery d = q2("a");
        w.add(1, d);
        w.add(2, q2("b"));
        assertEquals(new Entry(1, Stage.AWAITING_PUBREC, d), w.onPubRecError(1));
        assertFalse(w.contains(1));
        assertNull(w.onPubRecError(1));
        assertEquals(List.of(2), w.resendOrder().stream().map(Resend::packetId).toList());
    }

    @Test
    @DisplayName("the window holds at most its capacity, including flows awaiting PUBCOMP [MQTT-3.3.4-9] [MQTT-4.9.0-2]")
    void capacity() {
        InflightWindow w = new InflightWindow(2);
        assertTrue(w.hasRoom());
        w.add(1, q2("a"));
        w.add(2, q1("b"));
        assertFalse(w.hasRoom());
        assertThrows(IllegalStateException.class, () -> w.add(3, q1("c")));

        w.onPubRec(1);
        assertFalse(w.hasRoom(), "a flow awaiting PUBCOMP still holds its slot");
        w.onPubAck(2);
        assertTrue(w.hasRoom());
        w.add(3, q1("c"));
        assertFalse(w.hasRoom());
        w.onPubComp(1);
        assertTrue(w.hasRoom());
    }

    @Test
    @DisplayName("a smaller capacity on resumption keeps every entry and blocks new sends until flows end")
    void shrinkCapacity() {
        InflightWindow w = new InflightWindow(5);
        for (int id = 1; id <= 4; id++) {
            w.add(id, q1("m" + id));
        }
        w.setCapacity(2);
        assertEquals(4, w.size());
        assertFalse(w.hasRoom());
        w.onPubAck(1);
        w.onPubAck(2);
        assertFalse(w.hasRoom());
        w.onPubAck(3);
        assertTrue(w.hasRoom());
    }

    @Test
    @DisplayName("QoS 0 deliveries, repeated identifiers and capacities outside 1..65535 are refused")
    void rejectsMisuse() {
        InflightWindow w = new InflightWindow(3);
        assertThrows(IllegalArgumentException.class, () -> w.add(1, q0("a")));
        w.add(1, q1("a"));
        assertThrows(IllegalStateException.class, () -> w.add(1, q2("b")));
        assertThrows(IllegalArgumentException.class, () -> w.add(0, q1("c")));
        assertThrows(IllegalArgumentException.class, () -> new InflightWindow(0));
        assertThrows(IllegalArgumentException.class, () -> new InflightWindow(65_536));
        assertEquals(1, w.size());
    }

    @Test
    @DisplayName("resend after mixed stages: PUBLISHes in send order [MQTT-4.6.0-1], PUBRELs in PUBREC order [MQTT-4.6.0-4]")
    void resendOrderMixedStages() {
        InflightWindow w = new InflightWindow(10);
        Delivery d1 = q1("one");
        Delivery d3 = q2("three");
        Delivery d6 = q1("six");
        w.add(1, d1);
        w.add(2, q2("two"));
        w.add(3, d3);
        w.add(4, q1("four"));
        w.add(5, q2("five"));
        assertTrue(w.onPubRec(5)); // PUBRECs arrive out of send order: 5 first, then 2
        assertTrue(w.onPubRec(2));
        assertEquals(4, w.onPubAck(4).packetId());
        w.add(6, d6);

        assertEquals(List.of(
                        new ResendPublish(1, d1),
                        new ResendPublish(3, d3),
                        new ResendPubRel(5),
                        new ResendPubRel(2),
                        new ResendPublish(6, d6)),
                w.resendOrder());
        assertEquals(5, w.size(), "resendOrder does not change the window");
    }

    @Test
    @DisplayName("resent packets: PUBLISH with DUP=1 and its original identifier [MQTT-4.4.0-1] [MQTT-3.3.1-1], PUBREL success")
    void resendPackets() {
        InflightWindow w = new InflightWindow(10);
        w.add(9, q1("a"));
        w.add(10, q2("b"));
        w.onPubRec(10);
        List<Resend> resend = w.resendOrder();

        Publish p = (Publish) resend.get(0).toPacket(0);
        assertTrue(p.dup());
        assertEquals(9, p.packetId());
        assertEquals(Qos.AT_LEAST_ONCE, p.qos());
        assertEquals("t/a", p.topic());
        assertEquals(PubRel.success(10), resend.get(1).toPacket(0));
    }

    @Test
    @DisplayName("a sent message that expires stays in flight and is resent with expiry 1 [MQTT-4.3.3-7]")
    void noExpiryInFlight() {
        InflightWindow w = new InflightWindow(10);
        w.add(1, expiring("a", Qos.EXACTLY_ONCE, 5_000));
        Publish p = (Publish) w.resendOrder().get(0).toPacket(60_000);
        assertTrue(p.dup());
        assertEquals(1L, p.properties().longValue(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1));
        assertEquals(1, w.size());
    }

    @Test
    @DisplayName("copy() is equal, and mutating the copy leaves the original alone")
    void copyIsIndependent() {
        InflightWindow w = new InflightWindow(4);
        w.add(1, q1("a"));
        w.add(2, q2("b"));
        w.add(3, q2("c"));
        w.onPubRec(2);
        InflightWindow copy = w.copy();
        assertEquals(w, copy);
        assertEquals(w.hashCode(), copy.hashCode());

        copy.onPubAck(1);
        copy.onPubRec(3);
        copy.onPubComp(2);
        copy.add(4, q1("d"));
        copy.setCapacity(9);
        assertEquals(List.of(1, 3, 2), w.entries().stream().map(Entry::packetId).toList());
        assertEquals(Stage.AWAITING_PUBREC, w.get(3).stage());
        assertEquals(4, w.capacity());
        assertNotEquals(w, copy);
    }

    @Test
    @DisplayName("equality includes order (it decides the resend order) and capacity")
    void equalityIncludesOrderAndCapacity() {
        Delivery a = q1("a");
        Delivery b = q1("b");
        InflightWindow ab = new InflightWindow(4);
        ab.add(1, a);
        ab.add(2, b);
        InflightWindow ba = new InflightWindow(4);
        ba.add(2, b);
        ba.add(1, a);
        InflightWindow same = new InflightWindow(4);
        same.add(1, q1("a"));
        same.add(2, q1("b"));
        InflightWindow bigger = new InflightWindow(5);
        bigger.add(1, a);
        bigger.add(2, b);

        assertEquals(ab, same);
        assertEquals(ab.hashCode(), same.hashCode());
        assertNotEquals(ab, ba);
        assertNotEquals(ab, bigger);
    }

    @Test
    @DisplayName("an entry keeps its delivery until PUBREC and only until then")
    void entryInvariant() {
        assertThrows(IllegalArgumentException.class, () -> new Entry(1, Stage.AWAITING_PUBCOMP, q2("a")));
        assertThrows(IllegalArgumentException.class, () -> new Entry(1, Stage.AWAITING_PUBACK, null));
        assertEquals(1, new Entry(1, Stage.AWAITING_PUBCOMP, null).packetId());
    }
}
