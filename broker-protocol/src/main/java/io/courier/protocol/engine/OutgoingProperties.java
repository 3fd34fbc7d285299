package io.courier.protocol.engine;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.PublishAck;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;

/**
 * What the client allowed on the server's packets other than PUBLISH, applied on the way out:
 * every packet sent on an accepted connection passes {@link #forClient}, so no handler has to
 * remember the rules.
 *
 * <p>Reason String and User Property are the optional extras ("problem information"). A client
 * that set Request Problem Information to 0 gets them only on PUBLISH, CONNACK and DISCONNECT
 * [MQTT-3.1.2-29].
 *
 * <p>The client's Maximum Packet Size binds every packet [MQTT-3.1.2-24]. PUBLISH is
 * {@link PublishFlow}'s business (it drops and settles the message, [MQTT-3.1.2-25]); for the
 * rest the problem information is the first to go, since each of those properties "MUST NOT"
 * be sent if it would make the packet too large (e.g. [MQTT-3.4.2-2] [MQTT-3.4.2-3] on PUBACK,
 * the same on every ack, CONNACK and DISCONNECT). What is still too large is not sent.
 */
final class OutgoingProperties {

    private OutgoingProperties() {
    }

    /** {@code packet} as it may go to the client of {@code c}, or null if it may not go at all. */
    static MqttPacket forClient(Connection c, MqttPacket packet) {
        if (!c.version().isV5()) {
            return packet; // 3.x carries no properties and announces no Maximum Packet Size
        }
        MqttPacket allowed = switch (packet.type()) {
            case PUBLISH, CONNACK, DISCONNECT -> packet;
            default -> c.problemInformation() ? packet : withoutProblemInformation(packet);
        };
        if (allowed.type() == PacketType.PUBLISH || fits(c, allowed)) {
            return allowed;
        }
        MqttPacket smaller = withoutProblemInformation(allowed);
        return smaller != allowed && fits(c, smaller) ? smaller : null;
    }

    private static boolean fits(Connection c, MqttPacket packet) {
        return c.clientMaximumPacketSize() >= DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE
                || MqttEncoder.encodedSize(packet, c.version()) <= c.clientMaximumPacketSize();
    }

    /** The packet without Reason String and User Properties; itself if it has none. */
    static MqttPacket withoutProblemInformation(MqttPacket packet) {
        MqttProperties props = properties(packet);
        if (props == null
                || (!props.contains(PropertyId.REASON_STRING) && !props.contains(PropertyId.USER_PROPERTY))) {
            return packet;
        }
        return withProperties(packet, props.without(PropertyId.REASON_STRING, PropertyId.USER_PROPERTY));
    }

    /** The properties of a packet that has them besides PUBLISH, CONNECT and SUBSCRIBE; else null. */
    private static MqttProperties properties(MqttPacket packet) {
        if (packet instanceof PublishAck p) { // PUBACK, PUBREC, PUBREL, PUBCOMP
            return p.properties();
        } else if (packet instanceof SubAck p) {
            return p.properties();
        } else if (packet instanceof UnsubAck p) {
            return p.properties();
        } else if (packet instanceof Auth p) {
            return p.properties();
        } else if (packet instanceof ConnAck p) {
            return p.properties();
        } else if (packet instanceof Disconnect p) {
            return p.properties();
        }
        return null;
    }

    private static MqttPacket withProperties(MqttPacket packet, MqttProperties props) {
        if (packet instanceof PubAck p) {
            return new PubAck(p.packetId(), p.reasonCode(), props);
        } else if (packet instanceof PubRec p) {
            return new PubRec(p.packetId(), p.reasonCode(), props);
        } else if (packet instanceof PubRel p) {
            return new PubRel(p.packetId(), p.reasonCode(), props);
        } else if (packet instanceof PubComp p) {
            return new PubComp(p.packetId(), p.reasonCode(), props);
        } else if (packet instanceof SubAck p) {
            return new SubAck(p.packetId(), p.reasonCodes(), props);
        } else if (packet instanceof UnsubAck p) {
            return new UnsubAck(p.packetId(), p.reasonCodes(), props);
        } else if (packet instanceof Auth p) {
            return new Auth(p.reasonCode(), props);
        } else if (packet instanceof ConnAck p) {
            return new ConnAck(p.sessionPresent(), p.reasonCode(), props);
        } else if (packet instanceof Disconnect p) {
            return new Disconnect(p.reasonCode(), props);
        }
        throw new IllegalArgumentException("no properties on " + packet.type());
    }
}
