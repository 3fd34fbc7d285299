package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.bytes;
import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.publish;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAck;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** CONNECT / CONNACK rules and keep alive, seen by the HiveMQ client (and one raw socket). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HiveMqConnectIT {

    private static EmbeddedBroker broker;
    private HiveMqClients clients;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void newClients() {
        clients = new HiveMqClients(broker);
    }

    @AfterEach
    void closeClients() {
        clients.close();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-2] (5.0) Clean Start 1 is answered with Session Present 0 even when the client id has a stored session")
    void cleanStartAnswersSessionPresent0() {
        String id = uniqueId("cs1");
        Mqtt5BlockingClient client = clients.v5(id);
        client.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        client.disconnect();

        Mqtt5ConnAck ack = client.connectWith().cleanStart(true).sessionExpiryInterval(0).send();

        assertFalse(ack.isSessionPresent(), "Session Present after Clean Start 1");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] (5.0) Clean Start 0 is answered with Session Present 1 exactly when the server holds the session")
    void resumeAnswersSessionPresent() {
        String id = uniqueId("cs0");
        Mqtt5BlockingClient client = clients.v5(id);

        Mqtt5ConnAck first = client.connectWith().cleanStart(false).sessionExpiryInterval(60).send();
        client.disconnect();
        Mqtt5ConnAck second = client.connectWith().cleanStart(false).sessionExpiryInterval(0).send();

        assertFalse(first.isSessionPresent(), "no session existed for a new client id");
        assertTrue(second.isSessionPresent(), "the session stored by the first connection");
    }

    @Test
    @DisplayName("[MQTT-3.2.2-1] [MQTT-3.2.2-2] [MQTT-3.2.2-3] (3.1.1) Session Present is 1 only for clean session 0 with a stored session")
    void v3SessionPresent() {
        String id = uniqueId("v3sp");
        Mqtt3BlockingClient client = clients.v3(id);

        Mqtt3ConnAck fresh = client.connectWith().cleanSession(false).send();
        client.disconnect();
        Mqtt3ConnAck resumed = client.connectWith().cleanSession(false).send();
        client.disconnect();
        Mqtt3ConnAck clean = client.connectWith().cleanSession(true).send();

        assertFalse(fresh.isSessionPresent(), "clean session 0, no stored session");
        assertTrue(resumed.isSessionPresent(), "clean session 0, stored session");
        assertFalse(clean.isSessionPresent(), "clean session 1");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-7] [MQTT-3.2.2-16] (5.0) an empty client id gets an Assigned Client Identifier, a different one per connection")
    void emptyClientIdIsAssigned() throws Exception {
        Mqtt5BlockingClient a = clients.v5(null);
        Mqtt5BlockingClient b = clients.v5("");

        Mqtt5ConnAck ackA = a.connect();
        Mqtt5ConnAck ackB = b.connect();

        String idA = ackA.getAssignedClientIdentifier().orElseThrow().toString();
        String idB = ackB.getAssignedClientIdentifier().orElseThrow().toString();
        assertFalse(idA.isEmpty(), "assigned identifier is not empty");
        assertNotEquals(idA, idB, "two connections get two identifiers");

        // The connection works under the assigned id: it can subscribe and receive.
        String topic = uniqueTopic("assigned");
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(a);
        a.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(b, topic, "hello", 1);
        receive(inbox, topic, "hello");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-8] (3.1.1) an empty client id with clean session 0 is refused with CONNACK 0x02 Identifier rejected")
    void v3EmptyIdWithoutCleanSessionIsRejected() throws Exception {
        Mqtt3BlockingClient client = clients.v3(null);

        Mqtt3ConnAckException refused = assertThrows(Mqtt3ConnAckException.class,
                () -> client.connectWith().cleanSession(false).send());

        assertEquals(Mqtt3ConnAckReturnCode.IDENTIFIER_REJECTED, refused.getMqttMessage().getReturnCode());
        assertFalse(refused.getMqttMessage().isSessionPresent(), "Session Present on a refusal");
        HiveMqClients.awaitState(client, MqttClientState.DISCONNECTED);
    }

    @Test
    @DisplayName("[MQTT-3.1.3-6] (3.1.1) an empty client id with clean session 1 is accepted and treated as a unique id")
    void v3EmptyIdWithCleanSessionIsAccepted() throws Exception {
        Mqtt3BlockingClient a = clients.v3(null);
        Mqtt3BlockingClient b = clients.v3(null);

        Mqtt3ConnAck ackA = a.connectWith().cleanSession(true).send();
        Mqtt3ConnAck ackB = b.connectWith().cleanSession(true).send();

        assertEquals(Mqtt3ConnAckReturnCode.SUCCESS, ackA.getReturnCode());
        assertEquals(Mqtt3ConnAckReturnCode.SUCCESS, ackB.getReturnCode());
        // Two empty ids are two sessions: the second did not take the first over.
        String topic = uniqueTopic("v3empty");
        Mqtt3BlockingClient.Mqtt3Publishes inbox = inbox(a);
        a.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        publish(b, topic, "both alive", 1);
        receive(inbox, topic, "both alive");
        assertTrue(a.getState().isConnected() && b.getState().isConnected(), "both connections stay open");
    }

    /**
     * A raw socket connects with Keep Alive 1 s and then sends nothing; the broker must close it
     * after 1.5 s (measured from our reading the CONNACK, which comes after the broker started
     * counting, hence the slack below 1.5 s). A HiveMQ client with the same keep alive, which
     * pings, must still be connected after that time.
     */
    @ParameterizedTest(name = "protocol level {0}")
    @ValueSource(ints = {4, 5})
    @DisplayName("[MQTT-3.1.2-24] (3.1.1) / [MQTT-3.1.2-22] (5.0) a client silent for 1.5x its keep alive is disconnected; one that pings is not")
    void silentClientIsDisconnectedAfterOneAndAHalfKeepAlives(int protocolLevel) throws Exception {
        String controlTopic = uniqueTopic("keepalive");
        Mqtt5BlockingClient pinging = clients.v5(uniqueId("pinging"));
        pinging.connectWith().keepAlive(1).send();
        Mqtt5BlockingClient.Mqtt5Publishes controlInbox = inbox(pinging);
        pinging.subscribeWith().topicFilter(controlTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        long pingingSince = System.nanoTime();

        try (Socket socket = new Socket(broker.host(), broker.port())) {
            socket.setSoTimeout(5_000);
            socket.getOutputStream().write(connect(protocolLevel, uniqueId("silent"), 1));
            InputStream in = socket.getInputStream();
            assertEquals(0x20, in.read(), "CONNACK packet type");
            byte[] connack = in.readNBytes(in.read());
            assertEquals(0x00, connack[1], "CONNACK return / reason code");
            long connackAt = System.nanoTime();

            byte[] rest;
            try {
                rest = in.readAllBytes(); // until the broker closes
            } catch (SocketTimeoutException e) {
                throw new AssertionError("broker kept a silent connection open for 5 s", e);
            }
            long closedAfterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connackAt);

            assertTrue(closedAfterMs >= 1_300, "closed too early: " + closedAfterMs + " ms");
            assertTrue(closedAfterMs <= 3_000, "closed too late: " + closedAfterMs + " ms");
            if (protocolLevel == 4) {
                assertEquals(0, rest.length, "3.1.1 has no server DISCONNECT; the connection just closes");
            } else if (rest.length > 0) {
                // 5.0 allows a DISCONNECT first; its reason must then be 0x8D Keep Alive timeout.
                assertArrayEquals(new byte[] {(byte) 0xE0, 0x01, (byte) 0x8D}, java.util.Arrays.copyOf(rest, 3),
                        "DISCONNECT 0x8D before the close");
            }
        }

        // The pinging client has by now been connected well past 1.5 x its keep alive.
        long pingingMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pingingSince);
        if (pingingMs < 2_500) {
            Thread.sleep(2_500 - pingingMs); // wait out the time (not an assertion): 2.5 keep alives
        }
        assertTrue(pinging.getState().isConnected(), "a client that pings stays connected");
        publish(pinging, controlTopic, "still here", 1);
        receive(controlInbox, controlTopic, "still here");
    }

    /** A CONNECT with Clean Session / Clean Start, the given Keep Alive and no will or login. */
    private static byte[] connect(int protocolLevel, String clientId, int keepAliveSeconds) throws IOException {
        byte[] id = bytes(clientId);
        boolean v5 = protocolLevel == 5;
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.write(0x10);                                  // CONNECT, reserved flags 0
        b.write(10 + (v5 ? 1 : 0) + 2 + id.length);     // Remaining Length (one byte: < 128)
        b.write(0x00);                                  // Protocol Name length MSB
        b.write(0x04);                                  // Protocol Name length LSB
        b.write(bytes("MQTT"));                         // Protocol Name
        b.write(protocolLevel);                         // Protocol Level: 4 = 3.1.1, 5 = 5.0
        b.write(0x02);                                  // Connect Flags: Clean Session / Clean Start only
        b.write(keepAliveSeconds >> 8);                 // Keep Alive MSB
        b.write(keepAliveSeconds & 0xFF);               // Keep Alive LSB
        if (v5) {
            b.write(0x00);                              // Property Length 0
        }
        b.write(id.length >> 8);                        // Client Identifier length MSB
        b.write(id.length & 0xFF);                      // Client Identifier length LSB
        b.write(id);                                    // Client Identifier
        return b.toByteArray();
    }
}
