package io.courier.broker.connection;

import java.util.concurrent.atomic.LongAdder;

/**
 * What the connections of one listener dropped or gave up on, so that nothing is lost silently
 * (ARCHITECTURE.md section 4). Shared by every connection actor of the listener; metrics read it.
 */
public final class ConnectionCounters {

    private final LongAdder opened = new LongAdder();
    private final LongAdder closed = new LongAdder();
    private final LongAdder retainedRefused = new LongAdder();
    private final LongAdder publishAckTimeouts = new LongAdder();
    private final LongAdder outboundOverflows = new LongAdder();
    private final LongAdder internalErrors = new LongAdder();
    private final LongAdder packetsTooLarge = new LongAdder();

    /** Connections accepted. */
    public long opened() {
        return opened.sum();
    }

    /** Connections ended (their actor stopped); {@code opened() - closed()} are open now. */
    public long closed() {
        return closed.sum();
    }

    /** Retained messages the retained store refused (full); 3.1.1 publishers cannot be told. */
    public long retainedRefused() {
        return retainedRefused.sum();
    }

    /** QoS 1/2 publishes whose sessions did not all answer within the publish-ack timeout. */
    public long publishAckTimeouts() {
        return publishAckTimeouts.sum();
    }

    /** Connections failed because the client read too slowly for the outbound buffer. */
    public long outboundOverflows() {
        return outboundOverflows.sum();
    }

    /** Connections closed because of a bug in the broker (logged with the cause). */
    public long internalErrors() {
        return internalErrors.sum();
    }

    void connectionOpened() {
        opened.increment();
    }

    void connectionClosed() {
        closed.increment();
    }

    void retainRefused() {
        retainedRefused.increment();
    }

    void publishAckTimedOut() {
        publishAckTimeouts.increment();
    }

    void outboundOverflowed() {
        outboundOverflows.increment();
    }

    void internalError() {
        internalErrors.increment();
    }

    /** Packets (PUBLISH included) not sent because the client's Maximum Packet Size refused them [MQTT-3.1.2-25]. */
    public long packetsTooLarge() {
        return packetsTooLarge.sum();
    }

    void packetTooLarge() {
        packetsTooLarge.increment();
    }
}
