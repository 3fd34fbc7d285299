package io.courier.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad input over raw sockets: valid packets come from Courier's own encoder, broken ones are
 * written by hand, byte by byte. Each test checks the answer the specification names (5.0:
 * DISCONNECT with the reason code, then close; 3.1.1: close) and then that a well-behaved
 * Paho client, connected to the same broker the whole time, still publishes and receives:
 * bad input ends only the connection that sent it.
 *
 * <p>The broker runs with a 1 s connect timeout and a 1 KiB maximum packet size.
 */
class BadInputIT {

    private static final int MAX_PACKET_SIZE = 1024;
    private static final AtomicInteger SEQUENCE = new AtomicInteger();
    private static EmbeddedBroker broker;
    private static Bystander bystander;

    private final List<RawMqttSocket> sockets = new ArrayList<>();

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start("courier.mqtt.connect-timeout = 1s\n"
                + "courier.mqtt.max-packet-size = " + MAX_PACKET_SIZE + "\n");
    }

    @AfterAll
    static void stopBroker() throws Exception {
        if (bystander != null) {
            bystander.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @BeforeEach
    void bystanderConnected() throws Exception {
        // One bystander for the class; should a test's bad input have killed it (a failure of
        // that test), the next test starts with a new one instead of failing too.
        if (bystander == null || !bystander.client.isConnected()) {
            if (bystander != null) {
                bystander.close();
            }
            bystander = Bystander.connect(broker);
        }
    }

    @AfterEach
    void closeSockets() throws Exception {
        for (RawMqttSocket s : sockets) {
            s.close();
        }
    }

    // ---- malformed packets ----

    @Test
    @DisplayName("[MQTT-4.13.1-1] [MQTT-2.1.3-1] 5.0: a malformed packet after CONNECT (PINGREQ with a reserved "
            + "flag bit set) gets DISCONNECT 0x81, then the connection closes")
    void malformedPacketV5() throws Exception {
        RawMqttSocket bad = connectedV5(60);
        bad.sendBytes(new byte[] {
            (byte) 0xC1, // PINGREQ, flags 0001 where 0000 is the only legal value
            0x00,        // remaining length 0
        });
        bad.assertDisconnectedWith(ReasonCode.MALFORMED_PACKET);
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("[MQTT-3.3.1-4] [MQTT-4.8.0-1] 3.1.1: a malformed packet after CONNECT (PUBLISH with both QoS "
            + "bits set) closes the connection without a reply")
    void malformedPacketV3() throws Exception {
        RawMqttSocket bad = open(MqttVersion.V3_1_1);
        bad.connectOk(RawMqttSocket.connect(MqttVersion.V3_1_1, clientId(), true, 60, MqttProperties.EMPTY));
        bad.sendBytes(new byte[] {
            0x36,             // PUBLISH, DUP 0, QoS bits 11, RETAIN 0
            0x06,             // remaining length 6
            0x00, 0x01, 'a',  // topic "a"
            0x00, 0x01,       // packet identifier 1
            'x',              // payload
        });
        bad.assertClosedSilently();
        bystander.assertStillWorks();
    }

    // ---- CONNECT rules ----

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet other than CONNECT (PINGREQ) closes the connection")
    void firstPacketNotConnect() throws Exception {
        RawMqttSocket bad = open(MqttVersion.V5);
        bad.sendBytes(new byte[] {
            (byte) 0xC0, // PINGREQ
            0x00,        // remaining length 0
        });
        bad.assertClosedSilently();
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("[MQTT-3.1.0-2] 5.0: a second CONNECT is a Protocol Error: DISCONNECT 0x82, then close")
    void secondConnect() throws Exception {
        String id = clientId();
        RawMqttSocket bad = open(MqttVersion.V5);
        bad.connectOk(RawMqttSocket.connect(MqttVersion.V5, id, true, 60, MqttProperties.EMPTY));
        bad.send(RawMqttSocket.connect(MqttVersion.V5, id, true, 60, MqttProperties.EMPTY));
        bad.assertDisconnectedWith(ReasonCode.PROTOCOL_ERROR);
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("(3.1.4, no statement id) a connection that sends no CONNECT within courier.mqtt.connect-timeout "
            + "(1 s here) is closed")
    void noConnectWithinTimeout() throws Exception {
        long opened = System.nanoTime();
        RawMqttSocket silent = open(MqttVersion.V5);
        silent.assertClosedSilently();
        long millis = TimeUnit.NANOSECONDS.toMillis(silent.closedAtNanos() - opened);
        assertTrue(millis >= 900, "closed after " + millis + " ms, before the 1 s timeout");
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-2] CONNECT with protocol level 6 gets CONNACK return code 1 in the 3.1.1 form "
            + "(unacceptable protocol level), then the connection closes")
    void unsupportedProtocolLevel() throws Exception {
        RawMqttSocket bad = open(MqttVersion.V3_1_1); // the answer is in the form every version reads
        bad.sendBytes(new byte[] {
            0x10,                   // CONNECT
            0x0F,                   // remaining length 15
            0x00, 0x04, 'M', 'Q', 'T', 'T', // protocol name
            0x06,                   // protocol level 6: no such MQTT
            0x02,                   // connect flags: clean session
            0x00, 0x3C,             // keep alive 60 s
            0x00, 0x03, 'l', 'v', '6', // client identifier "lv6"
        });
        ConnAck ack = bad.expect(ConnAck.class);
        assertEquals(1, ack.reasonCode().v3ConnectReturnCode(), "return code 1, got " + ack.reasonCode());
        assertFalse(ack.sessionPresent());
        bad.assertClosedByBroker();
        bystander.assertStillWorks();
    }

    // ---- PUBLISH rules ----

    @Test
    @DisplayName("[MQTT-3.3.2-2] 5.0: a PUBLISH whose topic name has a wildcard gets DISCONNECT 0x90")
    void wildcardInPublishTopic() throws Exception {
        RawMqttSocket bad = connectedV5(60);
        bad.sendBytes(new byte[] {
            0x30,                        // PUBLISH QoS 0
            0x08,                        // remaining length 8
            0x00, 0x05, 'a', '/', '+', '/', 'b', // topic "a/+/b"
            0x00,                        // properties length 0
        });
        bad.assertDisconnectedWith(ReasonCode.TOPIC_NAME_INVALID);
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-15] 5.0: a packet larger than the Maximum Packet Size in CONNACK "
            + "(courier.mqtt.max-packet-size, 1 KiB here) gets DISCONNECT 0x95")
    void packetLargerThanMaximum() throws Exception {
        RawMqttSocket bad = open(MqttVersion.V5);
        ConnAck ack = bad.connectOk(RawMqttSocket.connect(MqttVersion.V5, clientId(), true, 60, MqttProperties.EMPTY));
        assertEquals(MAX_PACKET_SIZE, ack.properties().longValue(PropertyId.MAXIMUM_PACKET_SIZE, -1),
                "CONNACK announces the limit");
        bad.send(Publish.atMostOnce("big", new byte[2 * MAX_PACKET_SIZE]));
        bad.assertDisconnectedWith(ReasonCode.PACKET_TOO_LARGE);
        bystander.assertStillWorks();
    }

    // ---- keep alive ----

    @Test
    @DisplayName("[MQTT-3.1.2-22] (3.1.1: [MQTT-3.1.2-24]) keep alive 1 s and then silence: after 1.5 s the "
            + "broker sends DISCONNECT 0x8D and closes")
    void keepAliveExpires() throws Exception {
        RawMqttSocket quiet = open(MqttVersion.V5);
        quiet.connectOk(RawMqttSocket.connect(MqttVersion.V5, clientId(), true, 1, MqttProperties.EMPTY));
        long connAckAt = System.nanoTime();
        quiet.assertDisconnectedWith(ReasonCode.KEEP_ALIVE_TIMEOUT);
        long millis = TimeUnit.NANOSECONDS.toMillis(quiet.closedAtNanos() - connAckAt);
        assertTrue(millis >= 1400, "closed after " + millis + " ms, before 1.5 x keep alive");
        assertTrue(millis <= 4000, "closed after " + millis + " ms, long after 1.5 x keep alive");
        bystander.assertStillWorks();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-22] [MQTT-3.12.4-1] keep alive 1 s with a PINGREQ every 0.4 s: the connection "
            + "stays open past 1.5 s and keeps working")
    void pingingClientStays() throws Exception {
        RawMqttSocket pinging = open(MqttVersion.V5);
        pinging.connectOk(RawMqttSocket.connect(MqttVersion.V5, clientId(), true, 1, MqttProperties.EMPTY));
        for (int i = 0; i < 6; i++) { // 2.4 s in all
            Thread.sleep(400); // pacing the client, not waiting for an outcome
            pinging.send(PingReq.INSTANCE);
            pinging.expect(PingResp.class);
        }
        assertFalse(pinging.isClosed(), "a client that pings is not disconnected");
        pinging.send(new Subscribe(1, List.of(new Subscription(topic("still"), SubscriptionOptions.of(Qos.AT_MOST_ONCE))),
                MqttProperties.EMPTY));
        assertNotNull(pinging.expect(SubAck.class));
        bystander.assertStillWorks();
    }

    // ---- helpers ----

    private RawMqttSocket open(MqttVersion version) throws Exception {
        RawMqttSocket s = RawMqttSocket.open(broker, version);
        sockets.add(s);
        return s;
    }

    private RawMqttSocket connectedV5(int keepAlive) throws Exception {
        RawMqttSocket s = open(MqttVersion.V5);
        s.connectOk(RawMqttSocket.connect(MqttVersion.V5, clientId(), true, keepAlive, MqttProperties.EMPTY));
        return s;
    }

    private static String clientId() {
        return "bad-" + SEQUENCE.incrementAndGet();
    }

    private static String topic(String name) {
        return "bad/" + SEQUENCE.incrementAndGet() + "/" + name;
    }

    /** A Paho 3.1.1 client that stays connected through the bad inputs and proves the broker still serves it. */
    private static final class Bystander {
        final MqttClient client;
        final String topic = topic("bystander");
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        private Bystander(MqttClient client) {
            this.client = client;
        }

        static Bystander connect(EmbeddedBroker broker) throws MqttException {
            MqttClient c = new MqttClient(broker.uri(), clientId() + "-bystander", new MemoryPersistence());
            c.setTimeToWait(RawMqttSocket.WAIT.toMillis());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setConnectionTimeout(5);
            o.setAutomaticReconnect(false);
            Bystander b = new Bystander(c);
            c.connect(o);
            c.subscribe(b.topic, 1, (t, m) -> b.received.add(new String(m.getPayload(), UTF_8)));
            return b;
        }

        /** Publishes a QoS 1 message to itself and receives it. */
        void assertStillWorks() throws Exception {
            assertTrue(client.isConnected(), "the well-behaved client is still connected");
            String text = "still here " + SEQUENCE.incrementAndGet();
            client.publish(topic, text.getBytes(UTF_8), 1, false);
            assertEquals(text, received.poll(RawMqttSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS),
                    "the well-behaved client still gets its messages");
        }

        void close() throws MqttException {
            if (client.isConnected()) {
                client.disconnect(0);
            }
            client.close();
        }
    }
}
