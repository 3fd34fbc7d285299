package io.courier.app.loadtool;

import java.nio.ByteBuffer;

/**
 * The first {@value #SIZE} bytes of every payload the tool publishes: which publisher sent it,
 * its sequence number within that publisher (from 0, no gaps), and when it was meant to be sent
 * ({@link System#nanoTime()} of the tool's JVM; publishers and subscribers live in the same
 * JVM, so the clock is the same one). The rest of the payload is zeros.
 *
 * <p>With a fixed rate the time is the <em>scheduled</em> send time, not the moment the client
 * got to it, so a broker that stalls the publisher is charged for the wait (no coordinated
 * omission).
 */
public final class PayloadHeader {

    /** Publisher index (int), sequence (long), send time in nanoseconds (long). */
    public static final int SIZE = 4 + 8 + 8;

    private PayloadHeader() {
    }

    public static byte[] write(int payloadSize, int publisher, long sequence, long sentNanos) {
        byte[] payload = new byte[payloadSize];
        ByteBuffer.wrap(payload).putInt(publisher).putLong(sequence).putLong(sentNanos);
        return payload;
    }

    /** The header of a received payload, or null when it is not one of the tool's. */
    public static Header read(ByteBuffer payload) {
        if (payload.remaining() < SIZE) {
            return null;
        }
        int at = payload.position();
        return new Header(payload.getInt(at), payload.getLong(at + 4), payload.getLong(at + 12));
    }

    public record Header(int publisher, long sequence, long sentNanos) {
    }
}
