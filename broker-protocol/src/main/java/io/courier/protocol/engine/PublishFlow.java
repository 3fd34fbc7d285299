package io.courier.protocol.engine;

import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;

/**
 * PUBLISH and its acknowledgements, both directions (spec 3.3-3.7, 4.3). Inbound, the engine
 * resolves Topic Aliases, enforces the server's limits and hands the message on; it
 * acknowledges only when told the message is stored (ARCHITECTURE.md: PUBACK after durability).
 * Outbound, the session owns packet ids and the inflight window; the engine checks the
 * client's Maximum Packet Size and reports acknowledgements back.
 */
final class PublishFlow {

    private final EngineSettings settings;

    PublishFlow(EngineSettings settings) {
        this.settings = settings;
    }

    Step onPublish(Connected s, Publish p, long nowMillis) {
        Connection c = s.connection();
        Effects fx = new Effects();
        if (c.version().isV5()) {
            if (p.qos().value() > settings.maximumQos().value()) {
                return fx.refuse(c, ReasonCode.QOS_NOT_SUPPORTED, "QoS above Maximum QoS [MQTT-3.2.2-11]");
            }
            if (p.retain() && !settings.retainAvailable()) {
                return fx.refuse(c, ReasonCode.RETAIN_NOT_SUPPORTED, "retain not available [MQTT-3.2.2-14]");
            }
        }
        String topic = p.topic();
        InboundTopicAliases aliases = s.aliases();
        int alias = p.properties().intValue(PropertyId.TOPIC_ALIAS, 0);
        if (alias != 0) {
            if (alias > settings.topicAliasMaximum()) {
                return fx.refuse(c, ReasonCode.TOPIC_ALIAS_INVALID, "topic alias above the maximum [MQTT-3.3.2-9]");
            }
            if (topic.isEmpty()) {
                topic = aliases.resolve(alias);
                if (topic == null) {
                    // 0x94 is for an alias out of range; an empty topic with an alias that has no
                    // mapping is a Protocol Error (5.0 3.3.4, Topic Alias case 3a).
                    return fx.refuse(c, ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " has no mapping");
                }
            } else {
                aliases = aliases.define(alias, topic);
            }
        }
        int unacknowledged = s.inboundUnacknowledged();
        if (p.qos() != Qos.AT_MOST_ONCE) {
            if (c.version().isV5() && unacknowledged >= settings.receiveMaximum()) {
                return fx.refuse(c, ReasonCode.RECEIVE_MAXIMUM_EXCEEDED, "receive maximum exceeded [MQTT-3.3.4-7]");
            }
            unacknowledged++;
        }
        long expirySeconds = p.properties().longValue(PropertyId.MESSAGE_EXPIRY_INTERVAL, -1);
        long expiresAt = expirySeconds < 0 ? Message.NEVER : nowMillis + expirySeconds * 1000;
        // Topic Alias is per hop and Subscription Identifiers per subscription: neither travels.
        MqttProperties forwarded = p.properties().without(PropertyId.TOPIC_ALIAS, PropertyId.SUBSCRIPTION_IDENTIFIER);
        Message message = new Message(topic, p.payload(), p.qos(), p.retain(), forwarded, c.clientId(), expiresAt);
        fx.add(new Effect.PublishInbound(message, p.packetId()));
        Connected next = s;
        if (aliases != s.aliases()) {
            next = next.withAliases(aliases);
        }
        if (unacknowledged != s.inboundUnacknowledged()) {
            next = next.withInboundUnacknowledged(unacknowledged);
        }
        return fx.step(next);
    }

    /** PUBACK for QoS 1, PUBREC for QoS 2 (spec 4.3.2, 4.3.3). */
    Step onSettled(Connected s, EngineInput.PublishSettled settled) {
        Connection c = s.connection();
        Effects fx = new Effects();
        ReasonCode reason = settled.reason();
        int unacknowledged = s.inboundUnacknowledged();
        if (settled.qos() == Qos.AT_LEAST_ONCE) {
            fx.send(c, new PubAck(settled.packetId(), reason, MqttProperties.EMPTY));
            unacknowledged--;
        } else {
            fx.send(c, new PubRec(settled.packetId(), reason, MqttProperties.EMPTY));
            // A failed PUBREC ends the exchange; a duplicate was counted twice on arrival.
            if (reason.isError() || settled.duplicate()) {
                unacknowledged--;
            }
        }
        return fx.step(s.withInboundUnacknowledged(unacknowledged));
    }

    /** PUBCOMP once the session has forgotten the packet id [MQTT-4.3.3-12]. */
    Step onReleased(Connected s, EngineInput.InboundReleased released) {
        Connection c = s.connection();
        ReasonCode reason = released.known() || !c.version().isV5()
                ? ReasonCode.SUCCESS : ReasonCode.PACKET_IDENTIFIER_NOT_FOUND;
        Effects fx = new Effects().send(c, new PubComp(released.packetId(), reason, MqttProperties.EMPTY));
        return fx.step(released.known() ? s.withInboundUnacknowledged(s.inboundUnacknowledged() - 1) : s);
    }

    Step onPubAck(Connected s, PubAck ack) {
        return new Effects().add(new Effect.AcknowledgeOutbound(ack.packetId(), Effect.OutboundAck.PUBACK)).step(s);
    }

    /** PUBREC: answer with PUBREL straight away [MQTT-4.3.3-4], unless the receiver refused. */
    Step onPubRec(Connected s, PubRec rec) {
        Effects fx = new Effects();
        if (rec.reasonCode().isError()) {
            return fx.add(new Effect.AcknowledgeOutbound(rec.packetId(), Effect.OutboundAck.PUBREC_FAILED)).step(s);
        }
        fx.add(new Effect.AcknowledgeOutbound(rec.packetId(), Effect.OutboundAck.PUBREC));
        fx.send(s.connection(), PubRel.success(rec.packetId()));
        return fx.step(s);
    }

    Step onPubComp(Connected s, PubComp comp) {
        return new Effects().add(new Effect.AcknowledgeOutbound(comp.packetId(), Effect.OutboundAck.PUBCOMP)).step(s);
    }

    /**
     * A message from the session to the client, under a Topic Alias if the server uses them. One
     * too large for the client's Maximum Packet Size is dropped unsent and counts as delivered
     * [MQTT-3.1.2-25]; an alias it would have defined is not kept, since the client never saw it.
     */
    Step onDeliver(Connected s, Publish p) {
        Connection c = s.connection();
        Effects fx = new Effects();
        Publish out = p;
        Connected next = s;
        // Never to 3.x, and never more than the client accepts: none if it announced 0
        // [MQTT-3.3.2-8] [MQTT-3.3.2-10].
        if (settings.outboundTopicAliases() && c.version().isV5() && c.clientTopicAliasMaximum() > 0
                && !p.topic().isEmpty()) {
            OutboundTopicAliases.Use use = s.outboundAliases().use(p.topic(), c.clientTopicAliasMaximum());
            out = new Publish(use.known() ? "" : p.topic(), p.qos(), p.retain(), p.dup(), p.packetId(),
                    p.payload(), p.properties().with(Property.of(PropertyId.TOPIC_ALIAS, use.alias())));
            next = s.withOutboundAliases(use.next());
        }
        if (c.clientMaximumPacketSize() < io.courier.protocol.codec.DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE
                && MqttEncoder.encodedSize(out, c.version()) > c.clientMaximumPacketSize()) {
            if (p.qos() != Qos.AT_MOST_ONCE) {
                fx.add(new Effect.AcknowledgeOutbound(p.packetId(), Effect.OutboundAck.DISCARDED));
            }
            fx.add(new Effect.PacketDropped(PacketType.PUBLISH,
                    "larger than the client's Maximum Packet Size [MQTT-3.1.2-25]"));
            return fx.step(s);
        }
        return fx.send(out, c.version()).step(next);
    }
}
