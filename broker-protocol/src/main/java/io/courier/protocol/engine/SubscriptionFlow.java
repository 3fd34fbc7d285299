package io.courier.protocol.engine;

import io.courier.protocol.engine.ConnectionState.Connected;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.topic.InvalidTopicException;
import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE and UNSUBSCRIBE (spec 3.8-3.11): the engine judges each filter's syntax and grants
 * at most the server's Maximum QoS; the session records what is valid and answers with one
 * code per entry [MQTT-3.8.4-6], which goes back in SUBACK / UNSUBACK in the same order
 * [MQTT-3.9.3-1] [MQTT-3.11.3-1].
 */
final class SubscriptionFlow {

    private final EngineSettings settings;

    SubscriptionFlow(EngineSettings settings) {
        this.settings = settings;
    }

    Step onSubscribe(Connected s, Subscribe p) {
        Connection c = s.connection();
        Effects fx = new Effects();
        List<Effect.SubscribeEntry> entries = new ArrayList<>(p.subscriptions().size());
        for (Subscription sub : p.subscriptions()) {
            SubscriptionOptions options = sub.options();
            ReasonCode rejected = null;
            try {
                SubscriptionFilter filter = SubscriptionFilter.parse(sub.topicFilter());
                if (filter instanceof SharedFilter && options.noLocal() && c.version().isV5()) {
                    return fx.refuse(c, ReasonCode.PROTOCOL_ERROR, "No Local on a shared subscription [MQTT-3.8.3-4]");
                }
            } catch (InvalidTopicException e) {
                rejected = ReasonCode.TOPIC_FILTER_INVALID; // 3.x SUBACK carries it as 0x80
            }
            if (options.qos().value() > settings.maximumQos().value()) {
                // Grant less than asked rather than refuse; SUBACK tells the client (spec 3.8.4)
                options = new SubscriptionOptions(settings.maximumQos(), options.noLocal(),
                        options.retainAsPublished(), options.retainHandling());
            }
            entries.add(new Effect.SubscribeEntry(sub.topicFilter(), options, rejected));
        }
        int subscriptionId = p.properties().intValue(PropertyId.SUBSCRIPTION_IDENTIFIER, 0);
        return fx.add(new Effect.SubscribeRequest(p.packetId(), entries, subscriptionId)).step(s);
    }

    Step onSubscribed(Connected s, EngineInput.Subscribed done) {
        Connection c = s.connection();
        return new Effects()
                .send(c, new SubAck(done.packetId(), done.reasonCodes(), MqttProperties.EMPTY))
                .step(s);
    }

    Step onUnsubscribe(Connected s, Unsubscribe p) {
        List<Effect.UnsubscribeEntry> entries = new ArrayList<>(p.topicFilters().size());
        for (String text : p.topicFilters()) {
            ReasonCode rejected = null;
            try {
                SubscriptionFilter.parse(text);
            } catch (InvalidTopicException e) {
                rejected = ReasonCode.TOPIC_FILTER_INVALID;
            }
            entries.add(new Effect.UnsubscribeEntry(text, rejected));
        }
        return new Effects().add(new Effect.UnsubscribeRequest(p.packetId(), entries)).step(s);
    }

    Step onUnsubscribed(Connected s, EngineInput.Unsubscribed done) {
        Connection c = s.connection();
        return new Effects()
                .send(c, new UnsubAck(done.packetId(), done.reasonCodes(), MqttProperties.EMPTY))
                .step(s);
    }
}
