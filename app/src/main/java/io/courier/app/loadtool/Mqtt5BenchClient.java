package io.courier.app.loadtool;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** {@link BenchClient} over the HiveMQ client's MQTT 5 asynchronous API. */
final class Mqtt5BenchClient implements BenchClient {

    private final Mqtt5AsyncClient client;
    private final Settings settings;

    Mqtt5BenchClient(Settings settings, Consumer<ByteBuffer> onMessage, DisconnectWatcher watcher) {
        this.settings = settings;
        this.client = BenchClient.common(BenchClient.builder().useMqttVersion5(), settings, watcher).buildAsync();
        // Registered before CONNECT so messages queued in a resumed session are not missed.
        client.publishes(MqttGlobalPublishFilter.ALL, p -> onMessage.accept(p.getPayload().orElse(EMPTY)));
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public CompletableFuture<Void> connect() {
        return client.connectWith()
                .cleanStart(settings.cleanStart())
                .sessionExpiryInterval(settings.sessionExpiry())
                .keepAlive(settings.keepAliveSeconds())
                .send()
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos) {
        return client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send().thenApply(ack -> {
            for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
                if (code.isError()) {
                    throw new IllegalStateException("SUBACK " + code + " for " + filter);
                }
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<Void> publish(String topic, int qos, byte[] payload) {
        return client.publishWith().topic(topic).qos(MqttQos.fromCode(qos)).payload(payload).send()
                .thenApply(result -> {
                    if (result.getError().isPresent()) {
                        throw new IllegalStateException("publish refused", result.getError().get());
                    }
                    return null;
                });
    }

    @Override
    public CompletableFuture<Void> disconnect(boolean endSession) {
        if (endSession && settings.sessionExpiry() > 0) {
            return client.disconnectWith().sessionExpiryInterval(0).send();
        }
        return client.disconnect();
    }
}
