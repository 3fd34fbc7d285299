package io.courier.broker.routing;

import io.courier.protocol.message.Message;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The node's retained messages, durable (event-sourced) and bounded by count and bytes. It
 * writes through to the node's {@code RetainedIndex} replica, which subscribers read without
 * asking the actor.
 */
public final class RetainedStore {

    private RetainedStore() {
    }

    /** Commands. */
    public sealed interface Command {
    }

    /**
     * Store (or, with an empty payload, delete [MQTT-3.3.1-10]) the retained message for its
     * topic; answers {@link Retained} once durable.
     */
    public record Retain(Message message, ActorRef<Retained> replyTo, long correlationId) implements Command {
    }

    /** Answer to {@link Retain}: {@code accepted} false when the store is full (5.0: 0x97). */
    public record Retained(long correlationId, boolean accepted) {
    }
}
