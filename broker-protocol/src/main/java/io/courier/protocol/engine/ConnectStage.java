package io.courier.protocol.engine;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.topic.InvalidTopicException;
import io.courier.protocol.topic.TopicName;
import java.util.List;

/**
 * From CONNECT to CONNACK (spec 3.1 and 3.2): validates what the codec left to the engine,
 * settles the connection's limits, asks for the session, and answers once it is attached.
 */
final class ConnectStage {

    private static final int UNLIMITED_RECEIVE = 0xFFFF;

    private final EngineSettings settings;
    private final ClientIdAssigner assigner;

    ConnectStage(EngineSettings settings, ClientIdAssigner assigner) {
        this.settings = settings;
        this.assigner = assigner;
    }

    Step onConnect(Connect c) {
        MqttVersion v = c.version();
        MqttProperties p = c.properties();
        String clientId = c.clientId();
        boolean assigned = false;
        if (!settings.serverReference().isEmpty()) {
            return redirect(v);
        }
        if (clientId.isEmpty()) {
            // 3.1 has no empty identifier; 3.1.1 allows it only with a clean session
            // [MQTT-3.1.3-7] [MQTT-3.1.3-8]; 5.0 always lets the server assign one [MQTT-3.1.3-6].
            if (v == MqttVersion.V3_1 || (v == MqttVersion.V3_1_1 && !c.cleanStart())) {
                return reject(v, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "empty client identifier");
            }
            clientId = assigner.assign();
            assigned = true;
        } else if (clientId.length() > settings.maxClientIdLength()) {
            return reject(v, ReasonCode.CLIENT_IDENTIFIER_NOT_VALID, "client identifier too long");
        }
        String method = p.string(PropertyId.AUTHENTICATION_METHOD);
        if (method == null && p.contains(PropertyId.AUTHENTICATION_DATA)) {
            // "It is a Protocol Error to include Authentication Data if there is no
            // Authentication Method" (3.1.2.11.10).
            return reject(v, ReasonCode.PROTOCOL_ERROR, "authentication data without an authentication method");
        }
        if (method != null && !settings.authenticationMethods().contains(method)) {
            return reject(v, ReasonCode.BAD_AUTHENTICATION_METHOD, "authentication method '" + method
                    + "' not supported [MQTT-4.12.0-1]");
        }
        Will will = c.will();
        if (will != null) {
            try {
                new TopicName(will.topic());
            } catch (InvalidTopicException e) {
                return reject(v, ReasonCode.TOPIC_NAME_INVALID, "invalid will topic: " + e.getMessage());
            }
            if (v.isV5() && will.qos().value() > settings.maximumQos().value()) {
                return reject(v, ReasonCode.QOS_NOT_SUPPORTED, "will QoS above the maximum [MQTT-3.2.2-12]");
            }
            if (v.isV5() && will.retain() && !settings.retainAvailable()) {
                return reject(v, ReasonCode.RETAIN_NOT_SUPPORTED, "retained will not supported [MQTT-3.2.2-13]");
            }
        }
        if (method != null) {
            // Enhanced authentication (4.12) first; the session is asked for once it succeeds.
            return new Effects()
                    .add(new Effect.Authenticate(clientId, method, p.binary(PropertyId.AUTHENTICATION_DATA), true, false))
                    .step(new ConnectionState.Authenticating(c, clientId, assigned, true));
        }
        return admit(c, clientId, assigned, MqttProperties.EMPTY);
    }

    /**
     * The CONNECT is valid and its client authenticated (or not asked to be): settle the
     * connection's limits and ask for the session. {@code authentication} is what the CONNACK
     * repeats of an enhanced authentication [MQTT-4.12.0-5].
     */
    Step admit(Connect c, String clientId, boolean assigned, MqttProperties authentication) {
        MqttVersion v = c.version();
        MqttProperties p = c.properties();
        Will will = c.will();

        // 3.x: Clean Session 1 ends the session with the connection; 0 keeps it as long as the
        // server allows. 5.0: the Session Expiry Interval says, absent = 0 (3.1.2.11.2).
        long askedExpiry = v.isV5()
                ? p.longValue(PropertyId.SESSION_EXPIRY_INTERVAL, 0)
                : (c.cleanStart() ? 0 : settings.maxSessionExpirySeconds());
        long expiry = Math.min(askedExpiry, settings.maxSessionExpirySeconds());
        boolean expiryCapped = v.isV5() && expiry < askedExpiry;

        int keepAlive = settings.serverKeepAliveSeconds() >= 0 && v.isV5()
                ? settings.serverKeepAliveSeconds() : c.keepAliveSeconds();
        int receiveMaximum = v.isV5()
                ? p.intValue(PropertyId.RECEIVE_MAXIMUM, UNLIMITED_RECEIVE) : settings.maxInflightV3();
        int maxPacket = (int) Math.min(Integer.MAX_VALUE,
                p.longValue(PropertyId.MAXIMUM_PACKET_SIZE, DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE));
        Connection connection = new Connection(v, clientId, keepAlive, expiry, askedExpiry, receiveMaximum,
                maxPacket, p.intValue(PropertyId.TOPIC_ALIAS_MAXIMUM, 0),
                p.intValue(PropertyId.REQUEST_PROBLEM_INFORMATION, 1) == 1,
                p.string(PropertyId.AUTHENTICATION_METHOD));

        Message willMessage = null;
        long willDelay = 0;
        if (will != null) {
            // The will's Message Expiry Interval counts from when it is published, so it stays a
            // property here and the session turns it into a deadline then.
            willMessage = new Message(will.topic(), will.payload(), will.qos(), will.retain(),
                    will.properties().without(PropertyId.WILL_DELAY_INTERVAL), clientId, Message.NEVER);
            willDelay = will.properties().longValue(PropertyId.WILL_DELAY_INTERVAL, 0);
        }
        Effects fx = new Effects().add(new Effect.OpenSession(clientId, v, c.cleanStart(), expiry,
                willMessage, willDelay, receiveMaximum));
        boolean responseInformation = v.isV5() && p.intValue(PropertyId.REQUEST_RESPONSE_INFORMATION, 0) == 1;
        return fx.step(new ConnectionState.AwaitingSession(connection, c.cleanStart(), assigned, expiryCapped,
                responseInformation, List.of(), authentication));
    }

    /** The session is attached: CONNACK with what this server announces (3.2.2.3), then traffic. */
    Step onSessionOpened(ConnectionState.AwaitingSession s, boolean sessionPresent) {
        Connection c = s.connection();
        MqttProperties props = MqttProperties.EMPTY;
        if (c.version().isV5()) {
            MqttProperties.Builder b = MqttProperties.builder();
            if (s.sessionExpiryCapped()) {
                b.add(PropertyId.SESSION_EXPIRY_INTERVAL, c.sessionExpirySeconds());
            }
            if (settings.receiveMaximum() != UNLIMITED_RECEIVE) {
                b.add(PropertyId.RECEIVE_MAXIMUM, settings.receiveMaximum());
            }
            if (settings.maximumQos().value() < 2) {
                b.add(PropertyId.MAXIMUM_QOS, settings.maximumQos().value());
            }
            if (!settings.retainAvailable()) {
                b.add(PropertyId.RETAIN_AVAILABLE, 0);
            }
            if (settings.maximumPacketSize() < DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE) {
                b.add(PropertyId.MAXIMUM_PACKET_SIZE, (long) settings.maximumPacketSize());
            }
            if (s.assignedClientId()) {
                b.add(PropertyId.ASSIGNED_CLIENT_IDENTIFIER, c.clientId());
            }
            if (settings.topicAliasMaximum() > 0) {
                b.add(PropertyId.TOPIC_ALIAS_MAXIMUM, settings.topicAliasMaximum());
            }
            if (settings.serverKeepAliveSeconds() >= 0) {
                b.add(PropertyId.SERVER_KEEP_ALIVE, settings.serverKeepAliveSeconds());
            }
            // Only to a client that asked [MQTT-3.1.2-28], and only if there is something to say:
            // the server may send none even then (3.2.2.3.15).
            if (s.responseInformationRequested() && !settings.responseInformation().isEmpty()) {
                b.add(PropertyId.RESPONSE_INFORMATION, settings.responseInformation());
            }
            for (var property : s.authentication().asList()) {
                b.add(property); // method and final data of enhanced authentication [MQTT-4.12.0-5]
            }
            props = b.build();
        }
        // A clean start never resumes a session: 5.0 [MQTT-3.2.2-2], 3.1.1 [MQTT-3.2.2-1].
        boolean present = sessionPresent && !s.cleanStart();
        Effects fx = new Effects()
                .send(c, new ConnAck(present, ReasonCode.SUCCESS, props))
                // 1.5 x: 5.0 [MQTT-3.1.2-22], 3.1.1 [MQTT-3.1.2-24]
                .add(new Effect.KeepAlive(c.keepAliveSeconds() * 1500L));
        return fx.step(new ConnectionState.Connected(c, InboundTopicAliases.NONE, 0));
    }

    /**
     * This server sends every client to another (spec 4.11): 5.0 names it in the Server
     * Reference of a refusing CONNACK; 3.1.1 has no way to, so it only hears the server is
     * unavailable (return code 3).
     */
    private Step redirect(MqttVersion v) {
        if (!v.isV5()) {
            return reject(v, ReasonCode.SERVER_UNAVAILABLE, "redirecting clients to " + settings.serverReference());
        }
        ReasonCode reason = settings.serverMoved() ? ReasonCode.SERVER_MOVED : ReasonCode.USE_ANOTHER_SERVER;
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.SERVER_REFERENCE, settings.serverReference()).build();
        return new Effects()
                .send(new ConnAck(false, reason, props), v)
                .add(new Effect.Close("client sent to " + settings.serverReference() + " (" + reason + ")"))
                .step(new ConnectionState.Closed(v));
    }

    /** CONNACK with an error, then close [MQTT-3.2.2-5] [MQTT-3.2.2-7]. */
    static Step reject(MqttVersion v, ReasonCode reason, String why) {
        return new Effects()
                .send(new ConnAck(false, reason, MqttProperties.EMPTY), v)
                .add(new Effect.Close(why + " (" + reason + ")"))
                .step(new ConnectionState.Closed(v));
    }
}
