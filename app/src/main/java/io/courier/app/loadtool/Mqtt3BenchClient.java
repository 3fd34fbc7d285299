package io.courier.app.loadtool;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link BenchClient} over the HiveMQ client's MQTT 3.1.1 asynchronous API. A session expiry
 * above 0 means Clean Session 0 (3.1.1 sessions have no expiry of their own; the broker decides
 * how long to keep them), which also resumes any session the client id had: 3.1.1 cannot ask
 * for a fresh persistent session, so the tool's client ids carry a random run prefix.
 */
final class Mqtt3BenchClient implements BenchClient {

    private final Mqtt3AsyncClient client;
    private final Settings settings;

    Mqtt3BenchClient(Settings settings, Consumer<ByteBuffer> onMessage, DisconnectWatcher watcher) {
        this.settings = settings;
        this.client = BenchClient.common(BenchClient.builder().useMqttVersion3(), settings, watcher).buildAsync();
        // Registered before CONNECT so messages queued in a resumed session are not missed.
        client.publishes(MqttGlobalPublishFilter.ALL, p -> onMessage.accept(p.getPayload().orElse(EMPTY)));
    }

    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    @Override
    public CompletableFuture<Void> connect() {
        boolean persistent = settings.sessionExpiry() > 0;
        return client.connectWith()
                .cleanSession(!persistent)
                .keepAlive(settings.keepAliveSeconds())
                .send()
                .thenApply(ack -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter, int qos) {
        return client.subscribeWith().topicFilter(filter).qos(MqttQos.fromCode(qos)).send().thenApply(ack -> {
            for (Mqtt3SubAckReturnCode code : ack.getReturnCodes()) {
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
                .thenApply(p -> null);
    }

    @Override
    public CompletableFuture<Void> disconnect(boolean endSession) {
        return client.disconnect();
    }
}
