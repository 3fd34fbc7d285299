package io.courier.protocol.engine;

import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import java.util.List;

/**
 * Everything that can happen to a connection, as the engine sees it: packets from the client,
 * answers to the effects it asked for, and timers. Times are passed in ({@code nowMillis}) so
 * the engine itself never reads a clock.
 */
public sealed interface EngineInput {

    /** A packet decoded from the client. */
    record PacketReceived(MqttPacket packet, long nowMillis) implements EngineInput {
    }

    /** The decoder rejected the client's bytes. */
    record DecodeFailed(DecodeException error) implements EngineInput {
    }

    /** The session answered {@link Effect.OpenSession}: it is attached to this connection. */
    record SessionOpened(boolean sessionPresent) implements EngineInput {
    }

    /** The authenticator answered {@link Effect.Authenticate}. */
    record Authenticated(AuthVerdict verdict) implements EngineInput {
    }

    /** The session could not be opened (e.g. the server is overloaded). */
    record SessionRefused(ReasonCode reason) implements EngineInput {
    }

    /**
     * A client's QoS 1/2 message is stored wherever it must be: acknowledge it with this reason.
     * {@code duplicate} is true for a QoS 2 PUBLISH whose packet id the session already holds
     * (a resend): it was not routed again [MQTT-4.3.3-10] and does not count twice against the
     * Receive Maximum.
     */
    record PublishSettled(int packetId, Qos qos, ReasonCode reason, boolean duplicate) implements EngineInput {
    }

    /** The session answered {@link Effect.ReleaseInbound}: whether it knew the packet id. */
    record InboundReleased(int packetId, boolean known) implements EngineInput {
    }

    /** The session answered {@link Effect.SubscribeRequest}: one code per entry, in order. */
    record Subscribed(int packetId, List<ReasonCode> reasonCodes) implements EngineInput {
    }

    /** The session answered {@link Effect.UnsubscribeRequest}: one code per filter, in order. */
    record Unsubscribed(int packetId, List<ReasonCode> reasonCodes) implements EngineInput {
    }

    /** The session sends a message to the client (packet id allocated by the session). */
    record Deliver(Publish publish) implements EngineInput {
    }

    /** The session resends a PUBREL after a reconnect [MQTT-4.4.0-1]. */
    record Release(PubRel pubRel) implements EngineInput {
    }

    /** No packet within 1.5 times the keep alive: 5.0 [MQTT-3.1.2-22], 3.1.1 [MQTT-3.1.2-24]. */
    record KeepAliveExpired() implements EngineInput {
    }

    /** No CONNECT within the configured time after the connection opened. */
    record ConnectTimeout() implements EngineInput {
    }

    /** Another connection took the session over [MQTT-3.1.4-3]. */
    record TakenOver() implements EngineInput {
    }

    /** The server is shutting down. */
    record ServerShuttingDown() implements EngineInput {
    }

    /** The network connection closed under us. */
    record ConnectionLost() implements EngineInput {
    }
}
