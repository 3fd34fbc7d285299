package io.courier.protocol.session;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeout;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PacketIdAllocatorTest {

    private static final int MAX = 65_535;

    /** An allocator with every identifier in use, the last one allocated being 65535. */
    private static PacketIdAllocator exhausted() {
        PacketIdAllocator a = new PacketIdAllocator();
        for (int i = 1; i <= MAX; i++) {
            assertEquals(i, a.allocate());
        }
        return a;
    }

    @Test
    @DisplayName("identifiers start at 1 and are never 0 [MQTT-2.2.1-4] [MQTT-2.3.1-4]")
    void startsAtOne() {
        PacketIdAllocator a = new PacketIdAllocator();
        assertEquals(0, a.lastAllocated());
        assertEquals(1, a.allocate());
        assertEquals(2, a.allocate());
        assertEquals(3, a.allocate());
        assertEquals(3, a.inUseCount());
        assertTrue(a.isInUse(2));
        assertFalse(a.isInUse(4));
    }

    @Test
    @DisplayName("a released identifier is not reused at once: allocation cycles forward")
    void cyclesForward() {
        PacketIdAllocator a = new PacketIdAllocator();
        a.allocate();
        a.allocate();
        assertTrue(a.release(1));
        assertEquals(3, a.allocate());
        assertFalse(a.isInUse(1));
        assertEquals(2, a.inUseCount());
    }

    @Test
    @DisplayName("after 65535 the search wraps to 1, skipping identifiers still in use [MQTT-2.2.1-4]")
    void wrapsAround() {
        PacketIdAllocator a = exhausted();
        assertEquals(MAX, a.lastAllocated());
        a.release(1);
        a.release(3);
        a.release(MAX);
        assertEquals(1, a.allocate());
        assertEquals(3, a.allocate(), "2 is still in use");
        assertEquals(MAX, a.allocate());
        assertEquals(PacketIdAllocator.NONE, a.allocate());
    }

    @Test
    @DisplayName("wrap-around from 65535 goes to 1, not 0, when 1 is free")
    void wrapsToOneNotZero() {
        PacketIdAllocator a = exhausted();
        for (int i = 1; i < MAX; i++) {
            a.release(i);
        }
        assertEquals(1, a.inUseCount());
        assertEquals(1, a.allocate());
        assertEquals(2, a.allocate());
    }

    @Test
    @DisplayName("returns 0 when all 65,535 identifiers are in use, and does not change state")
    void noneWhenExhausted() {
        PacketIdAllocator a = exhausted();
        PacketIdAllocator before = a.copy();
        assertEquals(MAX, a.inUseCount());
        assertEquals(0, a.allocate());
        assertEquals(0, a.allocate());
        assertEquals(before, a);
    }

    @Test
    @DisplayName("with one identifier free out of 65,535, that one is found wherever it is")
    void nearlyFull() {
        PacketIdAllocator a = exhausted();
        for (int free : new int[] {12_345, 1, 1_023, 1_024, 64, 63, 65_534, 40_000}) {
            assertTrue(a.release(free));
            assertEquals(free, a.allocate(), "the only free identifier");
            assertEquals(MAX, a.inUseCount());
        }
    }

    @Test
    @DisplayName("with two free, the one after the last allocated comes first, then the wrapped one")
    void nearlyFullPicksForward() {
        PacketIdAllocator a = exhausted();
        a.release(500);
        assertEquals(500, a.allocate()); // last is now 500
        a.release(100);
        a.release(30_000);
        assertEquals(30_000, a.allocate());
        assertEquals(100, a.allocate());
        assertEquals(0, a.allocate());
    }

    @Test
    @DisplayName("churn at 65,534 in use stays cheap (no linear scan of the id space per allocation)")
    void churnWhenNearlyFullIsFast() {
        PacketIdAllocator a = exhausted();
        SplittableRandom random = new SplittableRandom(7);
        assertTimeout(Duration.ofSeconds(5), () -> {
            for (int i = 0; i < 300_000; i++) {
                int id = 1 + random.nextInt(MAX);
                assertTrue(a.release(id));
                assertEquals(id, a.allocate());
            }
        });
        assertEquals(MAX, a.inUseCount());
    }

    @Test
    @DisplayName("matches a straightforward model over random allocate/release sequences")
    void matchesModel() {
        SplittableRandom random = new SplittableRandom(42);
        PacketIdAllocator a = new PacketIdAllocator();
        BitSet modelInUse = new BitSet();
        int modelLast = 0;
        List<Integer> held = new ArrayList<>();
        boolean sawExhausted = false;
        for (int step = 0; step < 400_000; step++) {
            // Alternate growing phases (which reach "all in use") with shrinking ones (which empty
            // pages), so the cursor wraps many times over a fragmented id space.
            boolean growing = (step / 100_000) % 2 == 0;
            boolean allocate = random.nextInt(10) < (growing ? 9 : 1);
            if (allocate) {
                // The first free identifier after the last one, wrapping to 1; 0 when none is free.
                int expected = modelInUse.nextClearBit(modelLast == MAX ? 1 : modelLast + 1);
                if (expected > MAX) {
                    expected = modelInUse.nextClearBit(1);
                }
                if (expected > MAX) {
                    expected = 0;
                }
                int got = a.allocate();
                assertEquals(expected, got, "step " + step);
                sawExhausted |= got == 0;
                if (got != 0) {
                    modelInUse.set(got);
                    modelLast = got;
                    held.add(got);
                }
            } else if (!held.isEmpty()) {
                int index = random.nextInt(held.size());
                int id = held.get(index);
                held.set(index, held.get(held.size() - 1));
                held.remove(held.size() - 1);
                assertTrue(a.release(id));
                modelInUse.clear(id);
            }
            assertEquals(held.size(), a.inUseCount());
        }
        assertTrue(sawExhausted, "the sequence reached all 65,535 in use");
        for (int id = 1; id <= MAX; id++) {
            assertEquals(modelInUse.get(id), a.isInUse(id), "identifier " + id);
        }
    }

    @Test
    @DisplayName("release of an identifier not in use returns false and changes nothing")
    void releaseUnknown() {
        PacketIdAllocator a = new PacketIdAllocator();
        a.allocate();
        PacketIdAllocator before = a.copy();
        assertFalse(a.release(2));
        assertTrue(a.release(1));
        assertFalse(a.release(1), "a second release of the same identifier");
        assertEquals(0, a.inUseCount());
        assertNotEquals(before, a);
    }

    @Test
    @DisplayName("identifiers outside 1..65535 are rejected")
    void rangeChecked() {
        PacketIdAllocator a = new PacketIdAllocator();
        assertThrows(IllegalArgumentException.class, () -> a.release(0));
        assertThrows(IllegalArgumentException.class, () -> a.isInUse(65_536));
        assertThrows(IllegalArgumentException.class, () -> a.isInUse(-1));
    }

    @Test
    @DisplayName("copy() is equal, and mutating the copy leaves the original alone")
    void copyIsIndependent() {
        PacketIdAllocator a = new PacketIdAllocator();
        for (int i = 0; i < 2_000; i++) {
            a.allocate();
        }
        a.release(1_500);
        PacketIdAllocator copy = a.copy();
        assertEquals(a, copy);
        assertEquals(a.hashCode(), copy.hashCode());

        copy.release(7);
        copy.allocate();
        copy.allocate();
        assertTrue(a.isInUse(7));
        assertFalse(a.isInUse(2_001));
        assertEquals(1_999, a.inUseCount());
        assertEquals(2_000, a.lastAllocated());
        assertNotEquals(a, copy);
    }

    @Test
    @DisplayName("equality covers the cursor: same identifiers in use but a different next one differ")
    void equalityIncludesCursor() {
        PacketIdAllocator a = new PacketIdAllocator();
        PacketIdAllocator b = new PacketIdAllocator();
        a.allocate(); // 1
        b.allocate(); // 1
        b.allocate(); // 2
        b.release(2);
        assertEquals(a.inUseCount(), b.inUseCount());
        assertNotEquals(a, b);
        assertEquals(2, a.allocate());
        assertEquals(3, b.allocate());
    }

    @Test
    @DisplayName("same calls give equal allocators (replay is deterministic), across emptied pages")
    void deterministic() {
        PacketIdAllocator a = new PacketIdAllocator();
        PacketIdAllocator b = new PacketIdAllocator();
        for (PacketIdAllocator x : List.of(a, b)) {
            for (int i = 0; i < 3_000; i++) {
                x.allocate();
            }
            for (int i = 1; i <= 2_999; i++) {
                x.release(i);
            }
        }
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.allocate(), b.allocate());
    }
}
