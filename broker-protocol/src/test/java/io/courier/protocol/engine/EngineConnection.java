package io.courier.protocol.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.List;

/**
 * One client connection driven through a real {@link ProtocolEngine}: it keeps the state
 * between inputs, so a test reads as the conversation it checks. No actors, no mocks
 * (ARCHITECTURE.md section 9): the engine is a pure function, so feeding it inputs and looking
 * at the state and effects it returns is the whole test.
 */
final class EngineConnection {

    /** The time every packet arrives at unless a test says otherwise. */
    static final long NOW = 1_700_000_000_000L;
    static final String CLIENT_ID = "meter-7";
    /** What the test assigner hands out for an empty client id. */
    static final String ASSIGNED_ID = "courier-assigned-1";
    /** Stands for any {@link Effect.Close}: the reason is free text for logs, not behaviour. */
    static final Effect.Close CLOSE = new Effect.Close("(any reason)");

    private final ProtocolEngine engine;
    private ConnectionState state;

    private EngineConnection(EngineSettings settings) {
        this.engine = new ProtocolEngine(settings, () -> ASSIGNED_ID);
        this.state = engine.initialState();
    }

    /** A network connection that has just opened: nothing received yet. */
    static EngineConnection opened() {
        return new EngineConnection(EngineSettings.defaults());
    }

    static EngineConnection opened(EngineSettings settings) {
        return new EngineConnection(settings);
    }

    /** CONNECT (clean start, keep alive 60) and an opened session, with default settings. */
    static EngineConnection connected(MqttVersion version) {
        return connected(EngineSettings.defaults(), connect(version, CLIENT_ID, true));
    }

    static EngineConnection connected(MqttVersion version, EngineSettings settings) {
        return connected(settings, connect(version, CLIENT_ID, true));
    }

    /** Drives a fresh connection through {@code connect} and a new session to Connected. */
    static EngineConnection connected(EngineSettings settings, Connect connect) {
        EngineConnection c = new EngineConnection(settings);
        c.receive(connect);
        c.feed(new EngineInput.SessionOpened(false));
        assertInstanceOf(Connected.class, c.state, "the fixture failed to connect");
        return c;
    }

    /** Feeds one input and returns the effects; the new state is kept. */
    List<Effect> feed(EngineInput input) {
        Step step = engine.on(state, input);
        state = step.state();
        return step.effects();
    }

    List<Effect> receive(MqttPacket packet) {
        return feed(new EngineInput.PacketReceived(packet, NOW));
    }

    List<Effect> receive(MqttPacket packet, long nowMillis) {
        return feed(new EngineInput.PacketReceived(packet, nowMillis));
    }

    ConnectionState state() {
        return state;
    }

    Connected connectedState() {
        return assertInstanceOf(Connected.class, state);
    }

    /** A CONNECT with keep alive 60, no will, no properties. */
    static Connect connect(MqttVersion version, String clientId, boolean cleanStart) {
        return connect(version, clientId, cleanStart, 60, null, MqttProperties.EMPTY);
    }

    static Connect connect(MqttVersion version, String clientId, boolean cleanStart, int keepAlive, Will will,
                           MqttProperties properties) {
        return new Connect(version, clientId, cleanStart, keepAlive, null, null, will, properties);
    }

    static Will will(String topic, Qos qos, boolean retain) {
        return new Will(topic, "gone".getBytes(), qos, retain, MqttProperties.EMPTY);
    }

    /** Asserts the exact effects in order; any {@link Effect.Close} matches {@link #CLOSE}. */
    static void assertEffects(List<Effect> actual, Effect... expected) {
        assertEquals(normalised(Arrays.asList(expected)), normalised(actual));
    }

    private static List<Effect> normalised(List<Effect> effects) {
        return effects.stream().map(e -> e instanceof Effect.Close ? CLOSE : e).toList();
    }

    /** The reason of the one Close among the effects, for tests that check it names its rule. */
    static String closeReason(List<Effect> effects) {
        List<Effect.Close> closes = effects.stream()
                .filter(Effect.Close.class::isInstance).map(Effect.Close.class::cast).toList();
        assertEquals(1, closes.size(), "expected exactly one Close in " + effects);
        return closes.get(0).why();
    }

    static Settings settings() {
        return new Settings();
    }

    /** {@link EngineSettings#defaults()} with the few changes a test names. */
    static final class Settings {
        private int maximumPacketSize;
        private int receiveMaximum;
        private int topicAliasMaximum;
        private Qos maximumQos;
        private boolean retainAvailable;
        private long maxSessionExpirySeconds;
        private int maxClientIdLength;
        private int serverKeepAliveSeconds;
        private int maxInflightV3;
        private String responseInformation;
        private String serverReference;
        private boolean serverMoved;
        private boolean outboundTopicAliases;

        private Settings() {
            EngineSettings d = EngineSettings.defaults();
            maximumPacketSize = d.maximumPacketSize();
            receiveMaximum = d.receiveMaximum();
            topicAliasMaximum = d.topicAliasMaximum();
            maximumQos = d.maximumQos();
            retainAvailable = d.retainAvailable();
            maxSessionExpirySeconds = d.maxSessionExpirySeconds();
            maxClientIdLength = d.maxClientIdLength();
            serverKeepAliveSeconds = d.serverKeepAliveSeconds();
            maxInflightV3 = d.maxInflightV3();
            responseInformation = d.responseInformation();
            serverReference = d.serverReference();
            serverMoved = d.serverMoved();
            outboundTopicAliases = d.outboundTopicAliases();
        }

        Settings maximumPacketSize(int v) {
            maximumPacketSize = v;
            return this;
        }

        Settings receiveMaximum(int v) {
            receiveMaximum = v;
            return this;
        }

        Settings topicAliasMaximum(int v) {
            topicAliasMaximum = v;
            return this;
        }

        Settings maximumQos(Qos v) {
            maximumQos = v;
            return this;
        }

        Settings retainAvailable(boolean v) {
            retainAvailable = v;
            return this;
        }

        Settings maxSessionExpirySeconds(long v) {
            maxSessionExpirySeconds = v;
            return this;
        }

        Settings maxClientIdLength(int v) {
            maxClientIdLength = v;
            return this;
        }

        Settings serverKeepAliveSeconds(int v) {
            serverKeepAliveSeconds = v;
            return this;
        }

        Settings responseInformation(String v) {
            responseInformation = v;
            return this;
        }

        Settings serverReference(String v) {
            serverReference = v;
            return this;
        }

        Settings serverMoved(boolean v) {
            serverMoved = v;
            return this;
        }

        Settings outboundTopicAliases(boolean v) {
            outboundTopicAliases = v;
            return this;
        }

        EngineSettings build() {
            return new EngineSettings(maximumPacketSize, receiveMaximum, topicAliasMaximum, maximumQos,
                    retainAvailable, maxSessionExpirySeconds, maxClientIdLength, serverKeepAliveSeconds,
                    maxInflightV3, responseInformation, serverReference, serverMoved,
                    outboundTopicAliases);
        }
    }
}
