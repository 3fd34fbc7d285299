package io.courier.protocol.engine;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Collects the effects of one step, with the few shapes every handler needs. */
final class Effects {

    private final List<Effect> list = new ArrayList<>(4);

    Effects add(Effect effect) {
        list.add(effect);
        return this;
    }

    /** Sends as is: only for the answers to a CONNECT before a connection is settled. */
    Effects send(MqttPacket packet, MqttVersion version) {
        return add(new Effect.Send(packet, version));
    }

    /**
     * Sends on a settled connection, within what its client allowed ({@link OutgoingProperties});
     * a packet too large for the client even without its extras is reported, not sent.
     */
    Effects send(Connection c, MqttPacket packet) {
        MqttPacket allowed = OutgoingProperties.forClient(c, packet);
        if (allowed == null) {
            return add(new Effect.PacketDropped(packet.type(), "larger than the client's Maximum Packet Size "
                    + c.clientMaximumPacketSize() + " [MQTT-3.1.2-24]"));
        }
        return add(new Effect.Send(allowed, c.version()));
    }

    /**
     * Ends the connection because of the server: 5.0 says why with DISCONNECT [MQTT-4.13.1-1],
     * 3.x can only close. The session is told the end was abnormal, so the will goes out.
     */
    Step refuse(Connection c, ReasonCode reason, String why) {
        if (c.version().isV5()) {
            send(c, Disconnect.of(disconnectCode(reason)));
        }
        add(new Effect.EndSession(Effect.SessionEnd.ABNORMAL, c.sessionExpirySeconds()));
        add(new Effect.Close(why + " (" + reason + ")"));
        return step(new ConnectionState.Closed(c.version()));
    }

    /**
     * Ends a connection whose CONNECT was accepted but whose CONNACK has not gone out. The server
     * may not send DISCONNECT before a successful CONNACK [MQTT-3.14.0-1] (3.1.1 has no server
     * DISCONNECT at all, and its first packet must be CONNACK [MQTT-3.2.0-1]), so 5.0 says why in
     * a CONNACK and then closes [MQTT-3.2.2-7]; 3.x, whose return codes name none of these
     * reasons, just closes [MQTT-3.2.2-6]. The session was asked for, so it is told the end.
     *
     * @param reason a CONNACK reason code
     */
    Step refuseBeforeConnAck(Connection c, ReasonCode reason, Effect.SessionEnd how, String why) {
        if (c.version().isV5()) {
            send(c, new ConnAck(false, reason, MqttProperties.EMPTY));
        }
        add(new Effect.EndSession(how, c.sessionExpirySeconds()));
        add(new Effect.Close(why + " (" + reason + ")"));
        return step(new ConnectionState.Closed(c.version()));
    }

    /**
     * A DISCONNECT must carry a DISCONNECT reason code [MQTT-3.14.2-1]. The one code the decoder
     * can give that is not one is 0x84, for a CONNECT with an unknown protocol level; after the
     * first CONNECT that packet is a Protocol Error whatever its level [MQTT-3.1.0-2].
     */
    private static ReasonCode disconnectCode(ReasonCode reason) {
        return reason.isValidFor(PacketType.DISCONNECT) ? reason : ReasonCode.PROTOCOL_ERROR;
    }

    Step step(ConnectionState state) {
        return new Step(state, list);
    }
}
