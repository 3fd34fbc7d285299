package io.courier.protocol.engine;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubscriptionOptions;
import java.util.List;

/**
 * What the engine asks its owner to do. The engine never routes, stores or writes itself: it
 * returns these, and the connection owner carries them out in order.
 */
public sealed interface Effect {

    /** Write a packet to the client, encoded for {@code version}. */
    record Send(MqttPacket packet, MqttVersion version) implements Effect {
    }

    /**
     * A packet was not sent because the client could not accept it (too large for its Maximum
     * Packet Size [MQTT-3.1.2-25]); for the owner to count and log. For a QoS 1/2 PUBLISH an
     * {@link AcknowledgeOutbound} with DISCARDED comes with it.
     */
    record PacketDropped(PacketType type, String why) implements Effect {
    }

    /** Close the network connection once everything sent before it is written. */
    record Close(String why) implements Effect {
    }

    /** Arm (or re-arm) the idle timer: {@code timeoutMillis} without a packet -> KeepAliveExpired. 0 = off. */
    record KeepAlive(long timeoutMillis) implements Effect {
    }

    /**
     * Attach this connection to the client's session, creating, resuming or replacing it; an
     * existing connection with the same client id is taken over [MQTT-3.1.4-3].
     *
     * @param will              the will as a message, or null
     * @param willDelaySeconds  5.0 Will Delay Interval (0 in 3.x)
     * @param receiveMaximum    how many QoS 1/2 deliveries may be unacknowledged at the client
     */
    record OpenSession(
            String clientId,
            MqttVersion version,
            boolean cleanStart,
            long sessionExpirySeconds,
            Message will,
            long willDelaySeconds,
            int receiveMaximum) implements Effect {
    }

    /**
     * Run one step of enhanced authentication (4.12) with the authenticator for {@code method};
     * answered with {@link EngineInput.Authenticated}. {@code start} begins a new exchange (a
     * CONNECT, or AUTH 0x19 re-authentication), otherwise the client continues the current one
     * (AUTH 0x18). {@code data} is the client's Authentication Data, or null.
     */
    record Authenticate(String clientId, String method, byte[] data, boolean start, boolean reauthentication)
            implements Effect {

        @Override
        public boolean equals(Object o) {
            return o instanceof Authenticate a && clientId.equals(a.clientId) && method.equals(a.method)
                    && java.util.Arrays.equals(data, a.data) && start == a.start
                    && reauthentication == a.reauthentication;
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(clientId, method, java.util.Arrays.hashCode(data), start, reauthentication);
        }

        @Override
        public String toString() {
            return "Authenticate[" + clientId + ", " + method + ", " + (data == null ? "no data" : data.length + " bytes")
                    + (start ? ", start" : ", continue") + (reauthentication ? ", re-authentication" : "") + "]";
        }
    }

    /** The connection is over; {@code how} tells the session what to do with the will. */
    record EndSession(SessionEnd how, long sessionExpirySeconds) implements Effect {
    }

    /** Route a client's message; QoS 1/2 ({@code packetId} > 0) is answered with PublishSettled. */
    record PublishInbound(Message message, int packetId) implements Effect {
    }

    /** The client released an inbound QoS 2 message (PUBREL); answered with InboundReleased. */
    record ReleaseInbound(int packetId) implements Effect {
    }

    /** The client acknowledged an outbound message. */
    record AcknowledgeOutbound(int packetId, OutboundAck kind) implements Effect {
    }

    /** Subscribe; answered with Subscribed. Entries the engine rejected carry their code already. */
    record SubscribeRequest(int packetId, List<SubscribeEntry> entries, int subscriptionIdentifier)
            implements Effect {
    }

    /** Unsubscribe; answered with Unsubscribed. Entries the engine rejected carry their code already. */
    record UnsubscribeRequest(int packetId, List<UnsubscribeEntry> entries) implements Effect {
    }

    /**
     * One SUBSCRIBE entry: a filter that passed validation ({@code rejected} null) or one the
     * engine already refused ({@code rejected} is the SUBACK code for it).
     */
    record SubscribeEntry(String topicFilter, SubscriptionOptions options, ReasonCode rejected) {
    }

    /** One UNSUBSCRIBE entry, as {@link SubscribeEntry}. */
    record UnsubscribeEntry(String topicFilter, ReasonCode rejected) {
    }

    /** How a connection ended, as far as the will is concerned. */
    enum SessionEnd {
        /** DISCONNECT 0x00 (or any 3.x DISCONNECT): the will is discarded [MQTT-3.14.4-3]. */
        NORMAL,
        /** DISCONNECT with any reason but 0x00 (0x04 asks for the will, error codes keep it): publish the will. */
        WITH_WILL,
        /** No DISCONNECT (network loss, keep alive, protocol error): publish the will [MQTT-3.1.2-8]. */
        ABNORMAL,
        /** The server is stopping; the will follows the abnormal rule. */
        SERVER_SHUTDOWN
    }

    /** What an acknowledgement from the client means for an outbound message. */
    enum OutboundAck {
        /** PUBACK: QoS 1 done. */
        PUBACK,
        /** PUBREC: QoS 2 received; the engine has sent PUBREL. */
        PUBREC,
        /** PUBREC with a failure code: the QoS 2 flow ends (spec 4.3.3). */
        PUBREC_FAILED,
        /** PUBCOMP: QoS 2 done. */
        PUBCOMP,
        /** Too large for the client: dropped unsent, treated as delivered [MQTT-3.1.2-25]. */
        DISCARDED
    }
}
