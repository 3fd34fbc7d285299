package io.courier.protocol.engine;

import io.courier.protocol.packet.MqttVersion;

/**
 * What CONNECT settled for the life of a connection.
 *
 * @param keepAliveSeconds          the keep alive in force (the server's, if it imposed one)
 * @param sessionExpirySeconds      the Session Expiry Interval in force (capped by the server)
 * @param connectSessionExpirySeconds
 *                                  the Session Expiry Interval the CONNECT asked for, before the
 *                                  cap (3.x: what Clean Session implies); 0 here forbids a
 *                                  non-zero one on DISCONNECT (5.0 3.14.2.2.2)
 * @param clientReceiveMaximum      outbound QoS 1/2 deliveries the client accepts at once
 * @param clientMaximumPacketSize   largest packet the client accepts [MQTT-3.1.2-24]
 * @param clientTopicAliasMaximum   aliases the client accepts from the server
 * @param problemInformation        5.0 Request Problem Information: whether Reason Strings
 *                                  and User Properties may go on packets other than PUBLISH,
 *                                  CONNACK and DISCONNECT [MQTT-3.1.2-29]
 * @param authenticationMethod      the enhanced authentication method of the CONNECT, which
 *                                  re-authentication must use [MQTT-4.12.1-1]; null for none
 */
public record Connection(
        MqttVersion version,
        String clientId,
        int keepAliveSeconds,
        long sessionExpirySeconds,
        long connectSessionExpirySeconds,
        int clientReceiveMaximum,
        int clientMaximumPacketSize,
        int clientTopicAliasMaximum,
        boolean problemInformation,
        String authenticationMethod) {

    /** A connection without enhanced authentication. */
    public Connection(MqttVersion version, String clientId, int keepAliveSeconds, long sessionExpirySeconds,
                      long connectSessionExpirySeconds, int clientReceiveMaximum, int clientMaximumPacketSize,
                      int clientTopicAliasMaximum, boolean problemInformation) {
        this(version, clientId, keepAliveSeconds, sessionExpirySeconds, connectSessionExpirySeconds,
                clientReceiveMaximum, clientMaximumPacketSize, clientTopicAliasMaximum, problemInformation, null);
    }

    Connection withSessionExpiry(long seconds) {
        return new Connection(version, clientId, keepAliveSeconds, seconds, connectSessionExpirySeconds,
                clientReceiveMaximum, clientMaximumPacketSize, clientTopicAliasMaximum, problemInformation,
                authenticationMethod);
    }
}
