package io.courier.broker;

import com.typesafe.config.Config;
import io.courier.broker.routing.SharedSubscriptionStrategy;
import io.courier.protocol.engine.EngineSettings;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.session.OutboundQueue;
import java.time.Duration;

/**
 * The broker core's settings, read once from the {@code courier} section (see reference.conf
 * for what each key means). Immutable.
 */
public record BrokerSettings(
        EngineSettings engine,
        Duration connectTimeout,
        int maxQueuedMessages,
        OutboundQueue.OverflowPolicy queueOverflowPolicy,
        int snapshotEveryEvents,
        Duration publishAckTimeout,
        int retainedMaxMessages,
        long retainedMaxBytes,
        SharedSubscriptionStrategy sharedSubscriptionStrategy) {

    public static BrokerSettings fromConfig(Config root) {
        Config mqtt = root.getConfig("courier.mqtt");
        EngineSettings engine = new EngineSettings(
                (int) mqtt.getMemorySize("max-packet-size").toBytes(),
                mqtt.getInt("receive-maximum"),
                mqtt.getInt("topic-alias-maximum"),
                Qos.ofValue(mqtt.getInt("maximum-qos")),
                mqtt.getBoolean("retain-available"),
                mqtt.getDuration("max-session-expiry").toSeconds(),
                mqtt.getInt("max-client-id-length"),
                mqtt.getBoolean("server-keep-alive.enabled") ? (int) mqtt.getDuration("server-keep-alive.value").toSeconds() : -1,
                mqtt.getInt("max-inflight-v3"),
                mqtt.getString("response-information"),
                mqtt.getString("server-reference"),
                mqtt.getBoolean("server-moved"),
                mqtt.getBoolean("outbound-topic-aliases"));
        Config session = root.getConfig("courier.session");
        Config retained = root.getConfig("courier.retained");
        return new BrokerSettings(
                engine,
                mqtt.getDuration("connect-timeout"),
                session.getInt("max-queued-messages"),
                OutboundQueue.OverflowPolicy.valueOf(session.getString("queue-overflow").toUpperCase().replace('-', '_')),
                session.getInt("snapshot-every-events"),
                mqtt.getDuration("publish-ack-timeout"),
                retained.getInt("max-messages"),
                retained.getMemorySize("max-bytes").toBytes(),
                SharedSubscriptionStrategy.parse(mqtt.getString("shared-subscription-strategy")));
    }
}
