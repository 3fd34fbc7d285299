package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.broker.connection.PublishAcknowledgements.Pending;
import io.courier.broker.connection.PublishAcknowledgements.Settlement;
import io.courier.broker.connection.PublishAcknowledgements.Stage;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PublishAcknowledgementsTest {

    private static final long TIMEOUT = 1_000L;
    private final PublishAcknowledgements acks = new PublishAcknowledgements(TIMEOUT);

    private static Message message(Qos qos, boolean retain) {
        return new Message("a/b", new byte[] {1}, qos, retain, MqttProperties.EMPTY, "pub", Message.NEVER);
    }

    @Test
    @DisplayName("QoS 1 settles only after every awaited Stored answer")
    void qos1WaitsForEveryStoredAnswer() {
        Pending p = acks.open(7, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 0);
        assertNull(acks.routed(p.id(), 3, false, true));
        assertNull(acks.stored(p.id()));
        assertNull(acks.stored(p.id()));
        assertTrue(acks.releasable().isEmpty(), "two of three answers are not enough");
        assertSame(p, acks.stored(p.id()));
        assertEquals(List.of(new Settlement(7, Qos.AT_LEAST_ONCE, true, false, false, false)), acks.releasable());
        assertEquals(0, acks.size());
    }

    @Test
    @DisplayName("nothing to wait for settles at once; 5.0 says no matching subscribers, 3.1.1 success")
    void nobodyMatched() {
        Pending p = acks.open(1, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 0);
        assertSame(p, acks.routed(p.id(), 0, false, false));
        Settlement s = acks.releasable().get(0);
        assertEquals(ReasonCode.NO_MATCHING_SUBSCRIBERS, s.reason(true));
        assertEquals(ReasonCode.SUCCESS, s.reason(false));
    }

    @Test
    @DisplayName("a retained publish also waits for the retained store; a refusal is 0x97 in 5.0 only")
    void retainedWaitsForTheStore() {
        Pending p = acks.open(2, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, true), 0);
        assertNull(acks.routed(p.id(), 1, true, true));
        assertNull(acks.stored(p.id()));
        assertTrue(acks.releasable().isEmpty(), "the retained store has not answered");
        assertSame(p, acks.retained(p.id(), false));
        Settlement s = acks.releasable().get(0);
        assertTrue(s.retainRefused());
        assertEquals(ReasonCode.QUOTA_EXCEEDED, s.reason(true));
        assertEquals(ReasonCode.SUCCESS, s.reason(false));
    }

    @Test
    @DisplayName("QoS 2: duplicate check, routing, then the receipt is recorded before PUBREC")
    void qos2Stages() {
        Pending p = acks.open(9, Qos.EXACTLY_ONCE, message(Qos.EXACTLY_ONCE, false), 0);
        assertEquals(Stage.CHECKING, p.stage());
        assertSame(p, acks.checking(9));
        acks.checked(p.id());
        assertEquals(Stage.ROUTING, p.stage());
        assertNull(acks.routed(p.id(), 1, false, true));
        assertSame(p, acks.stored(p.id()));
        assertEquals(Stage.RECORDING, p.stage());
        assertTrue(acks.releasable().isEmpty(), "not recorded yet");
        assertFalse(acks.recorded(10), "another packet id");
        assertTrue(acks.recorded(9));
        assertEquals(List.of(new Settlement(9, Qos.EXACTLY_ONCE, true, false, false, false)), acks.releasable());
    }

    @Test
    @DisplayName("[MQTT-4.3.3-10] a QoS 2 duplicate settles without routing")
    void qos2Duplicate() {
        Pending p = acks.open(4, Qos.EXACTLY_ONCE, message(Qos.EXACTLY_ONCE, false), 0);
        acks.duplicate(p.id());
        Settlement s = acks.releasable().get(0);
        assertTrue(s.duplicate());
        assertEquals(ReasonCode.SUCCESS, s.reason(true));
    }

    @Test
    @DisplayName("settlements leave in arrival order")
    void releasedInArrivalOrder() {
        Pending first = acks.open(1, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 0);
        Pending second = acks.open(2, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 0);
        acks.routed(first.id(), 1, false, true);
        assertNotNull(acks.routed(second.id(), 0, false, true));
        assertTrue(acks.releasable().isEmpty(), "the second waits for the first");
        acks.stored(first.id());
        List<Settlement> out = acks.releasable();
        assertEquals(2, out.size());
        assertEquals(1, out.get(0).packetId());
        assertEquals(2, out.get(1).packetId());
    }

    @Test
    @DisplayName("a timeout settles what has not answered, with 0x83 for 5.0; late answers are ignored")
    void timeout() {
        Pending early = acks.open(1, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 0);
        Pending late = acks.open(2, Qos.AT_LEAST_ONCE, message(Qos.AT_LEAST_ONCE, false), 500);
        acks.routed(early.id(), 2, false, true);
        acks.routed(late.id(), 1, false, true);
        assertEquals(TIMEOUT, acks.nextDeadlineNanos());
        assertEquals(0, acks.expire(TIMEOUT - 1));
        assertEquals(1, acks.expire(TIMEOUT));
        Settlement s = acks.releasable().get(0);
        assertEquals(1, s.packetId());
        assertTrue(s.timedOut());
        assertEquals(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR, s.reason(true));
        assertNull(acks.stored(early.id()), "a late answer finds nothing");
        assertEquals(500 + TIMEOUT, acks.nextDeadlineNanos());
        assertSame(late, acks.stored(late.id()));
        assertEquals(2, acks.releasable().get(0).packetId());
        assertEquals(-1, acks.nextDeadlineNanos());
    }

    @Test
    void qos0IsNeverAcknowledged() {
        assertThrows(IllegalArgumentException.class,
                () -> acks.open(0, Qos.AT_MOST_ONCE, message(Qos.AT_MOST_ONCE, false), 0));
    }
}
