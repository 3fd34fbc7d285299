package io.courier.protocol.engine;

import io.courier.protocol.packet.MqttVersion;
import java.util.List;

/**
 * The lifecycle of one network connection, one record per stage. Immutable: the engine returns
 * a new state with each step, so a test can hold on to any state and replay from it.
 */
public sealed interface ConnectionState {

    /** What CONNECT settled, once it has (awaiting the session, or connected); otherwise null. */
    static Connection connectionOf(ConnectionState state) {
        if (state instanceof Connected c) {
            return c.connection();
        }
        return state instanceof AwaitingSession s ? s.connection() : null;
    }

    /** Opened; no CONNECT yet [MQTT-3.1.0-1]. */
    record AwaitingConnect() implements ConnectionState {
    }

    /**
     * CONNECT valid and naming an Authentication Method the server offers: enhanced
     * authentication (4.12) runs before the session is asked for. Only AUTH and DISCONNECT may
     * come from the client meanwhile (the client's side of [MQTT-3.1.2-30]).
     *
     * @param clientId         the client id in force (assigned if the CONNECT had none)
     * @param assignedClientId true when the server chose it
     * @param awaitingVerdict  true while the authenticator is working on the last step (the
     *                         client must wait for the server's AUTH before sending another)
     */
    record Authenticating(io.courier.protocol.packet.Connect connect, String clientId, boolean assignedClientId,
                          boolean awaitingVerdict) implements ConnectionState {
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
     * @param authentication      the Authentication Method and final Authentication Data that
     *                            the CONNACK repeats [MQTT-4.12.0-5]; empty without enhanced
     *                            authentication [MQTT-4.12.0-6]
     */
    record AwaitingSession(Connection connection, boolean cleanStart, boolean assignedClientId,
                           boolean sessionExpiryCapped, boolean responseInformationRequested,
                           List<EngineInput.PacketReceived> early, io.courier.protocol.property.MqttProperties authentication)
            implements ConnectionState {
        public AwaitingSession {
            early = List.copyOf(early);
        }

        AwaitingSession(Connection connection, boolean cleanStart, boolean assignedClientId,
                        boolean sessionExpiryCapped, boolean responseInformationRequested,
                        List<EngineInput.PacketReceived> early) {
            this(connection, cleanStart, assignedClientId, sessionExpiryCapped, responseInformationRequested, early,
                    io.courier.protocol.property.MqttProperties.EMPTY);
        }

        AwaitingSession withEarly(EngineInput.PacketReceived packet) {
            List<EngineInput.PacketReceived> more = new java.util.ArrayList<>(early);
            more.add(packet);
            return new AwaitingSession(connection, cleanStart, assignedClientId, sessionExpiryCapped,
                    responseInformationRequested, more, authentication);
        }
    }

    /**
     * CONNACK sent; packets flow both ways.
     *
     * @param aliases         Topic Aliases the client defined
     * @param outboundAliases Topic Aliases the server defined towards the client
     * @param reauthentication where a re-authentication (4.12.1) stands
     */
    record Connected(Connection connection, InboundTopicAliases aliases, int inboundUnacknowledged,
                     OutboundTopicAliases outboundAliases, Reauthentication reauthentication)
            implements ConnectionState {

        Connected(Connection connection, InboundTopicAliases aliases, int inboundUnacknowledged) {
            this(connection, aliases, inboundUnacknowledged, OutboundTopicAliases.NONE, Reauthentication.NONE);
        }

        Connected withInboundUnacknowledged(int n) {
            return new Connected(connection, aliases, Math.max(0, n), outboundAliases, reauthentication);
        }

        Connected withAliases(InboundTopicAliases newAliases) {
            return new Connected(connection, newAliases, inboundUnacknowledged, outboundAliases, reauthentication);
        }

        Connected withOutboundAliases(OutboundTopicAliases newAliases) {
            return new Connected(connection, aliases, inboundUnacknowledged, newAliases, reauthentication);
        }

        Connected withReauthentication(Reauthentication stage) {
            return new Connected(connection, aliases, inboundUnacknowledged, outboundAliases, stage);
        }
    }

    /** Where a re-authentication stands on a connected 5.0 connection (4.12.1). */
    enum Reauthentication {
        /** None running. */
        NONE,
        /** The authenticator is working on the client's last AUTH. */
        AWAITING_VERDICT,
        /** The server sent AUTH 0x18 and waits for the client's AUTH 0x18. */
        AWAITING_CLIENT
    }

    /** Closed (or closing): every further input is ignored. */
    record Closed(MqttVersion version) implements ConnectionState {
    }
}
