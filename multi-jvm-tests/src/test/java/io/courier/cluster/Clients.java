package io.courier.cluster;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * HiveMQ 5.0 clients for the cluster tests, each closed by {@link #close()}: persistent
 * sessions (expiry one hour), the reason code of a server DISCONNECT, and publishes that count
 * as acknowledged only when the broker says success.
 */
final class Clients implements AutoCloseable {

    static final long SESSION_EXPIRY = 3600;
    /** Longest wait for one publish's acknowledgement (the broker's own timeout is 5 s). */
    static final long PUBLISH_SECONDS = 8;

    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    /** A connection of {@code id}'s persistent session to {@code node}, and its inbox. */
    Session connect(String id, InetSocketAddress node, boolean cleanStart) {
        return connect(id, node, cleanStart, 10);
    }

    /** As {@link #connect(String, InetSocketAddress, boolean)}, giving up on a CONNACK after {@code connackSeconds}. */
    Session connect(String id, InetSocketAddress node, boolean cleanStart, long connackSeconds) {
        CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect = new CompletableFuture<>();
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverAddress(node)
                .transportConfig().mqttConnectTimeout(connackSeconds, TimeUnit.SECONDS).socketConnectTimeout(5, TimeUnit.SECONDS)
                .applyTransportConfig()
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof Mqtt5DisconnectException d) {
                        serverDisconnect.complete(d.getMqttMessage().getReasonCode());
                    } else {
                        serverDisconnect.completeExceptionally(ctx.getCause());
                    }
                })
                .buildBlocking();
        clients.add(client);
        Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL);
        Mqtt5ConnAck connAck = client.connectWith().cleanStart(cleanStart).sessionExpiryInterval(SESSION_EXPIRY).send();
        return new Session(client, inbox, connAck, serverDisconnect);
    }

    /** A publisher with a clean, non-persistent session. */
    Mqtt5BlockingClient publisher(String id, InetSocketAddress node) {
        Mqtt5BlockingClient client = MqttClient.builder().useMqttVersion5().identifier(id).serverAddress(node)
                .transportConfig().mqttConnectTimeout(10, TimeUnit.SECONDS).applyTransportConfig().buildBlocking();
        clients.add(client);
        client.connect();
        return client;
    }

    /** A publisher that replaces its connection when a publish fails (see {@link Publisher}). */
    Publisher publisher(String idPrefix, InetSocketAddress node, boolean replaceOnFailure) {
        return new Publisher(idPrefix, node, replaceOnFailure);
    }

    /**
     * A publishing client that, when a publish is not acknowledged in time or fails, drops its
     * connection and opens a new one (a fresh client id). A connection whose session lived on a
     * node that died is not told so by the broker yet (docs/architecture.md, known gaps): its QoS 2
     * flows stop at PUBREL, and only a new connection gets a new session.
     */
    final class Publisher {
        private final String idPrefix;
        private final InetSocketAddress node;
        private final boolean replaceOnFailure;
        private Mqtt5BlockingClient client;
        private int generation;

        private Publisher(String idPrefix, InetSocketAddress node, boolean replaceOnFailure) {
            this.idPrefix = idPrefix;
            this.node = node;
            this.replaceOnFailure = replaceOnFailure;
            this.client = Clients.this.publisher(idPrefix + "-" + generation, node);
        }

        synchronized boolean publish(String topic, String payload, int qos) {
            if (client == null) {
                try {
                    client = Clients.this.publisher(idPrefix + "-" + (++generation), node);
                } catch (RuntimeException e) {
                    return false;
                }
            }
            boolean ok = publishAcknowledged(client, topic, payload, qos);
            if (!ok && replaceOnFailure && !client.getState().isConnected()) {
                client = null;
            } else if (!ok && replaceOnFailure) {
                try {
                    client.disconnect();
                } catch (RuntimeException e) {
                    // gone already
                }
                client = null;
            }
            return ok;
        }
    }

    /**
     * Publishes and says whether the broker acknowledged it with success: PUBACK 0x00 (QoS 1) or
     * a completed QoS 2 flow with PUBREC 0x00. "No matching subscribers" (0x10) or an error code
     * means no session stored it.
     */
    static boolean publishAcknowledged(Mqtt5BlockingClient publisher, String topic, String payload, int qos) {
        Mqtt5PublishResult result;
        try {
            // Bounded: a publish whose acknowledgement never comes counts as not acknowledged.
            result = publisher.toAsync().publishWith().topic(topic).payload(payload.getBytes(StandardCharsets.UTF_8))
                    .qos(MqttQos.fromCode(qos)).send().get(PUBLISH_SECONDS, TimeUnit.SECONDS);
        } catch (RuntimeException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        if (result.getError().isPresent()) {
            return false;
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result r1) {
            return r1.getPubAck().getReasonCode() == Mqtt5PubAckReasonCode.SUCCESS;
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result r2) {
            return r2.getPubRec().getReasonCode() == Mqtt5PubRecReasonCode.SUCCESS;
        }
        return true;
    }

    static String text(byte[] payload) {
        return new String(payload, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        for (Mqtt5BlockingClient client : clients) {
            try {
                if (client.getState().isConnected()) {
                    client.disconnect();
                }
            } catch (RuntimeException e) {
                // already gone with its node
            }
        }
    }

    /** One connection of a session. */
    record Session(Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes inbox, Mqtt5ConnAck connAck,
                   CompletableFuture<Mqtt5DisconnectReasonCode> serverDisconnect) {

        /** The payloads received within {@code seconds} after the last one (bounded by {@code max}). */
        List<String> drain(long seconds, int max) throws InterruptedException {
            List<String> got = new ArrayList<>();
            while (got.size() < max) {
                var p = inbox.receive(seconds, TimeUnit.SECONDS);
                if (p.isEmpty()) {
                    break;
                }
                got.add(p.get().getTopic() + " " + text(p.get().getPayloadAsBytes()));
            }
            return got;
        }
    }
}
