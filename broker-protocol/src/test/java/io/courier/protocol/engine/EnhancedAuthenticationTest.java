package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.engine.ConnectionState.Authenticating;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Enhanced authentication in the engine (MQTT 5.0 section 4.12 and the AUTH packet, 3.15): the
 * engine asks for each step as {@link Effect.Authenticate} and turns the authenticator's
 * {@link AuthVerdict} into AUTH, CONNACK or DISCONNECT. Client to server and back, no actors.
 */
class EnhancedAuthenticationTest {

    private static final String METHOD = "SCRAM-SHA-256";
    private static final EngineSettings SETTINGS = EngineSettings.defaults().withAuthenticationMethods(Set.of(METHOD));
    /** The CONNACK properties the defaults announce, before any authentication property. */
    private static final MqttProperties.Builder DEFAULT_CONNACK = MqttProperties.builder()
            .add(PropertyId.RECEIVE_MAXIMUM, 1024)
            .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L * 1024)
            .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 64);

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttProperties auth(String method, String data) {
        MqttProperties.Builder b = MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD, method);
        if (data != null) {
            b.add(PropertyId.AUTHENTICATION_DATA, bytes(data));
        }
        return b.build();
    }

    private static Effect send(MqttPacket packet) {
        return new Effect.Send(packet, V5);
    }

    private static Effect.Authenticate authenticate(String data, boolean start, boolean reauthentication) {
        return new Effect.Authenticate(CLIENT_ID, METHOD, data == null ? null : bytes(data), start, reauthentication);
    }

    private static EngineInput verdict(AuthVerdict v) {
        return new EngineInput.Authenticated(v);
    }

    /** CONNECT with the method and a first message, as a SCRAM client sends it. */
    private static EngineConnection authenticating() {
        EngineConnection c = opened(SETTINGS);
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, null, auth(METHOD, "client-first"))),
                authenticate("client-first", true, false));
        assertInstanceOf(Authenticating.class, c.state());
        return c;
    }

    /** A client connected after a one-step authentication. */
    private static EngineConnection connectedWithMethod() {
        EngineConnection c = authenticating();
        c.feed(verdict(new AuthVerdict.Success(null)));
        c.feed(new EngineInput.SessionOpened(false));
        assertInstanceOf(Connected.class, c.state());
        return c;
    }

    // ---- before CONNACK ---------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-4.12.0-2] [MQTT-4.12.0-5] [MQTT-3.15.2-1] CONNECT -> AUTH 0x18 -> AUTH 0x18 -> CONNACK: every "
            + "server AUTH has reason 0x18 and the method, the CONNACK repeats the method with the final data")
    void fullExchangeBeforeConnAck() {
        EngineConnection c = authenticating();

        assertEffects(c.feed(verdict(new AuthVerdict.Continue(bytes("server-first")))),
                send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "server-first"))));
        assertEffects(c.receive(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "client-final"))),
                authenticate("client-final", false, false));
        assertEffects(c.feed(verdict(new AuthVerdict.Success(bytes("server-final")))),
                new Effect.OpenSession(CLIENT_ID, V5, true, 0, null, 0, 0xFFFF));
        MqttProperties connAck = DEFAULT_CONNACK
                .add(PropertyId.AUTHENTICATION_METHOD, METHOD)
                .add(PropertyId.AUTHENTICATION_DATA, bytes("server-final")).build();
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                send(new ConnAck(false, ReasonCode.SUCCESS, connAck)), new Effect.KeepAlive(90_000));
        assertEquals(METHOD, c.connectedState().connection().authenticationMethod());
    }

    @Test
    @DisplayName("[MQTT-4.12.0-4] [MQTT-3.1.4-2] a refused authentication: CONNACK with the authenticator's code "
            + "(0x86, 0x87), then close, and no session is asked for")
    void refusedAuthentication() {
        for (ReasonCode code : List.of(ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED)) {
            EngineConnection c = authenticating();
            assertEffects(c.feed(verdict(new AuthVerdict.Failure(code, "wrong proof"))),
                    send(new ConnAck(false, code, MqttProperties.EMPTY)), CLOSE);
            assertEquals(new Closed(V5), c.state());
        }
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] a method the server does not offer is refused with 0x8C even when others are offered")
    void unofferedMethod() {
        EngineConnection c = opened(SETTINGS);
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, null, auth("SCRAM-SHA-1", "x"))),
                send(new ConnAck(false, ReasonCode.BAD_AUTHENTICATION_METHOD, MqttProperties.EMPTY)), CLOSE);
    }

    @Test
    @DisplayName("3.1.2.11.10: Authentication Data without an Authentication Method is a Protocol Error (CONNACK 0x82)")
    void dataWithoutMethod() {
        EngineConnection c = opened(SETTINGS);
        MqttProperties props = MqttProperties.builder().add(PropertyId.AUTHENTICATION_DATA, bytes("x")).build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, null, props)),
                send(new ConnAck(false, ReasonCode.PROTOCOL_ERROR, MqttProperties.EMPTY)), CLOSE);
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] before CONNACK: AUTH with another method, AUTH 0x19, AUTH before the server's answer, "
            + "or any packet but AUTH and DISCONNECT is a Protocol Error (CONNACK 0x82)")
    void outOfTurnBeforeConnAck() {
        EngineConnection otherMethod = authenticating();
        otherMethod.feed(verdict(new AuthVerdict.Continue(bytes("server-first"))));
        assertEffects(otherMethod.receive(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("PLAIN", "x"))),
                send(new ConnAck(false, ReasonCode.PROTOCOL_ERROR, MqttProperties.EMPTY)), CLOSE);

        EngineConnection reauth = authenticating();
        reauth.feed(verdict(new AuthVerdict.Continue(bytes("server-first"))));
        assertEffects(reauth.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "x"))),
                send(new ConnAck(false, ReasonCode.PROTOCOL_ERROR, MqttProperties.EMPTY)), CLOSE);

        EngineConnection early = authenticating(); // the server has not answered the CONNECT yet
        assertEffects(early.receive(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "x"))),
                send(new ConnAck(false, ReasonCode.PROTOCOL_ERROR, MqttProperties.EMPTY)), CLOSE);

        EngineConnection publish = authenticating();
        assertEffects(publish.receive(Publish.atMostOnce("t", new byte[0])),
                send(new ConnAck(false, ReasonCode.PROTOCOL_ERROR, MqttProperties.EMPTY)), CLOSE);
    }

    @Test
    @DisplayName("a DISCONNECT, a lost connection or the connect timeout during authentication close without a session")
    void endsDuringAuthentication() {
        EngineConnection disconnect = authenticating();
        assertEffects(disconnect.receive(Disconnect.NORMAL), CLOSE);
        EngineConnection timeout = authenticating();
        assertEffects(timeout.feed(new EngineInput.ConnectTimeout()), CLOSE);
        EngineConnection lost = authenticating();
        assertEffects(lost.feed(new EngineInput.ConnectionLost()), CLOSE);
        assertEquals(new Closed(V5), lost.state());
    }

    // ---- re-authentication ------------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-4.12.0-5] [MQTT-3.15.2-1] re-authentication: AUTH 0x19 -> AUTH 0x18 -> AUTH 0x18 -> AUTH 0x00, "
            + "each with the method; other packets keep flowing meanwhile")
    void reauthentication() {
        EngineConnection c = connectedWithMethod();

        assertEffects(c.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "client-first"))),
                authenticate("client-first", true, true));
        assertEffects(c.receive(PingReq.INSTANCE), send(PingResp.INSTANCE)); // not blocked (4.12.1)
        assertEffects(c.feed(verdict(new AuthVerdict.Continue(bytes("server-first")))),
                send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "server-first"))));
        assertEffects(c.receive(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "client-final"))),
                authenticate("client-final", false, true));
        assertEffects(c.feed(verdict(new AuthVerdict.Success(bytes("server-final")))),
                send(new Auth(ReasonCode.SUCCESS, auth(METHOD, "server-final"))));
        assertEquals(ConnectionState.Reauthentication.NONE, c.connectedState().reauthentication());
        // and again: a finished re-authentication can be followed by another
        assertEffects(c.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "again"))),
                authenticate("again", true, true));
    }

    @Test
    @DisplayName("[MQTT-4.12.1-2] a failed re-authentication: DISCONNECT (0x87 for a CONNACK-only code such as 0x86), "
            + "the session told the end was abnormal, then close")
    void failedReauthentication() {
        EngineConnection c = connectedWithMethod();
        c.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "client-first")));

        assertEffects(c.feed(verdict(new AuthVerdict.Failure(ReasonCode.BAD_USER_NAME_OR_PASSWORD, "wrong proof"))),
                send(Disconnect.of(ReasonCode.NOT_AUTHORIZED)),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] re-authentication with another method, or AUTH 0x18 out of turn, is a Protocol "
            + "Error: DISCONNECT 0x82")
    void reauthenticationProtocolErrors() {
        EngineConnection other = connectedWithMethod();
        List<Effect> effects = other.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth("PLAIN", "x")));
        assertEffects(effects, send(Disconnect.of(ReasonCode.PROTOCOL_ERROR)),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);
        assertTrue(EngineConnection.closeReason(effects).contains("[MQTT-4.12.1-1]"));

        EngineConnection unasked = connectedWithMethod();
        assertEffects(unasked.receive(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth(METHOD, "x"))),
                send(Disconnect.of(ReasonCode.PROTOCOL_ERROR)),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);

        EngineConnection twice = connectedWithMethod();
        twice.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "x")));
        assertEffects(twice.receive(new Auth(ReasonCode.RE_AUTHENTICATE, auth(METHOD, "y"))),
                send(Disconnect.of(ReasonCode.PROTOCOL_ERROR)),
                new Effect.EndSession(Effect.SessionEnd.ABNORMAL, 0), CLOSE);
    }

    @Test
    @DisplayName("a verdict nobody asked for changes nothing")
    void strayVerdict() {
        EngineConnection c = connectedWithMethod();
        Connected before = c.connectedState();
        assertEffects(c.feed(verdict(new AuthVerdict.Success(null))));
        assertEquals(before, c.state());
    }
}
