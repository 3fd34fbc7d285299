package io.courier.broker.session;

import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.session.Delivery;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * What a session entity (sharded by client id) is asked to do. Commands that come from a
 * connection carry that connection's address: the session answers it with {@link EngineInput}
 * values, and ignores commands from a connection that is no longer the attached one (after a
 * takeover, the old connection's late packets must not touch the session).
 */
public sealed interface SessionCommand {

    /**
     * Attach a connection: resume or create the session (discarding it on clean start), take
     * over from any connection attached before [MQTT-3.1.4-3], answer {@code SessionOpened},
     * then resend what is inflight and deliver what is queued.
     */
    record Attach(
            ActorRef<EngineInput> connection,
            MqttVersion version,
            boolean cleanStart,
            long sessionExpirySeconds,
            Message will,
            long willDelaySeconds,
            int receiveMaximum) implements SessionCommand {
    }

    /** The attached connection ended; {@code how} decides about the will. */
    record Detach(ActorRef<EngineInput> connection, Effect.SessionEnd how, long sessionExpirySeconds)
            implements SessionCommand {
    }

    /**
     * A message for this session from a router. When {@code replyTo} is not null the sender
     * waits for {@link Stored} with {@code correlationId} before acknowledging its publisher:
     * the session answers once the message is durable (persistent session) or queued (session
     * that ends with its connection).
     */
    record Enqueue(Delivery delivery, ActorRef<Stored> replyTo, long correlationId) implements SessionCommand {
    }

    /** Answer to {@link Enqueue}. {@code accepted} false means dropped (queue full, expired). */
    record Stored(long correlationId, boolean accepted) {
    }

    /** SUBSCRIBE from the attached connection; answered with {@code Subscribed}. */
    record Subscribe(ActorRef<EngineInput> connection, int packetId, List<Effect.SubscribeEntry> entries,
                     int subscriptionIdentifier) implements SessionCommand {
    }

    /** UNSUBSCRIBE from the attached connection; answered with {@code Unsubscribed}. */
    record Unsubscribe(ActorRef<EngineInput> connection, int packetId, List<Effect.UnsubscribeEntry> entries)
            implements SessionCommand {
    }

    /**
     * Before routing an inbound QoS 2 PUBLISH: is this packet id already received and not yet
     * released? A duplicate must not be routed again [MQTT-4.3.3-10].
     */
    record CheckInboundQos2(int packetId, ActorRef<Qos2Verdict> replyTo) implements SessionCommand {
    }

    /** Answer to {@link CheckInboundQos2}. */
    record Qos2Verdict(int packetId, boolean duplicate) {
    }

    /**
     * An inbound QoS 2 message has been routed: remember its packet id until PUBREL, then answer
     * {@link Qos2Recorded}. Recorded after routing, never before, so a crash in between can
     * cause a duplicate but never a loss.
     */
    record RecordInboundQos2(int packetId, ActorRef<Qos2Recorded> replyTo) implements SessionCommand {
    }

    /** Answer to {@link RecordInboundQos2}. */
    record Qos2Recorded(int packetId) {
    }

    /** PUBREL from the attached connection; answered with {@code InboundReleased}. */
    record ReleaseInboundQos2(ActorRef<EngineInput> connection, int packetId) implements SessionCommand {
    }

    /** PUBACK / PUBREC / PUBCOMP (or a discard) for an outbound message. */
    record Acknowledge(ActorRef<EngineInput> connection, int packetId, Effect.OutboundAck kind)
            implements SessionCommand {
    }

    /**
     * Sent to every persistent session when the node starts: recovery puts its subscriptions
     * back into the node's trie, and its will and expiry timers back on the clock.
     */
    record Wake() implements SessionCommand {
    }

    /** Timer: the will's delay ran out [MQTT-3.1.3-9]. */
    record WillDelayElapsed() implements SessionCommand {
    }

    /** Timer: the Session Expiry Interval ran out after the connection closed. */
    record ExpiryElapsed() implements SessionCommand {
    }

    /** After recovery: the node stopped while a client was attached, which counts as abnormal. */
    record RecoveredWhileAttached() implements SessionCommand {
    }

    /**
     * Sharding's stop message: the shard moves to another node (rebalance, graceful leave). The
     * entity leaves this node's trie and has itself woken at its new place.
     */
    record HandOff() implements SessionCommand {
    }
}
