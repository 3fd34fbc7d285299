package io.courier.app.loadtool;

/**
 * The sequence numbers one receiver got from one publisher, as a growing bit set: the first
 * arrival of a number sets its bit, any later arrival is a duplicate. Not thread-safe; each
 * tracker is only touched under its own lock ({@link DeliveryLedger}).
 */
final class SequenceTracker {

    private long[] bits = new long[16];
    private long unique;
    private long duplicates;

    /** Records one arrival; true if it was the first of this sequence number. */
    boolean arrived(long sequence) {
        if (sequence < 0) {
            throw new IllegalArgumentException("negative sequence " + sequence);
        }
        int word = Math.toIntExact(sequence >>> 6);
        if (word >= bits.length) {
            bits = java.util.Arrays.copyOf(bits, Math.max(word + 1, bits.length * 2));
        }
        long mask = 1L << (sequence & 63);
        if ((bits[word] & mask) != 0) {
            duplicates++;
            return false;
        }
        bits[word] |= mask;
        unique++;
        return true;
    }

    long unique() {
        return unique;
    }

    long duplicates() {
        return duplicates;
    }

    /** Distinct sequence numbers below {@code limit} that arrived. */
    long uniqueBelow(long limit) {
        long count = 0;
        int fullWords = (int) Math.min(bits.length, limit >>> 6);
        for (int i = 0; i < fullWords; i++) {
            count += Long.bitCount(bits[i]);
        }
        if (fullWords < bits.length && (limit & 63) != 0) {
            count += Long.bitCount(bits[fullWords] & ((1L << (limit & 63)) - 1));
        }
        return count;
    }
}
