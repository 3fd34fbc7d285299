package io.courier.protocol.session;

import static io.courier.protocol.session.OutboundQueue.OverflowPolicy.DROP_NEWEST;
import static io.courier.protocol.session.OutboundQueue.OverflowPolicy.DROP_OLDEST;
import static io.courier.protocol.session.TestDeliveries.expiring;
import static io.courier.protocol.session.TestDeliveries.q0;
import static io.courier.protocol.session.TestDeliveries.q1;
import static io.courier.protocol.session.TestDeliveries.q2;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.Qos;
import io.courier.protocol.session.OutboundQueue.OfferOutcome;
import io.courier.protocol.session.OutboundQueue.OfferOutcome.Accepted;
import io.courier.protocol.session.OutboundQueue.OfferOutcome.AcceptedWithEviction;
import io.courier.protocol.session.OutboundQueue.OfferOutcome.Rejected;
import io.courier.protocol.session.OutboundQueue.OverflowPolicy;
import io.courier.protocol.session.OutboundQueue.RejectReason;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OutboundQueueTest {

    private static final long NOW = 1_000_000;

    private static OutboundQueue queueOf(int capacity, OverflowPolicy policy, Delivery... deliveries) {
        OutboundQueue q = new OutboundQueue(capacity, policy);
        for (Delivery d : deliveries) {
            assertTrue(q.offer(d, NOW) instanceof Accepted);
        }
        return q;
    }

    private static List<String> topics(OutboundQueue q) {
        return q.deliveries().stream().map(d -> d.message().topic().substring(2)).toList();
    }

    @Test
    @DisplayName("first in, first out")
    void fifo() {
        OutboundQueue q = queueOf(10, DROP_NEWEST, q1("a"), q0("b"), q2("c"));
        assertEquals(3, q.size());
        assertEquals("t/a", q.poll(NOW).message().topic());
        assertEquals("t/b", q.poll(NOW).message().topic());
        assertEquals("t/c", q.poll(NOW).message().topic());
        assertNull(q.poll(NOW));
        assertTrue(q.isEmpty());
    }

    @Test
    @DisplayName("DROP_NEWEST, no QoS 0 queued: the incoming message is rejected and counted")
    void dropNewestWithoutQos0() {
        OutboundQueue q = queueOf(2, DROP_NEWEST, q1("a"), q2("b"));
        assertEquals(new Rejected(RejectReason.OVERFLOW), q.offer(q1("c"), NOW));
        assertEquals(List.of("a", "b"), topics(q));
        assertEquals(1, q.droppedOverflow());
        assertEquals(0, q.droppedExpired());
    }

    @Test
    @DisplayName("DROP_OLDEST, no QoS 0 queued: the head is evicted and returned")
    void dropOldestWithoutQos0() {
        Delivery a = q1("a");
        OutboundQueue q = queueOf(2, DROP_OLDEST, a, q2("b"));
        assertEquals(new AcceptedWithEviction(a), q.offer(q1("c"), NOW));
        assertEquals(List.of("b", "c"), topics(q));
        assertEquals(1, q.droppedOverflow());
    }

    @Test
    @DisplayName("DROP_NEWEST with QoS 0 queued: the newest queued QoS 0 message makes way for a QoS 1/2 one")
    void dropNewestWithQos0() {
        Delivery newestQos0 = q0("d");
        OutboundQueue q = queueOf(4, DROP_NEWEST, q0("a"), q1("b"), q1("c"), newestQos0);
        assertEquals(new AcceptedWithEviction(newestQos0), q.offer(q2("e"), NOW));
        assertEquals(List.of("a", "b", "c", "e"), topics(q));
        assertEquals(1, q.droppedOverflow());
    }

    @Test
    @DisplayName("DROP_OLDEST with QoS 0 queued: the oldest QoS 0 message goes, not the QoS 1 head")
    void dropOldestWithQos0() {
        Delivery oldestQos0 = q0("b");
        OutboundQueue q = queueOf(4, DROP_OLDEST, q1("a"), oldestQos0, q1("c"), q0("d"));
        assertEquals(new AcceptedWithEviction(oldestQos0), q.offer(q1("e"), NOW));
        assertEquals(List.of("a", "c", "d", "e"), topics(q));
    }

    @ParameterizedTest
    @DisplayName("an incoming QoS 0 message never displaces a QoS 1/2 one, under either policy")
    @EnumSource(OverflowPolicy.class)
    void incomingQos0NeverDisplacesQos1(OverflowPolicy policy) {
        OutboundQueue q = queueOf(2, policy, q1("a"), q2("b"));
        assertEquals(new Rejected(RejectReason.OVERFLOW), q.offer(q0("c"), NOW));
        assertEquals(List.of("a", "b"), topics(q));
        assertEquals(1, q.droppedOverflow());
    }

    @Test
    @DisplayName("incoming QoS 0 at a full queue holding QoS 0: DROP_NEWEST rejects it, DROP_OLDEST evicts the oldest QoS 0")
    void incomingQos0WithQos0Queued() {
        Delivery oldQos0 = q0("b");
        OutboundQueue newest = queueOf(3, DROP_NEWEST, q1("a"), oldQos0, q0("c"));
        assertEquals(new Rejected(RejectReason.OVERFLOW), newest.offer(q0("d"), NOW));
        assertEquals(List.of("a", "b", "c"), topics(newest));

        OutboundQueue oldest = queueOf(3, DROP_OLDEST, q1("a"), oldQos0, q0("c"));
        assertEquals(new AcceptedWithEviction(oldQos0), oldest.offer(q0("d"), NOW));
        assertEquals(List.of("a", "c", "d"), topics(oldest));
    }

    @Test
    @DisplayName("repeated overflow drains the QoS 0 messages first, then applies the policy to the rest")
    void repeatedOverflow() {
        OutboundQueue q = queueOf(3, DROP_OLDEST, q1("a"), q0("b"), q0("c"));
        assertTrue(q.offer(q1("d"), NOW) instanceof AcceptedWithEviction);
        assertTrue(q.offer(q1("e"), NOW) instanceof AcceptedWithEviction);
        assertEquals(List.of("a", "d", "e"), topics(q));
        assertEquals(new AcceptedWithEviction(q.deliveries().get(0)), q.offer(q1("f"), NOW));
        assertEquals(List.of("d", "e", "f"), topics(q));
        assertEquals(3, q.droppedOverflow());
    }

    @Test
    @DisplayName("a message already expired is refused and counted as expired [MQTT-3.3.2-5]")
    void offerExpired() {
        OutboundQueue q = new OutboundQueue(5, DROP_NEWEST);
        assertEquals(new Rejected(RejectReason.EXPIRED), q.offer(expiring("a", Qos.AT_LEAST_ONCE, NOW), NOW));
        assertTrue(q.isEmpty());
        assertEquals(1, q.droppedExpired());
        assertEquals(0, q.droppedOverflow());
    }

    @Test
    @DisplayName("expiry at the exact boundary: alive 1 ms before, dropped at the instant [MQTT-3.3.2-5]")
    void pollExpiryBoundary() {
        OutboundQueue q = new OutboundQueue(5, DROP_NEWEST);
        Delivery d = expiring("a", Qos.AT_LEAST_ONCE, NOW + 1_000);
        q.offer(d, NOW);
        q.offer(q1("b"), NOW);
        assertEquals(d, q.peek(NOW + 999));
        assertEquals(2, q.size(), "peek leaves the message in place");
        assertEquals(d, q.poll(NOW + 999));

        q = new OutboundQueue(5, DROP_NEWEST);
        q.offer(d, NOW);
        q.offer(q1("b"), NOW);
        assertEquals("t/b", q.poll(NOW + 1_000).message().topic());
        assertEquals(1, q.droppedExpired());
        assertTrue(q.isEmpty());
    }

    @Test
    @DisplayName("poll skips and counts every expired message before the next live one")
    void pollSkipsExpired() {
        OutboundQueue q = new OutboundQueue(5, DROP_NEWEST);
        q.offer(expiring("a", Qos.AT_MOST_ONCE, NOW + 10), NOW);
        q.offer(expiring("b", Qos.AT_LEAST_ONCE, NOW + 20), NOW);
        q.offer(q1("c"), NOW);
        q.offer(expiring("d", Qos.AT_LEAST_ONCE, NOW + 30), NOW);
        assertEquals("t/c", q.poll(NOW + 50).message().topic());
        assertEquals(2, q.droppedExpired());
        assertNull(q.poll(NOW + 50));
        assertEquals(3, q.droppedExpired());
    }

    @Test
    @DisplayName("a full queue drops its expired messages before dropping a live one")
    void overflowPurgesExpiredFirst() {
        OutboundQueue q = new OutboundQueue(2, DROP_NEWEST);
        q.offer(q1("a"), NOW);
        q.offer(expiring("b", Qos.AT_LEAST_ONCE, NOW + 10), NOW);
        assertSame(Accepted.class, q.offer(q1("c"), NOW + 10).getClass());
        assertEquals(List.of("a", "c"), topics(q));
        assertEquals(1, q.droppedExpired());
        assertEquals(0, q.droppedOverflow());
    }

    @Test
    @DisplayName("purgeExpired drops expired messages anywhere in the queue and keeps the QoS 0 count right")
    void purgeExpired() {
        OutboundQueue q = new OutboundQueue(3, DROP_OLDEST);
        q.offer(q1("a"), NOW);
        q.offer(expiring("b", Qos.AT_MOST_ONCE, NOW + 10), NOW);
        q.offer(q1("c"), NOW);
        assertEquals(1, q.purgeExpired(NOW + 10));
        assertEquals(0, q.purgeExpired(NOW + 10));
        assertEquals(List.of("a", "c"), topics(q));
        q.offer(q1("d"), NOW + 10);
        // With no QoS 0 left, an overflow must evict the head rather than hunt for a QoS 0.
        OfferOutcome outcome = q.offer(q1("e"), NOW + 10);
        assertEquals("t/a", ((AcceptedWithEviction) outcome).evicted().message().topic());
        assertEquals(List.of("c", "d", "e"), topics(q));
    }

    @Test
    @DisplayName("capacity must be at least 1")
    void capacityChecked() {
        assertThrows(IllegalArgumentException.class, () -> new OutboundQueue(0, DROP_NEWEST));
        OutboundQueue q = new OutboundQueue(1, DROP_OLDEST);
        assertEquals(1, q.capacity());
        assertEquals(DROP_OLDEST, q.policy());
    }

    @Test
    @DisplayName("copy() is equal, and mutating the copy leaves the original alone")
    void copyIsIndependent() {
        OutboundQueue q = queueOf(3, DROP_OLDEST, q1("a"), q0("b"), q2("c"));
        q.offer(q1("d"), NOW);
        OutboundQueue copy = q.copy();
        assertEquals(q, copy);
        assertEquals(q.hashCode(), copy.hashCode());

        copy.poll(NOW);
        copy.offer(q0("e"), NOW);
        copy.offer(q1("f"), NOW);
        assertEquals(List.of("a", "c", "d"), topics(q));
        assertEquals(1, q.droppedOverflow());
        assertNotEquals(q, copy);
    }

    @Test
    @DisplayName("equality covers contents in order, the counters, capacity and policy")
    void equality() {
        Delivery a = q1("a");
        Delivery b = q1("b");
        assertEquals(queueOf(3, DROP_NEWEST, a, b), queueOf(3, DROP_NEWEST, q1("a"), q1("b")));
        assertNotEquals(queueOf(3, DROP_NEWEST, a, b), queueOf(3, DROP_NEWEST, b, a));
        assertNotEquals(queueOf(3, DROP_NEWEST, a), queueOf(4, DROP_NEWEST, a));
        assertNotEquals(queueOf(3, DROP_NEWEST, a), queueOf(3, DROP_OLDEST, a));

        OutboundQueue counted = queueOf(3, DROP_NEWEST, a);
        counted.offer(expiring("x", Qos.AT_LEAST_ONCE, NOW), NOW);
        assertNotEquals(queueOf(3, DROP_NEWEST, a), counted);
        assertFalse(counted.equals(null));
    }
}
