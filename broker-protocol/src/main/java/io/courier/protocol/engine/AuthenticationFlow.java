package io.courier.protocol.engine;

import io.courier.protocol.engine.ConnectionState.Authenticating;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.engine.ConnectionState.Reauthentication;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;

/**
 * Enhanced authentication (MQTT 5.0 section 4.12): the AUTH exchange between CONNECT and
 * CONNACK, and re-authentication on a connected client (4.12.1). The engine never judges
 * credentials: each client step becomes an {@link Effect.Authenticate} for the connection owner,
 * whose authenticator answers with {@link EngineInput.Authenticated}; the engine turns the
 * verdict into AUTH 0x18, CONNACK (or AUTH 0x00), or a refusal.
 *
 * <p>Every AUTH the server sends, and the successful CONNACK, carry the CONNECT's Authentication
 * Method [MQTT-4.12.0-5]; a client must keep using that method [MQTT-4.12.1-1], so an AUTH with
 * another one is a Protocol Error, as is an AUTH out of turn (the client sends AUTH 0x18 only in
 * answer to the server's, and AUTH 0x19 only to start a re-authentication).
 */
final class AuthenticationFlow {

    private final ConnectStage connect;

    AuthenticationFlow(ConnectStage connect) {
        this.connect = connect;
    }

    /** Anything that happens between a CONNECT with an Authentication Method and its CONNACK. */
    Step onAuthenticating(Authenticating s, EngineInput input) {
        Connect c = s.connect();
        MqttVersion v = c.version();
        String method = c.properties().string(PropertyId.AUTHENTICATION_METHOD);
        if (input instanceof EngineInput.Authenticated a) {
            if (!s.awaitingVerdict()) {
                return new Step(s, List.of()); // nothing was asked: not ours
            }
            if (a.verdict() instanceof AuthVerdict.Continue more) {
                return new Effects()
                        .send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, properties(method, more.data())), v) // [MQTT-4.12.0-2]
                        .step(new Authenticating(c, s.clientId(), s.assignedClientId(), false));
            }
            if (a.verdict() instanceof AuthVerdict.Success ok) {
                return connect.admit(c, s.clientId(), s.assignedClientId(), properties(method, ok.data()));
            }
            AuthVerdict.Failure f = (AuthVerdict.Failure) a.verdict();
            ReasonCode code = f.reason().isValidFor(PacketType.CONNACK) ? f.reason() : ReasonCode.NOT_AUTHORIZED;
            return ConnectStage.reject(v, code, "authentication failed: " + f.why() + " [MQTT-4.12.0-4]");
        }
        if (input instanceof EngineInput.PacketReceived r) {
            if (r.packet() instanceof Auth auth) {
                String problem = s.awaitingVerdict() ? "AUTH before the server's answer"
                        : auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION ? "AUTH " + auth.reasonCode() + " before CONNACK"
                        : !method.equals(auth.properties().string(PropertyId.AUTHENTICATION_METHOD))
                                ? "AUTH with another authentication method" : null;
                if (problem != null) {
                    return ConnectStage.reject(v, ReasonCode.PROTOCOL_ERROR, problem);
                }
                return new Effects()
                        .add(new Effect.Authenticate(s.clientId(), method,
                                auth.properties().binary(PropertyId.AUTHENTICATION_DATA), false, false))
                        .step(new Authenticating(c, s.clientId(), s.assignedClientId(), true));
            }
            if (r.packet() instanceof Disconnect) {
                return close(v, "client disconnected during authentication");
            }
            // Until CONNACK a client that authenticates sends only AUTH or DISCONNECT (the
            // client's side, [MQTT-3.1.2-30]); anything else is a Protocol Error.
            return ConnectStage.reject(v, ReasonCode.PROTOCOL_ERROR, r.packet().type() + " during authentication");
        }
        if (input instanceof EngineInput.DecodeFailed f) {
            ReasonCode code = f.error().reasonCode();
            if (code != ReasonCode.MALFORMED_PACKET && code != ReasonCode.PACKET_TOO_LARGE) {
                code = ReasonCode.PROTOCOL_ERROR;
            }
            return ConnectStage.reject(v, code, f.error().getMessage());
        }
        if (input instanceof EngineInput.ConnectTimeout) {
            return close(v, "authentication not completed in time");
        }
        if (input instanceof EngineInput.ConnectionLost || input instanceof EngineInput.ServerShuttingDown) {
            return close(v, "closed during authentication");
        }
        return new Step(s, List.of());
    }

    /** AUTH from a connected client: starts or continues a re-authentication (4.12.1). */
    Step onAuth(Connected s, Auth auth) {
        Connection c = s.connection();
        String method = c.authenticationMethod();
        if (method == null) {
            // No method was agreed, so AUTH is out of place [MQTT-4.12.0-6] (4.12).
            return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR, "AUTH without an authentication method");
        }
        if (!method.equals(auth.properties().string(PropertyId.AUTHENTICATION_METHOD))) {
            return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR,
                    "re-authentication must use the CONNECT's authentication method [MQTT-4.12.1-1]");
        }
        boolean start = auth.reasonCode() == ReasonCode.RE_AUTHENTICATE;
        boolean inTurn = start ? s.reauthentication() == Reauthentication.NONE
                : auth.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION
                        && s.reauthentication() == Reauthentication.AWAITING_CLIENT;
        if (!inTurn) {
            return new Effects().refuse(c, ReasonCode.PROTOCOL_ERROR, "AUTH " + auth.reasonCode() + " out of turn");
        }
        return new Effects()
                .add(new Effect.Authenticate(c.clientId(), method, auth.properties().binary(PropertyId.AUTHENTICATION_DATA),
                        start, true))
                .step(s.withReauthentication(Reauthentication.AWAITING_VERDICT));
    }

    /** The authenticator answered a re-authentication step. */
    Step onVerdict(Connected s, AuthVerdict verdict) {
        if (s.reauthentication() != Reauthentication.AWAITING_VERDICT) {
            return new Step(s, List.of());
        }
        Connection c = s.connection();
        String method = c.authenticationMethod();
        if (verdict instanceof AuthVerdict.Continue more) {
            return new Effects().send(c, new Auth(ReasonCode.CONTINUE_AUTHENTICATION, properties(method, more.data())))
                    .step(s.withReauthentication(Reauthentication.AWAITING_CLIENT));
        }
        if (verdict instanceof AuthVerdict.Success ok) {
            return new Effects().send(c, new Auth(ReasonCode.SUCCESS, properties(method, ok.data())))
                    .step(s.withReauthentication(Reauthentication.NONE));
        }
        // A failed re-authentication closes the connection, after a DISCONNECT that says why
        // [MQTT-4.12.1-2]; 0x86 and the other CONNACK-only codes become 0x87 Not authorized.
        AuthVerdict.Failure f = (AuthVerdict.Failure) verdict;
        ReasonCode code = f.reason().isValidFor(PacketType.DISCONNECT) ? f.reason() : ReasonCode.NOT_AUTHORIZED;
        return new Effects().refuse(c, code, "re-authentication failed: " + f.why());
    }

    /** The Authentication Method, then the Authentication Data when there is any. */
    private static MqttProperties properties(String method, byte[] data) {
        MqttProperties.Builder b = MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD, method);
        if (data != null) {
            b.add(PropertyId.AUTHENTICATION_DATA, data);
        }
        return b.build();
    }

    private static Step close(MqttVersion version, String why) {
        return new Effects().add(new Effect.Close(why)).step(new ConnectionState.Closed(version));
    }
}
