package io.courier.broker.connection;

import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.QueueOfferResult;
import org.apache.pekko.util.ByteString;

/**
 * The broker's side of one connection's socket: packets are encoded as the engine asks, gathered
 * while the actor handles one message, then offered to the bounded outbound queue as one write.
 * Owned by one connection actor; not thread safe.
 */
final class OutboundWrites {

    /** What {@link #flush()} achieved: all offered, held back (queue full), or given up. */
    enum Flushed { OK, HELD, OVERFLOW }

    private final BoundedSourceQueue<ByteString> queue;
    private final long maxHeldBytes;
    private ByteString pending = ByteString.emptyByteString();
    private boolean closed;

    OutboundWrites(BoundedSourceQueue<ByteString> queue, long maxHeldBytes) {
        this.queue = queue;
        this.maxHeldBytes = maxHeldBytes;
    }

    void write(MqttPacket packet, MqttVersion version) {
        pending = pending.concat(ByteString.fromArrayUnsafe(MqttEncoder.encode(packet, version)));
    }

    /** Drops what is gathered and not yet offered (after a failure, it may be half a story). */
    void discard() {
        pending = ByteString.emptyByteString();
    }

    /**
     * Offers what was gathered. A full queue is not a failure by itself: a client that reads
     * can still fall behind a burst (1,024 PUBACKs a publisher may have coming, say), so the
     * bytes are held and offered again on the next flush (HELD). Only when more than
     * {@code maxHeldBytes} are held does the client count as not reading (OVERFLOW, the stream
     * fails). A stream that has ended drops the bytes silently; its end reaches the actor anyway.
     */
    Flushed flush() {
        if (pending.isEmpty()) {
            return Flushed.OK;
        }
        if (closed) {
            pending = ByteString.emptyByteString();
            return Flushed.OK;
        }
        QueueOfferResult result = queue.offer(pending);
        if (result == QueueOfferResult.dropped()) {
            if (pending.size() > maxHeldBytes) {
                pending = ByteString.emptyByteString();
                fail(new IllegalStateException("outbound bytes held beyond the limit: the client does not read"));
                return Flushed.OVERFLOW;
            }
            return Flushed.HELD;
        }
        pending = ByteString.emptyByteString();
        return Flushed.OK;
    }

    /** Whether bytes wait for room in the queue. */
    boolean isHolding() {
        return !pending.isEmpty() && !closed;
    }

    /** Ends the stream after what is queued; the socket closes once that is written. */
    void complete() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (!queue.isCompleted()) {
                queue.complete();
            }
        } catch (IllegalStateException alreadyEnded) {
            // The stream ended it between the check and the call (the client closed first).
        }
    }

    /** Ends the stream at once, dropping what is queued: the socket is aborted. */
    void fail(Throwable cause) {
        closed = true;
        try {
            if (!queue.isCompleted()) {
                queue.fail(cause);
            }
        } catch (IllegalStateException alreadyEnded) {
            // As in complete(): nothing left to abort.
        }
    }

    boolean isClosed() {
        return closed;
    }
}
