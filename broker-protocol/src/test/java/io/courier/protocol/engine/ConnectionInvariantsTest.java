package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.connect;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Rules that hold over a whole connection rather than one step, checked on many seeded random
 * sequences of inputs (any packet the decoder can produce, any answer the session can give, any
 * timer) in any order. A failure names the seed and the inputs, so it can be replayed.
 */
class ConnectionInvariantsTest {

    private static final int WALKS = 3000;
    private static final int STEPS = 25;

    @Test
    @DisplayName("[MQTT-3.2.0-1] [MQTT-3.2.0-2] [MQTT-3.14.0-1] [MQTT-3.2.2-7] [MQTT-4.13.2-1] [MQTT-3.14.2-2]"
            + " [MQTT-4.12.0-6] any input sequence, with and without enhanced authentication offered: no exception,"
            + " CONNACK first and once (only AUTH of an agreed method before it), no DISCONNECT before it or to 3.x, an"
            + " error ends in Close, Closed is final, AUTH only with the agreed method")
    void invariantsHoldForAnyInputSequence() {
        for (long seed = 1; seed <= WALKS; seed++) {
            walk(seed);
        }
    }

    private static void walk(long seed) {
        Random random = new Random(seed);
        EngineSettings settings = EngineConnection.settings()
                .receiveMaximum(1 + random.nextInt(3))
                .topicAliasMaximum(random.nextInt(3))
                .maximumQos(Qos.values()[random.nextInt(3)])
                .retainAvailable(random.nextBoolean())
                .maxSessionExpirySeconds(random.nextInt(3) * 100L)
                .build();
        // Half the walks offer enhanced authentication, and then drive its exchange often.
        boolean auth = random.nextBoolean();
        if (auth) {
            settings = settings.withAuthenticationMethods(java.util.Set.of(METHOD));
        }
        ProtocolEngine engine = new ProtocolEngine(settings, () -> "assigned");
        ConnectionState state = engine.initialState();
        List<EngineInput> history = new ArrayList<>();
        Invariants invariants = new Invariants();
        for (int i = 0; i < STEPS; i++) {
            EngineInput input = randomInput(random, auth);
            history.add(input);
            String where = "seed " + seed + ", inputs " + history;
            Step step;
            try {
                step = engine.on(state, input);
            } catch (RuntimeException e) {
                throw new AssertionError("the engine threw at " + where, e);
            }
            invariants.check(state, step, where);
            state = step.state();
        }
    }

    /** What one connection has done so far, and the rules each further step must keep. */
    static final class Invariants {
        private boolean connAckSent;
        private boolean sessionAsked;
        private boolean sessionEnded;

        void check(ConnectionState before, Step step, String where) {
            if (before instanceof Closed) {
                assertEquals(List.of(), step.effects(), "Closed must ignore everything: " + where);
                assertEquals(before, step.state(), where);
                return;
            }
            boolean closes = step.effects().stream().anyMatch(Effect.Close.class::isInstance);
            for (Effect e : step.effects()) {
                if (e instanceof Effect.Send send) {
                    checkSend(before, send, closes, where);
                } else if (e instanceof Effect.OpenSession) {
                    assertFalse(sessionAsked, "OpenSession twice: " + where);
                    sessionAsked = true;
                } else if (e instanceof Effect.EndSession) {
                    assertTrue(sessionAsked, "EndSession without OpenSession: " + where);
                    assertFalse(sessionEnded, "EndSession twice: " + where);
                    sessionEnded = true;
                }
            }
            if (closes) {
                assertInstanceOf(Closed.class, step.state(), "Close but not Closed: " + where);
            }
        }

        private void checkSend(ConnectionState before, Effect.Send send, boolean closes, String where) {
            MqttPacket p = send.packet();
            if (p instanceof Auth auth) {
                // Only while an agreed method's exchange runs, before CONNACK or after it
                // [MQTT-4.12.0-6]; always with that method and an Authenticate reason code.
                Connection c = ConnectionState.connectionOf(before);
                boolean agreed = before instanceof ConnectionState.Authenticating
                        || (c != null && c.authenticationMethod() != null);
                assertTrue(agreed, "AUTH without an agreed method: " + where);
                assertEquals(METHOD, auth.properties().string(PropertyId.AUTHENTICATION_METHOD), where);
                assertTrue(auth.reasonCode() == ReasonCode.CONTINUE_AUTHENTICATION
                        || auth.reasonCode() == ReasonCode.SUCCESS, where);
                return;
            }
            if (p instanceof ConnAck ack) {
                assertFalse(connAckSent, "a second CONNACK [MQTT-3.2.0-2]: " + where);
                connAckSent = true;
                if (ack.reasonCode().isError()) {
                    assertTrue(closes, "an error CONNACK must be followed by Close [MQTT-3.2.2-7]: " + where);
                    assertFalse(ack.sessionPresent(), "[MQTT-3.2.2-6]: " + where);
                }
                return;
            }
            assertTrue(connAckSent, "sent " + p.type() + " before CONNACK [MQTT-3.2.0-1] [MQTT-3.14.0-1]: " + where);
            if (p instanceof Disconnect d) {
                assertEquals(MqttVersion.V5, send.version(), "DISCONNECT to a 3.x client: " + where);
                assertTrue(closes, "DISCONNECT without Close [MQTT-4.13.2-1]: " + where);
                assertFalse(d.properties().contains(PropertyId.SESSION_EXPIRY_INTERVAL),
                        "server DISCONNECT with Session Expiry [MQTT-3.14.2-2]: " + where);
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.0-1] [MQTT-3.2.0-2] the invariant check itself flags a DISCONNECT before CONNACK and a"
            + " second CONNACK")
    void theCheckCanFail() {
        ConnectionState open = new ConnectionState.AwaitingConnect();
        Step disconnectFirst = new Step(new Closed(MqttVersion.V5), List.of(
                new Effect.Send(Disconnect.of(ReasonCode.PROTOCOL_ERROR), MqttVersion.V5), new Effect.Close("x")));
        assertThrows(AssertionError.class, () -> new Invariants().check(open, disconnectFirst, "fabricated"));

        Effect.Send ok = new Effect.Send(new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY), MqttVersion.V5);
        Invariants twice = new Invariants();
        twice.check(open, new Step(open, List.of(ok)), "fabricated");
        assertThrows(AssertionError.class, () -> twice.check(open, new Step(open, List.of(ok)), "fabricated"));
    }

    private static final Qos[] QOS = Qos.values();
    private static final String METHOD = "SCRAM-SHA-256";

    private static EngineInput randomInput(Random r, boolean auth) {
        int id = 1 + r.nextInt(3);
        Qos qos = QOS[r.nextInt(3)];
        return switch (r.nextInt(auth ? 34 : 26)) {
            case 0, 1, 2 -> received(connectPacket(r, auth));
            case 3, 4 -> received(publish(r, qos, id));
            case 5 -> received(PubAck.success(id));
            case 6 -> received(r.nextBoolean() ? PubRec.success(id)
                    : new PubRec(id, ReasonCode.UNSPECIFIED_ERROR, MqttProperties.EMPTY));
            case 7 -> received(PubRel.success(id));
            case 8 -> received(PubComp.success(id));
            case 9 -> received(subscribe(r, id));
            case 10 -> received(new Unsubscribe(id, List.of(r.nextBoolean() ? "a/+" : "a/#/b"), MqttProperties.EMPTY));
            case 11 -> received(PingReq.INSTANCE);
            case 12 -> received(disconnect(r));
            case 13 -> received(serverOnlyPacket(r));
            case 14 -> new EngineInput.DecodeFailed(new DecodeException(pick(r, ReasonCode.MALFORMED_PACKET,
                    ReasonCode.PROTOCOL_ERROR, ReasonCode.PACKET_TOO_LARGE, ReasonCode.TOPIC_NAME_INVALID,
                    ReasonCode.TOPIC_ALIAS_INVALID, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION), "random"));
            case 15, 16 -> new EngineInput.SessionOpened(r.nextBoolean());
            case 17 -> new EngineInput.SessionRefused(pick(r, ReasonCode.SERVER_UNAVAILABLE, ReasonCode.SERVER_BUSY,
                    ReasonCode.NOT_AUTHORIZED));
            case 18 -> qos == Qos.AT_MOST_ONCE ? new EngineInput.InboundReleased(id, r.nextBoolean())
                    : new EngineInput.PublishSettled(id, qos, pick(r, ReasonCode.SUCCESS,
                            ReasonCode.NO_MATCHING_SUBSCRIBERS, ReasonCode.QUOTA_EXCEEDED), r.nextBoolean());
            case 19 -> r.nextBoolean() ? new EngineInput.Subscribed(id, List.of(ReasonCode.GRANTED_QOS_1))
                    : new EngineInput.Unsubscribed(id, List.of(ReasonCode.SUCCESS));
            case 20 -> r.nextBoolean() ? new EngineInput.Deliver(publish(r, qos, id))
                    : new EngineInput.Release(PubRel.success(id));
            case 21 -> pick(r, new EngineInput.KeepAliveExpired(), new EngineInput.ConnectTimeout());
            case 22 -> pick(r, new EngineInput.TakenOver(), new EngineInput.ServerShuttingDown());
            case 23, 26, 27, 28, 29 -> new EngineInput.Authenticated(pick(r, new AuthVerdict.Continue(new byte[] {1}),
                    new AuthVerdict.Success(r.nextBoolean() ? null : new byte[] {2}),
                    new AuthVerdict.Failure(pick(r, ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED), "x")));
            case 24, 30, 31, 32, 33 -> received(new Auth(pick(r, ReasonCode.CONTINUE_AUTHENTICATION, ReasonCode.RE_AUTHENTICATE,
                    ReasonCode.SUCCESS), MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD,
                    r.nextInt(4) == 0 ? "PLAIN" : METHOD).build()));
            default -> new EngineInput.ConnectionLost();
        };
    }

    private static EngineInput received(MqttPacket p) {
        return new EngineInput.PacketReceived(p, EngineConnection.NOW);
    }

    private static MqttPacket connectPacket(Random r, boolean auth) {
        MqttVersion version = MqttVersion.values()[r.nextInt(3)];
        String clientId = r.nextInt(4) == 0 ? "" : CLIENT_ID;
        MqttProperties.Builder b = MqttProperties.builder();
        if (version.isV5() && r.nextBoolean()) {
            b.add(PropertyId.SESSION_EXPIRY_INTERVAL, (long) r.nextInt(3) * 150);
        }
        if (version.isV5() && (auth ? r.nextInt(4) > 0 : r.nextBoolean())) {
            b.add(PropertyId.AUTHENTICATION_METHOD, r.nextInt(4) == 0 ? "PLAIN" : METHOD);
        }
        MqttProperties props = b.build();
        return connect(version, clientId, r.nextBoolean(), r.nextInt(3) * 30,
                r.nextBoolean() ? EngineConnection.will(r.nextBoolean() ? "w/t" : "w/#", QOS[r.nextInt(3)],
                        r.nextBoolean()) : null,
                props);
    }

    private static Publish publish(Random r, Qos qos, int id) {
        MqttProperties props = r.nextBoolean() ? MqttProperties.EMPTY
                : MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 1 + r.nextInt(3)).build();
        String topic = r.nextInt(3) == 0 && props.contains(PropertyId.TOPIC_ALIAS) ? "" : "a/b";
        return new Publish(topic, qos, r.nextInt(4) == 0, qos != Qos.AT_MOST_ONCE && r.nextBoolean(),
                qos == Qos.AT_MOST_ONCE ? 0 : id, new byte[r.nextInt(3) * 40], props);
    }

    private static Subscribe subscribe(Random r, int id) {
        String filter = pick(r, "a/+", "a/#/b", "$share/g/a", "$share/g");
        SubscriptionOptions options = new SubscriptionOptions(QOS[r.nextInt(3)], r.nextBoolean(), r.nextBoolean(),
                r.nextInt(3));
        MqttProperties props = r.nextBoolean() ? MqttProperties.EMPTY
                : MqttProperties.builder().add(PropertyId.SUBSCRIPTION_IDENTIFIER, 7).build();
        return new Subscribe(id, List.of(new Subscription(filter, options)), props);
    }

    private static Disconnect disconnect(Random r) {
        ReasonCode reason = pick(r, ReasonCode.NORMAL_DISCONNECTION, ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                ReasonCode.UNSPECIFIED_ERROR);
        MqttProperties props = r.nextBoolean() ? MqttProperties.EMPTY
                : MqttProperties.builder().add(PropertyId.SESSION_EXPIRY_INTERVAL, (long) r.nextInt(2) * 60).build();
        return new Disconnect(reason, props);
    }

    private static MqttPacket serverOnlyPacket(Random r) {
        return switch (r.nextInt(5)) {
            case 0 -> new ConnAck(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);
            case 1 -> new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), MqttProperties.EMPTY);
            case 2 -> new UnsubAck(1, List.of(), MqttProperties.EMPTY);
            case 3 -> PingResp.INSTANCE;
            default -> new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.EMPTY);
        };
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }
}
