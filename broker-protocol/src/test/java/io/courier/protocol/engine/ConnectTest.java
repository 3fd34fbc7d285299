package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.ASSIGNED_ID;
import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.NOW;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.closeReason;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.engine.EngineConnection.will;
import static io.courier.protocol.packet.MqttVersion.V3_1;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.engine.ConnectionState.AwaitingSession;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT to CONNACK, client to server (MQTT 3.1.1 and 5.0 sections 3.1 and 3.2). */
class ConnectTest {

    private static final int PROTOCOL_MAXIMUM = DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE;

    /** What a 5.0 CONNACK announces with {@link EngineSettings#defaults()}, in the engine's order. */
    private static final MqttProperties DEFAULT_V5_CONNACK = MqttProperties.builder()
            .add(PropertyId.RECEIVE_MAXIMUM, 1024)
            .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L * 1024)
            .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 64)
            .build();

    private static final Effect SUCCESS_V5 = send(new ConnAck(false, ReasonCode.SUCCESS, DEFAULT_V5_CONNACK), V5);
    private static final Effect SUCCESS_V311 = send(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY), V3_1_1);

    // ---- the accepted path ----------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.1.4-5] 5.0 CONNECT opens the session first; CONNACK 0x00 follows once it is attached")
    void v5ConnectOpensTheSessionThenAcknowledges() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true)),
                new Effect.OpenSession(CLIENT_ID, V5, true, 0, null, 0, 0xFFFF));
        Connection expected = new Connection(V5, CLIENT_ID, 60, 0, 0, 0xFFFF, PROTOCOL_MAXIMUM, 0, true);
        assertEquals(new AwaitingSession(expected, true, false, false, false, List.of()), c.state());

        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V5, new Effect.KeepAlive(90_000));
        assertEquals(new Connected(expected, InboundTopicAliases.NONE, 0), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-4] [MQTT-3.1.2-12] 3.1.1 CONNECT is acknowledged with return code 0 once the session is open; "
            + "without the Will Flag the session gets no will to publish")
    void v311ConnectOpensTheSessionThenAcknowledges() {
        EngineConnection c = opened();
        // 3.1.1 cannot announce a Receive Maximum, so the session gets the configured 3.x window.
        assertEffects(c.receive(connect(V3_1_1, CLIENT_ID, true)),
                new Effect.OpenSession(CLIENT_ID, V3_1_1, true, 0, null, 0, 64));
        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V311, new Effect.KeepAlive(90_000));
        assertEquals(new Connected(new Connection(V3_1_1, CLIENT_ID, 60, 0, 0, 64, PROTOCOL_MAXIMUM, 0, true),
                InboundTopicAliases.NONE, 0), c.state());
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, wire(SUCCESS_V311));
    }

    @Test
    @DisplayName("[MQTT-3.3.4-9] [MQTT-3.1.2-24] [MQTT-3.1.2-26] 5.0 the client's Receive Maximum, Maximum Packet Size"
            + " and Topic Alias Maximum bind the server for the connection")
    void v5ClientLimitsAreKept() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.RECEIVE_MAXIMUM, 10)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 2000L)
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .add(PropertyId.REQUEST_PROBLEM_INFORMATION, 0)
                .build();
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, null, props)),
                new Effect.OpenSession(CLIENT_ID, V5, true, 0, null, 0, 10));
        c.feed(new EngineInput.SessionOpened(false));
        assertEquals(new Connection(V5, CLIENT_ID, 60, 0, 0, 10, 2000, 5, false), c.connectedState().connection());
    }

    // ---- client identifier ----------------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.1.3-8] 3.1.1 empty client id with clean session 0 is rejected with return code 2")
    void v311EmptyClientIdWithoutCleanSessionIsRejected() {
        EngineConnection c = opened();
        List<Effect> fx = c.receive(connect(V3_1_1, "", false));
        Effect connAck = send(new ConnAck(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, MqttProperties.EMPTY), V3_1_1);
        assertEffects(fx, connAck, CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x02}, wire(connAck));
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] 3.1.1 empty client id with clean session 1 gets a server-assigned id")
    void v311EmptyClientIdWithCleanSessionIsAssigned() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V3_1_1, "", true)),
                new Effect.OpenSession(ASSIGNED_ID, V3_1_1, true, 0, null, 0, 64));
        // 3.1.1 has no way to tell the client its id: CONNACK is the plain one.
        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V311, new Effect.KeepAlive(90_000));
        assertEquals(ASSIGNED_ID, c.connectedState().connection().clientId());
    }

    @ParameterizedTest(name = "clean start {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("[MQTT-3.1.3-6] [MQTT-3.1.3-7] [MQTT-3.2.2-16] 5.0 empty client id: the server assigns one and returns"
            + " it in CONNACK")
    void v5EmptyClientIdIsAssignedAndReturned(boolean cleanStart) {
        EngineConnection c = opened();
        Will will = will("status/last", Qos.AT_MOST_ONCE, false);
        List<Effect> fx = c.receive(connect(V5, "", cleanStart, 60, will, MqttProperties.EMPTY));
        Message willMessage = new Message("status/last", will.payload(), Qos.AT_MOST_ONCE, false,
                MqttProperties.EMPTY, ASSIGNED_ID, Message.NEVER);
        assertEffects(fx, new Effect.OpenSession(ASSIGNED_ID, V5, cleanStart, 0, willMessage, 0, 0xFFFF));

        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.RECEIVE_MAXIMUM, 1024)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L * 1024)
                .add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, ASSIGNED_ID)
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 64)
                .build();
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                send(new ConnAck(false, ReasonCode.SUCCESS, props), V5), new Effect.KeepAlive(90_000));
        assertEquals(ASSIGNED_ID, c.connectedState().connection().clientId());
    }

    @Test
    @DisplayName("MQTT 3.1 (section 3.1, 1 to 23 characters): an empty client id is rejected with return code 2")
    void v31EmptyClientIdIsRejected() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V3_1, "", true)),
                send(new ConnAck(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, MqttProperties.EMPTY), V3_1), CLOSE);
        assertEquals(new Closed(V3_1), c.state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(MqttVersion.class)
    @DisplayName("[MQTT-3.1.3-5] a client id of 23 characters is accepted even when that is the configured maximum")
    void twentyThreeCharacterClientIdIsAccepted(MqttVersion version) {
        EngineConnection c = opened(settings().maxClientIdLength(23).build());
        List<Effect> fx = c.receive(connect(version, "abcdefghijklmnopqrstuvw", true));
        assertInstanceOf(Effect.OpenSession.class, fx.get(0));
        assertInstanceOf(AwaitingSession.class, c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] 3.1.1 client id longer than the server allows: return code 2, then close")
    void v311TooLongClientIdIsRejected() {
        EngineConnection c = opened(settings().maxClientIdLength(23).build());
        assertEffects(c.receive(connect(V3_1_1, "abcdefghijklmnopqrstuvwx", true)),
                send(new ConnAck(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, MqttProperties.EMPTY), V3_1_1), CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] 5.0 client id longer than the server allows: CONNACK 0x85, then close")
    void v5TooLongClientIdIsRejected() {
        EngineConnection c = opened(settings().maxClientIdLength(23).build());
        assertEffects(c.receive(connect(V5, "abcdefghijklmnopqrstuvwx", true)),
                send(new ConnAck(false, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    // ---- what comes before a CONNECT ------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.1.2-2] 3.1.1 and 5.0 unsupported protocol level: CONNACK in the 3.1.1 form with return code 1 "
            + "(0x84), then close")
    void unsupportedProtocolLevelGetsReturnCodeOne() {
        EngineConnection c = opened();
        List<Effect> fx = c.feed(new EngineInput.DecodeFailed(
                new DecodeException(ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, "protocol level 6")));
        Effect connAck = send(new ConnAck(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, MqttProperties.EMPTY), V3_1_1);
        assertEffects(fx, connAck, CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
        // 0x01 (unacceptable protocol level) is what a client of any version can read.
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x01}, wire(connAck));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = ReasonCode.class, names = {"MALFORMED_PACKET", "PROTOCOL_ERROR", "PACKET_TOO_LARGE"})
    @DisplayName("[MQTT-3.1.4-1] 3.1.1 and 5.0 a CONNECT that does not conform closes the connection without a CONNACK")
    void nonConformingConnectClosesWithoutConnAck(ReasonCode reason) {
        EngineConnection c = opened();
        assertEffects(c.feed(new EngineInput.DecodeFailed(new DecodeException(reason, "bad CONNECT"))), CLOSE);
        assertEquals(new Closed(null), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT closes the connection, nothing sent")
    void firstPacketMustBeConnect() {
        EngineConnection c = opened();
        List<Effect> fx = c.receive(PingReq.INSTANCE);
        assertEffects(fx, CLOSE);
        assertTrue(closeReason(fx).contains("MQTT-3.1.0-1"), closeReason(fx));
        assertEquals(new Closed(null), c.state());
    }

    @Test
    @DisplayName("5.0 3.1.4 step 1 (a SHOULD without statement id): no CONNECT in time closes the connection, nothing sent")
    void connectTimeoutCloses() {
        EngineConnection c = opened();
        assertEffects(c.feed(new EngineInput.ConnectTimeout()), CLOSE);
        assertEquals(new Closed(null), c.state());
    }

    // ---- will ------------------------------------------------------------------------------

    @ParameterizedTest(name = "\"{0}\"")
    @ValueSource(strings = {"alarms/#", "alarms/+/fire", ""})
    @DisplayName("[MQTT-4.7.0-1] [MQTT-4.7.3-1] 5.0 will topic that is no valid topic name: CONNACK 0x90, then close")
    void v5InvalidWillTopicIsRejected(String topic) {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, will(topic, Qos.AT_MOST_ONCE, false),
                        MqttProperties.EMPTY)),
                send(new ConnAck(false, ReasonCode.TOPIC_NAME_INVALID, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-4.7.1-1] [MQTT-3.2.2-5] 3.1.1 will topic with a wildcard is refused: CONNACK return code 5,"
            + " then close")
    void v311InvalidWillTopicIsRejected() {
        // 3.1.1 has no return code for a bad will topic; the engine's choice is 5 (Not authorized).
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V3_1_1, CLIENT_ID, true, 60, will("alarms/#", Qos.AT_MOST_ONCE, false),
                        MqttProperties.EMPTY)),
                send(new ConnAck(false, ReasonCode.TOPIC_NAME_INVALID, MqttProperties.EMPTY), V3_1_1), CLOSE);
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-12] 5.0 will QoS above the server's Maximum QoS: CONNACK 0x9B, then close")
    void v5WillQosAboveMaximumIsRejected() {
        EngineSettings s = settings().maximumQos(Qos.AT_LEAST_ONCE).build();
        EngineConnection c = opened(s);
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, will("status", Qos.EXACTLY_ONCE, false),
                        MqttProperties.EMPTY)),
                send(new ConnAck(false, ReasonCode.QOS_NOT_SUPPORTED, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());

        // At the maximum is fine.
        EngineConnection ok = opened(s);
        ok.receive(connect(V5, CLIENT_ID, true, 60, will("status", Qos.AT_LEAST_ONCE, false), MqttProperties.EMPTY));
        assertInstanceOf(AwaitingSession.class, ok.state());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-13] 5.0 retained will when retain is not available: CONNACK 0x9A, then close")
    void v5RetainedWillWithoutRetainIsRejected() {
        EngineSettings s = settings().retainAvailable(false).build();
        EngineConnection c = opened(s);
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, will("status", Qos.AT_MOST_ONCE, true),
                        MqttProperties.EMPTY)),
                send(new ConnAck(false, ReasonCode.RETAIN_NOT_SUPPORTED, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());

        EngineConnection ok = opened(s);
        ok.receive(connect(V5, CLIENT_ID, true, 60, will("status", Qos.AT_MOST_ONCE, false), MqttProperties.EMPTY));
        assertInstanceOf(AwaitingSession.class, ok.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.2-7] [MQTT-3.1.3-9] [MQTT-3.1.3-10] 5.0 the will goes to the session as a message, its"
            + " Will Delay Interval beside it and its other properties in order")
    void v5WillIsHandedToTheSession() {
        MqttProperties willProps = MqttProperties.builder()
                .user("site", "north")
                .add(PropertyId.WILL_DELAY_INTERVAL, 30L)
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 600L)
                .user("site", "south")
                .build();
        Will will = new Will("status/meter-7", "offline".getBytes(), Qos.AT_LEAST_ONCE, true, willProps);
        EngineConnection c = opened();
        List<Effect> fx = c.receive(connect(V5, CLIENT_ID, false, 60, will,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 300L).build()));

        // Message Expiry stays a property: it counts from when the will is published.
        MqttProperties forwarded = MqttProperties.builder()
                .user("site", "north")
                .add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 600L)
                .user("site", "south")
                .build();
        Message willMessage = new Message("status/meter-7", "offline".getBytes(), Qos.AT_LEAST_ONCE, true, forwarded,
                CLIENT_ID, Message.NEVER);
        assertEffects(fx, new Effect.OpenSession(CLIENT_ID, V5, false, 300, willMessage, 30, 0xFFFF));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] [MQTT-3.1.2-17] 3.1.1 the will goes to the session with no delay")
    void v311WillIsHandedToTheSession() {
        EngineConnection c = opened();
        List<Effect> fx = c.receive(connect(V3_1_1, CLIENT_ID, true, 60, will("status/meter-7", Qos.EXACTLY_ONCE, true),
                MqttProperties.EMPTY));
        Message willMessage = new Message("status/meter-7", "gone".getBytes(), Qos.EXACTLY_ONCE, true,
                MqttProperties.EMPTY, CLIENT_ID, Message.NEVER);
        assertEffects(fx, new Effect.OpenSession(CLIENT_ID, V3_1_1, true, 0, willMessage, 0, 64));
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] 5.0 an Authentication Method the server does not support: CONNACK 0x8C, then close")
    void v5UnknownAuthenticationMethodIsRejected() {
        EngineConnection c = opened();
        MqttProperties props = MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-1").build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, true, 60, null, props)),
                send(new ConnAck(false, ReasonCode.BAD_AUTHENTICATION_METHOD, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    // ---- session expiry --------------------------------------------------------------------

    @Test
    @DisplayName("5.0 3.2.2.3.2: a Session Expiry Interval above the server's maximum is lowered, and CONNACK says so")
    void v5SessionExpiryIsCapped() {
        EngineConnection c = opened(settings().maxSessionExpirySeconds(3600).build());
        MqttProperties props = MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 7200L).build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, false, 60, null, props)),
                new Effect.OpenSession(CLIENT_ID, V5, false, 3600, null, 0, 0xFFFF));
        MqttProperties connAckProps = MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 3600L)
                .add(PropertyId.RECEIVE_MAXIMUM, 1024)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L * 1024)
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 64)
                .build();
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                send(new ConnAck(false, ReasonCode.SUCCESS, connAckProps), V5), new Effect.KeepAlive(90_000));
        assertEquals(3600, c.connectedState().connection().sessionExpirySeconds());
        assertEquals(7200, c.connectedState().connection().connectSessionExpirySeconds());
    }

    @ParameterizedTest(name = "asks {0}")
    @ValueSource(longs = {1, 3599, 3600})
    @DisplayName("5.0 3.2.2.3.2: a Session Expiry Interval within the maximum is used as sent; CONNACK leaves it out")
    void v5SessionExpiryWithinMaximumIsKept(long asked) {
        EngineConnection c = opened(settings().maxSessionExpirySeconds(3600).build());
        MqttProperties props = MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, asked).build();
        assertEffects(c.receive(connect(V5, CLIENT_ID, false, 60, null, props)),
                new Effect.OpenSession(CLIENT_ID, V5, false, asked, null, 0, 0xFFFF));
        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V5, new Effect.KeepAlive(90_000));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-23] 5.0 no Session Expiry Interval means 0: the session ends with the connection")
    void v5AbsentSessionExpiryIsZero() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V5, CLIENT_ID, false)),
                new Effect.OpenSession(CLIENT_ID, V5, false, 0, null, 0, 0xFFFF));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-6] 3.1.1 clean session 1: the session lasts as long as the connection (expiry 0)")
    void v311CleanSessionMeansExpiryZero() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V3_1_1, CLIENT_ID, true)),
                new Effect.OpenSession(CLIENT_ID, V3_1_1, true, 0, null, 0, 64));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-4] 3.1.1 clean session 0: the session outlives the connection, as long as the server keeps"
            + " sessions")
    void v311PersistentSessionUsesTheServerMaximum() {
        EngineConnection c = opened();
        assertEffects(c.receive(connect(V3_1_1, CLIENT_ID, false)),
                new Effect.OpenSession(CLIENT_ID, V3_1_1, false, 0xFFFF_FFFFL, null, 0, 64));

        EngineConnection capped = opened(settings().maxSessionExpirySeconds(3600).build());
        assertEffects(capped.receive(connect(V3_1_1, CLIENT_ID, false)),
                new Effect.OpenSession(CLIENT_ID, V3_1_1, false, 3600, null, 0, 64));
        // Nothing to announce: 3.1.1 CONNACK has no properties.
        assertEffects(capped.feed(new EngineInput.SessionOpened(false)), SUCCESS_V311, new Effect.KeepAlive(90_000));
    }

    // ---- keep alive ------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}, keep alive {1} s -> {2} ms")
    @CsvSource({
        "V3_1_1, 60, 90000", "V3_1_1, 1, 1500", "V3_1_1, 65535, 98302500", "V3_1_1, 0, 0",
        "V5, 60, 90000", "V5, 1, 1500", "V5, 65535, 98302500", "V5, 0, 0"})
    @DisplayName("[MQTT-3.1.2-24] (3.1.1) [MQTT-3.1.2-22] [MQTT-3.2.2-22] (5.0) the idle limit is one and a half times"
            + " the client's keep alive; 0 turns it off")
    void keepAliveIsOneAndAHalfTimes(MqttVersion version, int keepAlive, long timeoutMillis) {
        EngineConnection c = opened();
        c.receive(connect(version, CLIENT_ID, true, keepAlive, null, MqttProperties.EMPTY));
        List<Effect> fx = c.feed(new EngineInput.SessionOpened(false));
        assertEquals(new Effect.KeepAlive(timeoutMillis), fx.get(1));
        assertEquals(keepAlive, c.connectedState().connection().keepAliveSeconds());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] 5.0 a Server Keep Alive replaces the client's: CONNACK carries it and the idle limit"
            + " follows it")
    void v5ServerKeepAliveReplacesTheClients() {
        EngineConnection c = opened(settings().serverKeepAliveSeconds(30).build());
        c.receive(connect(V5, CLIENT_ID, true, 120, null, MqttProperties.EMPTY));
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.RECEIVE_MAXIMUM, 1024)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 1024L * 1024)
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 64)
                .add(PropertyId.SERVER_KEEP_ALIVE, 30)
                .build();
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                send(new ConnAck(false, ReasonCode.SUCCESS, props), V5), new Effect.KeepAlive(45_000));
        assertEquals(30, c.connectedState().connection().keepAliveSeconds());
    }

    @Test
    @DisplayName("[MQTT-3.2.2-21] 5.0 a Server Keep Alive of 0 turns keep alive off whatever the client asked")
    void v5ServerKeepAliveZeroTurnsItOff() {
        EngineConnection c = opened(settings().serverKeepAliveSeconds(0).build());
        c.receive(connect(V5, CLIENT_ID, true, 120, null, MqttProperties.EMPTY));
        List<Effect> fx = c.feed(new EngineInput.SessionOpened(false));
        ConnAck connAck = (ConnAck) ((Effect.Send) fx.get(0)).packet();
        assertEquals(0, connAck.properties().intValue(PropertyId.SERVER_KEEP_ALIVE, -1));
        assertEquals(new Effect.KeepAlive(0), fx.get(1));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] 3.1.1 cannot be told a Server Keep Alive, so the client's keep alive is the one enforced")
    void v311KeepsTheClientsKeepAlive() {
        EngineConnection c = opened(settings().serverKeepAliveSeconds(30).build());
        c.receive(connect(V3_1_1, CLIENT_ID, true, 120, null, MqttProperties.EMPTY));
        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V311, new Effect.KeepAlive(180_000));
    }

    // ---- Session Present and CONNACK properties ----------------------------------------------

    @Test
    @DisplayName("[MQTT-3.2.2-2] 5.0 clean start 1: Session Present 0 even if the session reports state")
    void v5CleanStartNeverHasASessionPresent() {
        EngineConnection c = opened();
        c.receive(connect(V5, CLIENT_ID, true));
        assertEffects(c.feed(new EngineInput.SessionOpened(true)), SUCCESS_V5, new Effect.KeepAlive(90_000));
    }

    @ParameterizedTest(name = "session state found: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("[MQTT-3.2.2-3] 5.0 clean start 0: Session Present says whether session state was found")
    void v5SessionPresentFollowsTheSession(boolean found) {
        EngineConnection c = opened();
        c.receive(connect(V5, CLIENT_ID, false));
        assertEffects(c.feed(new EngineInput.SessionOpened(found)),
                send(new ConnAck(found, ReasonCode.SUCCESS, DEFAULT_V5_CONNACK), V5), new Effect.KeepAlive(90_000));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-1] 3.1.1 clean session 1: Session Present 0 even if the session reports state")
    void v311CleanSessionNeverHasASessionPresent() {
        EngineConnection c = opened();
        c.receive(connect(V3_1_1, CLIENT_ID, true));
        assertEffects(c.feed(new EngineInput.SessionOpened(true)), SUCCESS_V311, new Effect.KeepAlive(90_000));
    }

    @ParameterizedTest(name = "session state found: {0}")
    @ValueSource(booleans = {true, false})
    @DisplayName("[MQTT-3.2.2-2] [MQTT-3.2.2-3] 3.1.1 clean session 0: Session Present says whether state was found")
    void v311SessionPresentFollowsTheSession(boolean found) {
        EngineConnection c = opened();
        c.receive(connect(V3_1_1, CLIENT_ID, false));
        Effect connAck = send(new ConnAck(found, ReasonCode.SUCCESS, MqttProperties.EMPTY), V3_1_1);
        assertEffects(c.feed(new EngineInput.SessionOpened(found)), connAck, new Effect.KeepAlive(90_000));
        assertArrayEquals(new byte[] {0x20, 0x02, (byte) (found ? 1 : 0), 0x00}, wire(connAck));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-9] [MQTT-3.2.2-18] 5.0 CONNACK announces exactly the limits that differ from the protocol"
            + " defaults")
    void v5ConnAckAnnouncesNonDefaultLimits() {
        EngineSettings s = settings()
                .maximumQos(Qos.AT_LEAST_ONCE)
                .retainAvailable(false)
                .maximumPacketSize(4096)
                .receiveMaximum(0xFFFF) // the default when absent
                .topicAliasMaximum(0) // the default when absent
                .build();
        EngineConnection c = opened(s);
        c.receive(connect(V5, CLIENT_ID, true));
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.MAXIMUM_QOS, 1)
                .add(PropertyId.RETAIN_AVAILABLE, 0)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 4096L)
                .build();
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                send(new ConnAck(false, ReasonCode.SUCCESS, props), V5), new Effect.KeepAlive(90_000));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-9] 5.0 Maximum QoS 0 is announced as 0")
    void v5MaximumQosZeroIsAnnounced() {
        EngineConnection c = opened(settings().maximumQos(Qos.AT_MOST_ONCE).build());
        c.receive(connect(V5, CLIENT_ID, true));
        ConnAck connAck = (ConnAck) ((Effect.Send) c.feed(new EngineInput.SessionOpened(false)).get(0)).packet();
        assertEquals(0, connAck.properties().intValue(PropertyId.MAXIMUM_QOS, -1));
    }

    @Test
    @DisplayName("3.1.1 3.2.2: CONNACK has no properties, whatever limits the server has")
    void v311ConnAckHasNoProperties() {
        EngineSettings s = settings()
                .maximumQos(Qos.AT_LEAST_ONCE)
                .retainAvailable(false)
                .maximumPacketSize(4096)
                .serverKeepAliveSeconds(30)
                .maxSessionExpirySeconds(10)
                .build();
        EngineConnection c = opened(s);
        c.receive(connect(V3_1_1, "", true));
        assertEffects(c.feed(new EngineInput.SessionOpened(false)), SUCCESS_V311, new Effect.KeepAlive(90_000));
    }

    // ---- between CONNECT and CONNACK ---------------------------------------------------------

    @Test
    @DisplayName("[MQTT-3.2.0-1] packets sent before CONNACK are held, then handled after it in the order they came")
    void packetsBeforeConnAckAreHandledAfterIt() {
        EngineConnection c = opened();
        c.receive(connect(V5, CLIENT_ID, true));
        Publish publish = new Publish("a/b", Qos.AT_LEAST_ONCE, false, false, 1, "x".getBytes(), MqttProperties.EMPTY);
        SubscriptionOptions options = SubscriptionOptions.of(Qos.AT_LEAST_ONCE);
        Subscribe subscribe = new Subscribe(2, List.of(new Subscription("c/#", options)), MqttProperties.EMPTY);
        assertEffects(c.receive(publish));
        assertEffects(c.receive(subscribe));
        assertEffects(c.receive(PingReq.INSTANCE));
        assertEquals(3, assertInstanceOf(AwaitingSession.class, c.state()).early().size());

        Message message = new Message("a/b", "x".getBytes(), Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY,
                CLIENT_ID, Message.NEVER);
        assertEffects(c.feed(new EngineInput.SessionOpened(false)),
                SUCCESS_V5,
                new Effect.KeepAlive(90_000),
                new Effect.PublishInbound(message, 1),
                new Effect.SubscribeRequest(2, List.of(new Effect.SubscribeEntry("c/#", options, null)), 0),
                send(PingResp.INSTANCE, V5));
        assertEquals(1, c.connectedState().inboundUnacknowledged());
    }

    @Test
    @DisplayName("[MQTT-3.3.2-5] a PUBLISH sent before CONNACK keeps its arrival time: its Message Expiry counts from"
            + " then")
    void earlyPublishKeepsItsArrivalTime() {
        EngineConnection c = opened();
        c.receive(connect(V5, CLIENT_ID, true), NOW);
        MqttProperties props = MqttProperties.builder().add(PropertyId.MESSAGE_EXPIRY_INTERVAL, 10L).build();
        c.receive(new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, "x".getBytes(), props), NOW + 7);
        List<Effect> fx = c.feed(new EngineInput.SessionOpened(false));
        Message m = ((Effect.PublishInbound) fx.get(2)).message();
        assertEquals(NOW + 7 + 10_000, m.expiresAtMillis());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-6] [MQTT-3.2.2-6] 5.0 a refused session: CONNACK with the reason and Session Present 0,"
            + " and nothing sent after CONNECT is processed")
    void v5RefusedSessionDropsEarlyPackets() {
        EngineConnection c = opened();
        c.receive(connect(V5, CLIENT_ID, false));
        c.receive(Publish.atMostOnce("a/b", "x".getBytes()));
        assertEffects(c.feed(new EngineInput.SessionRefused(ReasonCode.SERVER_UNAVAILABLE)),
                send(new ConnAck(false, ReasonCode.SERVER_UNAVAILABLE, MqttProperties.EMPTY), V5), CLOSE);
        assertEquals(new Closed(V5), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-5] [MQTT-3.2.2-4] [MQTT-3.2.2-5] 3.1.1 a refused session: CONNACK return code 3, Session"
            + " Present 0, then close")
    void v311RefusedSessionGetsReturnCodeThree() {
        EngineConnection c = opened();
        c.receive(connect(V3_1_1, CLIENT_ID, false));
        c.receive(Publish.atMostOnce("a/b", "x".getBytes()));
        List<Effect> fx = c.feed(new EngineInput.SessionRefused(ReasonCode.SERVER_UNAVAILABLE));
        Effect connAck = send(new ConnAck(false, ReasonCode.SERVER_UNAVAILABLE, MqttProperties.EMPTY), V3_1_1);
        assertEffects(fx, connAck, CLOSE);
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x03}, wire(connAck));
        assertEquals(new Closed(V3_1_1), c.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-4] 5.0 the session is asked to process Clean Start and Session Expiry as the CONNECT gave them")
    void cleanStartIsPassedToTheSession() {
        EngineConnection c = opened();
        Connect connect = connect(V5, CLIENT_ID, false, 60, null,
                MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).build());
        assertEffects(c.receive(connect), new Effect.OpenSession(CLIENT_ID, V5, false, 60, null, 0, 0xFFFF));
    }

    // ---- helpers ---------------------------------------------------------------------------

    private static Effect send(io.courier.protocol.packet.MqttPacket packet, MqttVersion version) {
        return new Effect.Send(packet, version);
    }

    /** The bytes a Send effect puts on the wire. */
    private static byte[] wire(Effect send) {
        Effect.Send s = (Effect.Send) send;
        return MqttEncoder.encode(s.packet(), s.version());
    }
}
