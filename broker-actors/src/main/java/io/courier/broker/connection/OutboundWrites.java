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

    /** What {@link #flush()} achieved. */
    enum Flushed { OK, OVERFLOW }

    private final BoundedSourceQueue<ByteString> queue;
    private ByteString pending = ByteString.emptyByteString();
    private boolean closed;

    OutboundWrites(BoundedSourceQueue<ByteString> queue) {
        this.queue = queue;
    }

    void write(MqttPacket packet, MqttVersion version) {
        pending = pending.concat(ByteString.fromArrayUnsafe(MqttEncoder.encode(packet, version)));
    }

    /** Drops what is gathered and not yet offered (after a failure, it may be half a story). */
    void discard() {
        pending = ByteString.emptyByteString();
    }

    /**
     * Offers what was gathered. A full queue fails the stream (the client does not read) and
     * reports OVERFLOW; a stream that has ended drops the bytes silently, as its end is reported
     * to the actor anyway.
     */
    Flushed flush() {
        if (pending.isEmpty()) {
            return Flushed.OK;
        }
        ByteString out = pending;
        pending = ByteString.emptyByteString();
        if (closed) {
            return Flushed.OK;
        }
        if (queue.offer(out) == QueueOfferResult.dropped()) {
            fail(new IllegalStateException("outbound buffer full: the client does not read"));
            return Flushed.OVERFLOW;
        }
        return Flushed.OK;
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
