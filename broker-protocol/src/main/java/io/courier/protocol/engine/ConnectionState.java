package io.courier.protocol.engine;

import io.courier.protocol.packet.MqttVersion;
import java.util.List;

/**
 * The lifecycle of one network connection, one record per stage. Immutable: the engine returns
 * a new state with each step, so a test can hold on to any state and replay from it.
 */
public sealed interface ConnectionState {

    /** Opened; no CONNECT yet [MQTT-3.1.0-1]. */
    record AwaitingConnect() implements ConnectionState {
    }

    /**
     * CONNECT accepted; waiting for the session to attach. Packets the client sends meanwhile
     * (allowed: a client need not wait for CONNACK, spec 3.1.4) are held, with the time each
     * arrived, and handled after it.
     *
     * @param assignedClientId true when the server chose the id (5.0 CONNACK must carry it)
     * @param sessionExpiryCapped true when the client's Session Expiry Interval was lowered
     * @param responseInformationRequested true when a 5.0 CONNECT set Request Response
     *                            Information to 1 (3.1.2.11.7)
     */
    record AwaitingSession(Connection connection, boolean cleanStart, boolean assignedClientId,
                           boolean sessionExpiryCapped, boolean responseInformationRequested,
                           List<EngineInput.PacketReceived> early)
            implements ConnectionState {
        public AwaitingSession {
            early = List.copyOf(early);
        }

        AwaitingSession withEarly(EngineInput.PacketReceived packet) {
            List<EngineInput.PacketReceived> more = new java.util.ArrayList<>(early);
            more.add(packet);
            return new AwaitingSession(connection, cleanStart, assignedClientId, sessionExpiryCapped,
                    responseInformationRequested, more);
        }
    }

    /**
     * CONNACK sent; packets flow both ways.
     *
     * @param aliases         Topic Aliases the client defined
     * @param outboundAliases Topic Aliases the server defined towards the client
     */
    record Connected(Connection connection, InboundTopicAliases aliases, int inboundUnacknowledged,
                     OutboundTopicAliases outboundAliases)
            implements ConnectionState {

        Connected(Connection connection, InboundTopicAliases aliases, int inboundUnacknowledged) {
            this(connection, aliases, inboundUnacknowledged, OutboundTopicAliases.NONE);
        }

        Connected withInboundUnacknowledged(int n) {
            return new Connected(connection, aliases, Math.max(0, n), outboundAliases);
        }

        Connected withAliases(InboundTopicAliases newAliases) {
            return new Connected(connection, newAliases, inboundUnacknowledged, outboundAliases);
        }

        Connected withOutboundAliases(OutboundTopicAliases newAliases) {
            return new Connected(connection, aliases, inboundUnacknowledged, newAliases);
        }
    }

    /** Closed (or closing): every further input is ignored. */
    record Closed(MqttVersion version) implements ConnectionState {
    }
}
