package io.courier.broker.session;

import io.courier.protocol.engine.Effect;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.session.Delivery;
import java.util.List;

/**
 * What happened to a session, in the past tense. Persisted only while the session outlives
 * its connection (Session Expiry Interval > 0); a session that ends with its connection applies
 * the same events in memory and never writes (ARCHITECTURE.md section 4). Every event is
 * deterministic: times are inside the event, never read while applying it.
 */
public sealed interface SessionEvent {

    /** A connection attached; {@code cleanStart} discarded whatever the session held. */
    record Attached(MqttVersion version, boolean cleanStart, long sessionExpirySeconds, Message will,
                    long willDelaySeconds, int receiveMaximum) implements SessionEvent {
    }

    /** The connection ended at {@code atMillis}; {@code keepWill} false discards the will. */
    record Detached(long atMillis, long sessionExpirySeconds, boolean keepWill) implements SessionEvent {
    }

    record SubscriptionAdded(String topicFilter, SubscriptionOptions options, int subscriptionIdentifier)
            implements SessionEvent {
    }

    record SubscriptionRemoved(String topicFilter) implements SessionEvent {
    }

    /** A QoS 1/2 message joined the queue (QoS 0 is never persisted). */
    record MessageQueued(Delivery delivery, long atMillis) implements SessionEvent {
    }

    /**
     * The queue's first unexpired message moved into the inflight window under the next free
     * packet id; which message and which id follow from the state, so the event needs neither.
     */
    record MessageSent(long atMillis) implements SessionEvent {
    }

    record OutboundAcknowledged(int packetId, Effect.OutboundAck kind) implements SessionEvent {
    }

    record InboundQos2Recorded(int packetId) implements SessionEvent {
    }

    record InboundQos2Released(int packetId) implements SessionEvent {
    }

    /**
     * The messages this session held through these shared subscription groups went to other
     * members of the groups (4.8.2): every queued one, and each QoS 1 one in flight without its
     * PUBACK (its packet id freed). QoS 2 messages in flight stay [MQTT-4.8.2-4].
     */
    record SharedDeliveriesHandedOff(List<String> groups) implements SessionEvent {
        public SharedDeliveriesHandedOff {
            groups = List.copyOf(groups);
        }
    }

    /** The will went out (or was dropped by expiry); it is not sent again. */
    record WillPublished() implements SessionEvent {
    }

    /** The session expired or was discarded: everything is forgotten. */
    record Ended() implements SessionEvent {
    }
}
