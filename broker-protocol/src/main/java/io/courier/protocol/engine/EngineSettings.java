package io.courier.protocol.engine;

import io.courier.protocol.packet.Qos;

/**
 * What the server announces and enforces per connection; built once from configuration.
 *
 * @param maximumPacketSize       largest packet the server accepts (announced in 5.0 CONNACK)
 * @param receiveMaximum          inbound QoS 1/2 PUBLISHes a client may have unacknowledged
 *                                [MQTT-3.3.4-7]; exceeded -> DISCONNECT 0x93
 * @param topicAliasMaximum       aliases a 5.0 client may define towards the server (0 = none)
 * @param maximumQos              highest QoS accepted from publishers (5.0 CONNACK Maximum QoS)
 * @param retainAvailable         whether RETAIN is supported (0x9A otherwise)
 * @param maxSessionExpirySeconds cap on the Session Expiry Interval a client asks for
 * @param maxClientIdLength       longest client identifier accepted (bytes of UTF-8 are checked
 *                                by the codec; this is a count of chars)
 * @param serverKeepAliveSeconds  if >= 0, the keep alive the server imposes (5.0 Server Keep
 *                                Alive); -1 accepts the client's
 * @param maxInflightV3           outbound window for 3.x clients, which cannot announce one
 * @param responseInformation     5.0 Response Information given in CONNACK to a client that sets
 *                                Request Response Information (3.2.2.3.15); empty = never sent
 * @param serverReference         if not empty, every CONNECT is refused and a 5.0 client told to
 *                                use this server instead (spec 4.11); empty = serve normally
 * @param serverMoved             with a server reference: 0x9D Server moved (permanent) rather
 *                                than 0x9C Use another server (temporary)
 * @param outboundTopicAliases    whether the server gives topics of its PUBLISHes to a 5.0
 *                                client aliases, within the client's Topic Alias Maximum
 * @param authenticationMethods   the enhanced authentication methods (4.12) the owner has an
 *                                authenticator for; a CONNECT naming another gets 0x8C
 */
public record EngineSettings(
        int maximumPacketSize,
        int receiveMaximum,
        int topicAliasMaximum,
        Qos maximumQos,
        boolean retainAvailable,
        long maxSessionExpirySeconds,
        int maxClientIdLength,
        int serverKeepAliveSeconds,
        int maxInflightV3,
        String responseInformation,
        String serverReference,
        boolean serverMoved,
        boolean outboundTopicAliases,
        java.util.Set<String> authenticationMethods) {

    /** Settings without enhanced authentication. */
    public EngineSettings(int maximumPacketSize, int receiveMaximum, int topicAliasMaximum, Qos maximumQos,
                          boolean retainAvailable, long maxSessionExpirySeconds, int maxClientIdLength,
                          int serverKeepAliveSeconds, int maxInflightV3, String responseInformation,
                          String serverReference, boolean serverMoved, boolean outboundTopicAliases) {
        this(maximumPacketSize, receiveMaximum, topicAliasMaximum, maximumQos, retainAvailable,
                maxSessionExpirySeconds, maxClientIdLength, serverKeepAliveSeconds, maxInflightV3,
                responseInformation, serverReference, serverMoved, outboundTopicAliases, java.util.Set.of());
    }

    /** These settings with {@code methods} as the enhanced authentication methods offered. */
    public EngineSettings withAuthenticationMethods(java.util.Set<String> methods) {
        return new EngineSettings(maximumPacketSize, receiveMaximum, topicAliasMaximum, maximumQos, retainAvailable,
                maxSessionExpirySeconds, maxClientIdLength, serverKeepAliveSeconds, maxInflightV3,
                responseInformation, serverReference, serverMoved, outboundTopicAliases, methods);
    }

    public EngineSettings {
        authenticationMethods = java.util.Set.copyOf(authenticationMethods);
        java.util.Objects.requireNonNull(responseInformation, "responseInformation");
        java.util.Objects.requireNonNull(serverReference, "serverReference");
        if (receiveMaximum < 1 || receiveMaximum > 0xFFFF) {
            throw new IllegalArgumentException("receive maximum must be 1..65535: " + receiveMaximum);
        }
        if (topicAliasMaximum < 0 || topicAliasMaximum > 0xFFFF) {
            throw new IllegalArgumentException("topic alias maximum must be 0..65535: " + topicAliasMaximum);
        }
    }

    /** Defaults close to what Mosquitto and EMQX ship with. */
    public static EngineSettings defaults() {
        return new EngineSettings(1024 * 1024, 1024, 64, Qos.EXACTLY_ONCE, true, 0xFFFF_FFFFL, 128, -1, 64, "", "", false, false);
    }
}
