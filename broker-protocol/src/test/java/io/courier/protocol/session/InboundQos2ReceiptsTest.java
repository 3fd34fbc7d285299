package io.courier.protocol.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class InboundQos2ReceiptsTest {

    @Test
    @DisplayName("a repeated PUBLISH before PUBREL is a duplicate, not routed again [MQTT-4.3.3-10] [MQTT-4.3.3-2]")
    void duplicateBeforePubRel() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        assertTrue(r.onPublish(42));
        assertFalse(r.onPublish(42));
        assertFalse(r.onPublish(42));
        assertEquals(1, r.size());
        assertTrue(r.contains(42));
    }

    @Test
    @DisplayName("PUBREL of a known identifier: PUBCOMP success, and the identifier names a new message after [MQTT-4.3.3-12]")
    void pubRelFreesIdentifier() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        r.onPublish(7);
        assertTrue(r.onPubRel(7));
        assertTrue(r.isEmpty());
        assertTrue(r.onPublish(7), "a PUBLISH after PUBCOMP is a new message");
    }

    @Test
    @DisplayName("PUBREL of an unknown identifier: not known (5.0 answers PUBCOMP 0x92)")
    void pubRelUnknown() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        r.onPublish(1);
        assertFalse(r.onPubRel(2));
        r.onPubRel(1);
        assertFalse(r.onPubRel(1), "a repeated PUBREL");
        assertEquals(0, r.size());
    }

    @Test
    @DisplayName("after a refusing PUBREC the identifier names a new message [MQTT-4.3.3-9]")
    void forgetAfterRefusal() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        assertTrue(r.onPublish(3));
        assertTrue(r.forget(3));
        assertFalse(r.forget(3));
        assertTrue(r.onPublish(3));
    }

    @Test
    @DisplayName("size() counts the receipts the engine checks against Receive Maximum (0x93)")
    void sizeCounts() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        for (int id = 1; id <= 100; id++) {
            r.onPublish(id * 600); // spread over many pages
        }
        r.onPublish(600);
        assertEquals(100, r.size());
        r.onPubRel(1_200);
        assertEquals(99, r.size());
    }

    @Test
    @DisplayName("identifiers 1 and 65535 are valid, 0 and 65536 are not")
    void range() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        assertTrue(r.onPublish(1));
        assertTrue(r.onPublish(65_535));
        assertThrows(IllegalArgumentException.class, () -> r.onPublish(0));
        assertThrows(IllegalArgumentException.class, () -> r.onPubRel(65_536));
        assertEquals(2, r.size());
    }

    @Test
    @DisplayName("copy() is equal, and mutating the copy leaves the original alone")
    void copyIsIndependent() {
        InboundQos2Receipts r = new InboundQos2Receipts();
        r.onPublish(1);
        r.onPublish(2_000);
        InboundQos2Receipts copy = r.copy();
        assertEquals(r, copy);
        assertEquals(r.hashCode(), copy.hashCode());

        copy.onPubRel(1);
        copy.onPublish(3);
        assertTrue(r.contains(1));
        assertFalse(r.contains(3));
        assertEquals(2, r.size());
        assertNotEquals(r, copy);
    }

    @Test
    @DisplayName("equality is by the set of identifiers, whatever order or history led there")
    void equalityIsBySet() {
        InboundQos2Receipts a = new InboundQos2Receipts();
        a.onPublish(1);
        a.onPublish(2);
        InboundQos2Receipts b = new InboundQos2Receipts();
        b.onPublish(2);
        b.onPublish(50_000); // touches, then empties, another page
        b.onPubRel(50_000);
        b.onPublish(1);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.onPubRel(2);
        assertNotEquals(a, b);
    }
}
