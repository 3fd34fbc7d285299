package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.bytes;
import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.publish;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Will messages. The will-bearing HiveMQ client connects through a {@link TcpRelay}, whose
 * {@code sever()} resets the connection without a DISCONNECT, the way a device drops off the
 * network. Where a will must <em>not</em> appear, the subscriber waits for a fence published
 * after the moment the will would have gone out, then for a short grace period.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class HiveMqWillIT {

    /** After a fence, how long a test still listens for a will that must not come. */
    private static final long GRACE_MS = 300;

    private static EmbeddedBroker broker;
    private HiveMqClients clients;
    private TcpRelay relay;

    @BeforeAll
    static void startBroker() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stopBroker() throws Exception {
        broker.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        clients = new HiveMqClients(broker);
        relay = new TcpRelay(broker.address());
    }

    @AfterEach
    void tearDown() throws Exception {
        clients.close();
        relay.close();
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {3, 5})
    @DisplayName("[MQTT-3.1.2-8] the will is published when the connection is lost without DISCONNECT")
    void willIsPublishedWhenTheConnectionDrops(int version) throws Exception {
        String willTopic = uniqueTopic("will");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        connectWithWill(version, uniqueId("dropped"), willTopic, 0, 0);

        relay.sever();

        Mqtt5Publish will = receive(watcher, willTopic, "gone");
        assertEquals(MqttQos.AT_LEAST_ONCE, will.getQos(), "the will's QoS");
        assertFalse(will.isRetain(), "will retain 0 is published as non-retained");
    }

    @ParameterizedTest(name = "MQTT {0}")
    @ValueSource(ints = {3, 5})
    @DisplayName("[MQTT-3.14.4-3] [MQTT-3.1.2-10] after DISCONNECT (5.0: reason 0x00) the will is discarded, not published")
    void willIsDiscardedOnNormalDisconnect(int version) throws Exception {
        String willTopic = uniqueTopic("nowill");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        String id = uniqueId("polite");
        Object client = connectWithWill(version, id, willTopic, 0, 0);

        if (client instanceof Mqtt5BlockingClient v5) {
            v5.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.NORMAL_DISCONNECTION).send();
        } else {
            ((Mqtt3BlockingClient) client).disconnect();
        }

        // The same client id again: its session attach is handled after the old connection's
        // end at the latest, so a will published by mistake is on its way before the fence;
        // the grace period after the fence covers a slower route.
        Mqtt5BlockingClient again = clients.v5Connected(id);
        publish(again, willTopic, "fence", 1);
        receive(watcher, willTopic, "fence");
        assertNothingMore(watcher);
    }

    @Test
    @DisplayName("(3.14.2.1) 5.0 DISCONNECT with reason 0x04 Disconnect with Will Message publishes the will")
    void disconnectWithWillMessagePublishesIt() throws Exception {
        String willTopic = uniqueTopic("will04");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        Mqtt5BlockingClient client = (Mqtt5BlockingClient) connectWithWill(5, uniqueId("with-will"), willTopic, 0, 0);

        client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();

        receive(watcher, willTopic, "gone");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] (5.0) a will with a delay is published once the Will Delay Interval has passed, not before")
    void willWaitsForItsDelay() throws Exception {
        String willTopic = uniqueTopic("delayed");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        connectWithWill(5, uniqueId("delayed"), willTopic, 1, 60);

        relay.sever();
        long severedAt = System.nanoTime();

        receive(watcher, willTopic, "gone");
        long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - severedAt);
        assertTrue(afterMs >= 900, "will published " + afterMs + " ms after the drop, delay 1 s");
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] (5.0) when the session expires before the will delay, the will goes out at the session's end")
    void willGoesOutWhenTheSessionEndsFirst() throws Exception {
        String willTopic = uniqueTopic("session-ends");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        connectWithWill(5, uniqueId("short-session"), willTopic, 60, 1);

        relay.sever();
        long severedAt = System.nanoTime();

        receive(watcher, willTopic, "gone");
        long afterMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - severedAt);
        assertTrue(afterMs >= 900, "will published " + afterMs + " ms after the drop, session expiry 1 s");
    }

    @Test
    @DisplayName("[MQTT-3.1.3-9] (5.0) reconnecting to the session within the will delay cancels the will")
    void reconnectWithinTheDelayCancelsTheWill() throws Exception {
        String willTopic = uniqueTopic("cancelled");
        Mqtt5BlockingClient.Mqtt5Publishes watcher = watch(willTopic);
        String id = uniqueId("back-soon");
        connectWithWill(5, id, willTopic, 2, 60);

        relay.sever();
        long severedAt = System.nanoTime();
        Mqtt5BlockingClient back = clients.v5(id);
        boolean resumed = back.connectWith().cleanStart(false).sessionExpiryInterval(60).send().isSessionPresent();
        long reconnectedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - severedAt);
        assertTrue(reconnectedMs < 2_000, "the test needs the reconnect inside the delay; took " + reconnectedMs + " ms");
        assertTrue(resumed, "the reconnect resumed the session");

        // Let the original delay pass (plus margin), then fence: no will may come.
        long waitMs = 2_500 - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - severedAt);
        if (waitMs > 0) {
            Thread.sleep(waitMs); // waiting out the will delay, not an assertion
        }
        publish(back, willTopic, "fence", 1);
        receive(watcher, willTopic, "fence");
        assertNothingMore(watcher);
        back.disconnectWith().sessionExpiryInterval(0).send(); // end the session without its will
    }

    /** A 5.0 subscriber on the will topic. */
    private Mqtt5BlockingClient.Mqtt5Publishes watch(String willTopic) {
        Mqtt5BlockingClient watcher = clients.v5Connected(uniqueId("watcher"));
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(watcher);
        watcher.subscribeWith().topicFilter(willTopic).qos(MqttQos.AT_LEAST_ONCE).send();
        return inbox;
    }

    /** Connects through the relay with a QoS 1 will "gone"; returns the Mqtt3/Mqtt5 blocking client. */
    private Object connectWithWill(int version, String id, String willTopic, long willDelaySeconds, long sessionExpirySeconds) {
        if (version == 3) {
            Mqtt3BlockingClient c = clients.v3(id, relay.address(), UnaryOperator.identity());
            c.connectWith().willPublish().topic(willTopic).payload(bytes("gone")).qos(MqttQos.AT_LEAST_ONCE)
                    .applyWillPublish().send();
            return c;
        }
        Mqtt5BlockingClient c = clients.v5(id, relay.address(), UnaryOperator.identity());
        c.connectWith().sessionExpiryInterval(sessionExpirySeconds)
                .willPublish().topic(willTopic).payload(bytes("gone")).qos(MqttQos.AT_LEAST_ONCE)
                .delayInterval(willDelaySeconds).applyWillPublish()
                .send();
        return c;
    }

    private static void assertNothingMore(Mqtt5BlockingClient.Mqtt5Publishes watcher) throws InterruptedException {
        Optional<Mqtt5Publish> stray = watcher.receive(GRACE_MS, TimeUnit.MILLISECONDS);
        assertFalse(stray.isPresent(), () -> "unexpected message after the fence: " + stray);
    }
}
