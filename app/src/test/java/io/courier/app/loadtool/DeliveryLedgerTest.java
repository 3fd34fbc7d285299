package io.courier.app.loadtool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** The counting rules on their own; LoadToolIT proves them against a real broker. */
class DeliveryLedgerTest {

    private static ByteBuffer message(int publisher, long sequence, long sentNanos) {
        return ByteBuffer.wrap(PayloadHeader.write(64, publisher, sequence, sentNanos));
    }

    @Test
    void aRepeatedSequenceIsADuplicateAndAGapIsLost() {
        DeliveryLedger ledger = new DeliveryLedger(Layout.FAN_IN, 2, 1);
        for (long seq : new long[] {0, 1, 1, 2, 4}) { // 3 missing, 1 twice
            ledger.arrived(0, message(0, seq, 0), 10);
        }
        for (long seq = 0; seq < 5; seq++) {
            ledger.arrived(0, message(1, seq, 0), 10);
        }
        DeliveryLedger.Tally t = ledger.tally(new long[] {5, 5});
        assertEquals(new DeliveryLedger.Tally(10, 9, 1, 1), t);
        assertEquals(10, ledger.arrivals());
    }

    @Test
    void fanOutExpectsEveryMessageAtEverySubscriber() {
        DeliveryLedger ledger = new DeliveryLedger(Layout.FAN_OUT, 1, 3);
        for (int s = 0; s < 2; s++) { // subscriber 2 gets nothing
            for (long seq = 0; seq < 4; seq++) {
                ledger.arrived(s, message(0, seq, 0), 10);
            }
        }
        assertEquals(new DeliveryLedger.Tally(12, 8, 0, 4), ledger.tally(new long[] {4}));
    }

    @Test
    void aSharedGroupGettingOneMessageTwiceIsADuplicateWhicheverMembersGotIt() {
        DeliveryLedger ledger = new DeliveryLedger(Layout.SHARED, 1, 3);
        ledger.arrived(0, message(0, 0, 0), 10);
        ledger.arrived(1, message(0, 1, 0), 10);
        ledger.arrived(2, message(0, 1, 0), 10);
        assertEquals(new DeliveryLedger.Tally(2, 2, 1, 0), ledger.tally(new long[] {2}));
    }

    @Test
    void pairsCountAMessageAtTheWrongSubscriberAsUnexpected() {
        DeliveryLedger ledger = new DeliveryLedger(Layout.PAIRS, 2, 2);
        ledger.arrived(0, message(0, 0, 0), 10);
        ledger.arrived(1, message(0, 1, 0), 10);
        ledger.arrived(1, ByteBuffer.wrap(new byte[] {1, 2, 3}), 10);
        assertEquals(2, ledger.unexpected());
        assertEquals(new DeliveryLedger.Tally(2, 1, 0, 1), ledger.tally(new long[] {2, 0}));
    }

    @Test
    void latencyIsRecordedOnlyForMessagesSentWhileMeasuring() {
        DeliveryLedger ledger = new DeliveryLedger(Layout.FAN_IN, 1, 1);
        ledger.startMeasuring(1_000_000);
        ledger.arrived(0, message(0, 0, 500_000), 1_600_000);   // sent during warm-up
        ledger.arrived(0, message(0, 1, 1_000_000), 3_000_000); // 2 ms
        ledger.stopMeasuring(5_000_000);
        ledger.arrived(0, message(0, 2, 6_000_000), 7_000_000); // sent during the drain
        var h = ledger.latencySinceLastCall();
        assertEquals(1, h.getTotalCount());
        assertEquals(2_000, h.getMaxValue(), 2);
        assertEquals(2, ledger.measuredArrivals());
    }

    @Test
    void trackerCountsDistinctSequencesBelowALimit() {
        SequenceTracker t = new SequenceTracker();
        for (long seq : new long[] {0, 63, 64, 65, 1000, 1000}) {
            t.arrived(seq);
        }
        assertEquals(5, t.unique());
        assertEquals(1, t.duplicates());
        assertEquals(2, t.uniqueBelow(64));
        assertEquals(4, t.uniqueBelow(66));
        assertEquals(5, t.uniqueBelow(5000));
    }
}
