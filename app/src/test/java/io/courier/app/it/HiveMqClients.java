package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3ClientBuilder;
import com.hivemq.client.mqtt.mqtt3.message.publish.Mqtt3Publish;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

/**
 * HiveMQ MQTT clients (3.1.1 and 5.0) for the *IT tests: built against one broker address with
 * bounded connect timeouts, unique client ids, and disconnected by {@link #close()} if a test
 * left them connected. Receiving goes through the blocking client's {@code publishes} queue,
 * always with a bounded wait ({@link #RECEIVE_SECONDS}).
 */
final class HiveMqClients implements AutoCloseable {

    /** How long a test waits for a message it expects. */
    static final long RECEIVE_SECONDS = 5;

    private static final AtomicInteger IDS = new AtomicInteger();

    private final InetSocketAddress address;
    private final List<Object> clients = new ArrayList<>();

    HiveMqClients(InetSocketAddress address) {
        this.address = address;
    }

    HiveMqClients(EmbeddedBroker broker) {
        this(broker.address());
    }

    /**
     * A raw socket to the same broker, speaking {@code version}; closed by {@link #close()}
     * ({@link RawMqttSocket} is for what real clients refuse to do).
     */
    RawMqttSocket raw(io.courier.protocol.packet.MqttVersion version) throws java.io.IOException {
        RawMqttSocket s = RawMqttSocket.open(address, version);
        clients.add(s);
        return s;
    }

    /** A client id no other test uses: {@code prefix-n}. */
    static String uniqueId(String prefix) {
        return prefix + "-" + IDS.incrementAndGet();
    }

    /** A topic no other test uses: {@code it/prefix/n}. */
    static String uniqueTopic(String prefix) {
        return "it/" + prefix + "/" + IDS.incrementAndGet();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    static MqttQos qos(int level) {
        return MqttQos.fromCode(level);
    }

    // ---- 5.0 ----

    /** A 5.0 client, not connected; {@code id} null or empty asks the broker to assign one. */
    Mqtt5BlockingClient v5(String id) {
        return v5(id, UnaryOperator.identity());
    }

    Mqtt5BlockingClient v5(String id, UnaryOperator<Mqtt5ClientBuilder> customize) {
        return v5(id, address, customize);
    }

    /** A 5.0 client of another address (a {@link TcpRelay} in front of the broker). */
    Mqtt5BlockingClient v5(String id, InetSocketAddress to, UnaryOperator<Mqtt5ClientBuilder> customize) {
        Mqtt5ClientBuilder builder = MqttClient.builder().useMqttVersion5()
                .serverAddress(to)
                .transportConfig().mqttConnectTimeout(5, TimeUnit.SECONDS)
                .socketConnectTimeout(5, TimeUnit.SECONDS).applyTransportConfig();
        if (id != null) {
            builder = builder.identifier(id);
        }
        Mqtt5BlockingClient client = customize.apply(builder).buildBlocking();
        clients.add(client);
        return client;
    }

    /** A connected 5.0 client with a clean start and no session expiry. */
    Mqtt5BlockingClient v5Connected(String id) {
        Mqtt5BlockingClient client = v5(id);
        client.connect();
        return client;
    }

    static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> p = publishes.receive(RECEIVE_SECONDS, TimeUnit.SECONDS);
        if (p.isEmpty()) {
            fail("no PUBLISH within " + RECEIVE_SECONDS + " s");
        }
        return p.get();
    }

    /** Receives the next message and checks its topic and payload. */
    static Mqtt5Publish receive(Mqtt5BlockingClient.Mqtt5Publishes publishes, String topic, String payload)
            throws InterruptedException {
        Mqtt5Publish p = receive(publishes);
        assertEquals(topic + " " + payload, p.getTopic() + " " + text(p.getPayloadAsBytes()), "next message");
        return p;
    }

    /** Publishes and, for QoS 1/2, returns once the broker acknowledged it without an error code. */
    static void publish(Mqtt5BlockingClient client, String topic, String payload, int qos) {
        succeeded(client.publishWith().topic(topic).payload(bytes(payload)).qos(qos(qos)).send());
    }

    static void publishRetained(Mqtt5BlockingClient client, String topic, String payload, int qos) {
        succeeded(client.publishWith().topic(topic).payload(bytes(payload)).qos(qos(qos)).retain(true).send());
    }

    static void succeeded(Mqtt5PublishResult result) {
        result.getError().ifPresent(e -> fail("publish to " + result.getPublish().getTopic() + " failed", e));
    }

    // ---- 3.1.1 ----

    /** A 3.1.1 client, not connected; {@code id} null sends an empty client id. */
    Mqtt3BlockingClient v3(String id) {
        return v3(id, address, UnaryOperator.identity());
    }

    Mqtt3BlockingClient v3(String id, InetSocketAddress to, UnaryOperator<Mqtt3ClientBuilder> customize) {
        Mqtt3ClientBuilder builder = MqttClient.builder().useMqttVersion3()
                .serverAddress(to)
                .transportConfig().mqttConnectTimeout(5, TimeUnit.SECONDS)
                .socketConnectTimeout(5, TimeUnit.SECONDS).applyTransportConfig();
        if (id != null) {
            builder = builder.identifier(id);
        }
        Mqtt3BlockingClient client = customize.apply(builder).buildBlocking();
        clients.add(client);
        return client;
    }

    /** A connected 3.1.1 client with clean session 1. */
    Mqtt3BlockingClient v3Connected(String id) {
        Mqtt3BlockingClient client = v3(id);
        client.connect();
        return client;
    }

    static Mqtt3Publish receive(Mqtt3BlockingClient.Mqtt3Publishes publishes) throws InterruptedException {
        Optional<Mqtt3Publish> p = publishes.receive(RECEIVE_SECONDS, TimeUnit.SECONDS);
        if (p.isEmpty()) {
            fail("no PUBLISH within " + RECEIVE_SECONDS + " s");
        }
        return p.get();
    }

    static Mqtt3Publish receive(Mqtt3BlockingClient.Mqtt3Publishes publishes, String topic, String payload)
            throws InterruptedException {
        Mqtt3Publish p = receive(publishes);
        assertEquals(topic + " " + payload, p.getTopic() + " " + text(p.getPayloadAsBytes()), "next message");
        return p;
    }

    static void publish(Mqtt3BlockingClient client, String topic, String payload, int qos) {
        client.publishWith().topic(topic).payload(bytes(payload)).qos(qos(qos)).send();
    }

    static void publishRetained(Mqtt3BlockingClient client, String topic, String payload, int qos) {
        client.publishWith().topic(topic).payload(bytes(payload)).qos(qos(qos)).retain(true).send();
    }

    /** Subscribes a 3.1.1 client's publishes queue first, so nothing delivered after CONNACK is missed. */
    static Mqtt3BlockingClient.Mqtt3Publishes inbox(Mqtt3BlockingClient client) {
        return client.publishes(MqttGlobalPublishFilter.ALL);
    }

    static Mqtt5BlockingClient.Mqtt5Publishes inbox(Mqtt5BlockingClient client) {
        return client.publishes(MqttGlobalPublishFilter.ALL);
    }

    /** Waits, bounded, until the client's state is {@code expected}. */
    static void awaitState(com.hivemq.client.mqtt.MqttClient client, MqttClientState expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RECEIVE_SECONDS);
        while (client.getState() != expected && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(expected, client.getState(), "client state");
    }

    @Override
    public void close() {
        for (Object c : clients) {
            try {
                if (c instanceof Mqtt5BlockingClient v5 && v5.getState().isConnected()) {
                    v5.disconnect();
                } else if (c instanceof Mqtt3BlockingClient v3 && v3.getState().isConnected()) {
                    v3.disconnect();
                } else if (c instanceof RawMqttSocket raw) {
                    raw.close();
                }
            } catch (RuntimeException | java.io.IOException ignored) {
                // the connection may be closing under us; the broker closes it either way
            }
        }
        clients.clear();
    }
}
