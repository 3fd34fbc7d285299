package io.courier.app.loadtool;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientTransportConfig;
import com.hivemq.client.mqtt.MqttClientTransportConfigBuilder;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection of the load tool, the same few operations over the HiveMQ MQTT client's
 * asynchronous 3.1.1 and 5.0 APIs ({@link Mqtt3BenchClient}, {@link Mqtt5BenchClient}). A
 * third-party client, so the figures mean the same against any broker. All clients share the
 * HiveMQ client's default executor configuration, i.e. one Netty event-loop group for the whole
 * tool, and message callbacks run on it (no hand-off per message).
 *
 * <p>Every future fails when the broker refuses (CONNACK, SUBACK or PUBACK/PUBREC with an error
 * code), so a refusal is never counted as success.
 */
public interface BenchClient {

    /** What a client needs to know to connect. */
    record Settings(int mqttVersion, String clientId, InetSocketAddress broker, InetAddress localAddress,
                    int keepAliveSeconds, long sessionExpiry, boolean cleanStart, int connectTimeoutSeconds) {
    }

    /** Counts connections the broker or the network closed, not the ones the tool closed. */
    interface DisconnectWatcher {
        void unexpectedDisconnect(String clientId, Throwable cause);
    }

    static BenchClient create(Settings settings, Consumer<ByteBuffer> onMessage, DisconnectWatcher watcher) {
        return settings.mqttVersion() == 3
                ? new Mqtt3BenchClient(settings, onMessage, watcher)
                : new Mqtt5BenchClient(settings, onMessage, watcher);
    }

    CompletableFuture<Void> connect();

    CompletableFuture<Void> subscribe(String filter, int qos);

    /** Completes when the publish is done for its QoS: written (0), PUBACK (1), PUBCOMP (2). */
    CompletableFuture<Void> publish(String topic, int qos, byte[] payload);

    /**
     * A normal DISCONNECT. With {@code endSession} an MQTT 5 client also sets its session expiry
     * to 0 so that a persistent session does not outlive the run; 3.1.1 has no such field.
     */
    CompletableFuture<Void> disconnect(boolean endSession);

    /** The transport part both versions share: broker address, source address, timeouts. */
    static MqttClientTransportConfig transport(Settings s) {
        MqttClientTransportConfigBuilder b = MqttClientTransportConfig.builder()
                .serverAddress(s.broker())
                .socketConnectTimeout(s.connectTimeoutSeconds(), TimeUnit.SECONDS)
                .mqttConnectTimeout(s.connectTimeoutSeconds(), TimeUnit.SECONDS);
        if (s.localAddress() != null) {
            b.localAddress(s.localAddress());
        }
        return b.build();
    }

    /** Builder settings both versions share; the client id and the disconnect listener. */
    static <B extends com.hivemq.client.mqtt.MqttClientBuilderBase<B>> B common(B builder, Settings s, DisconnectWatcher watcher) {
        return builder.identifier(s.clientId())
                .transportConfig(transport(s))
                .addDisconnectedListener(ctx -> {
                    if (ctx.getSource() != MqttDisconnectSource.USER) {
                        watcher.unexpectedDisconnect(s.clientId(), ctx.getCause());
                    }
                });
    }

    /** The builder every client starts from (kept in one place so both versions agree). */
    static com.hivemq.client.mqtt.MqttClientBuilder builder() {
        return MqttClient.builder();
    }
}
