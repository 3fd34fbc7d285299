package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PublishResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * The broker killed with SIGKILL while a publisher is still sending, then restarted by
 * {@code bin/courier} on the same data directory (issue 3, items 3 and 5).
 *
 * <p>Before the kill ({@link #crashMidTraffic}): a persistent 5.0 session and a persistent
 * 3.1.1 session subscribe at QoS 1 and QoS 2 and go offline; a watcher with a persistent session
 * subscribes to the will topic and goes offline; a 5.0 client with a will (delay 1 s) and a
 * 1-hour session stays connected; a 3.1.1 subscriber that never acknowledges holds QoS 1 messages
 * in flight; retained messages are set on several topics; a batch of QoS 1 and QoS 2 messages is
 * acknowledged; then a publisher thread sends QoS 1 in a loop and the broker is killed once it
 * has some acknowledgements, with the loop still running.
 *
 * <p>Each test then checks one promise against the restarted broker with clients that reconnect
 * (new client objects: nothing but the broker's journal carries state across the crash). The
 * will-bearer is a client of its own rather than one of the subscribers: a subscriber connected
 * at the crash may legitimately see a QoS 2 message again from a new client object (the client's
 * half of the QoS 2 state died with it), which would blur the exactly-once check.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CrashRecoveryIT {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final long SESSION_EXPIRY = 3600;
    private static final int BATCH = 20;
    private static final int INFLIGHT = 5;
    /** Acknowledged live messages before the kill; the loop goes on meanwhile. */
    private static final int LIVE_ACKS_BEFORE_KILL = 100;
    private static final int LIVE_MAX = 5_000;
    /** Room for everything the offline sessions queue, so the queue bound cannot drop an acknowledged message. */
    private static final String QUEUE_BOUND = "-Dcourier.session.max-queued-messages=20000";

    private static final String V5_SUB = "crash-v5-sub";
    private static final String V3_SUB = "crash-v3-sub";
    private static final String WATCHER = "crash-will-watcher";
    private static final String BEARER = "crash-will-bearer";
    private static final String INFLIGHT_SUB = "crash-inflight-sub";
    private static final String PUBLISHER = "crash-publisher";
    private static final String LIVE_PUBLISHER = "crash-live-publisher";
    private static final String WILL_TOPIC = "crash/will/" + BEARER;
    private static final String WILL_PAYLOAD = BEARER + " went away";
    private static final Map<String, String> RETAINED = Map.of(
            "crash/retained/a", "retained-a",
            "crash/retained/b/c", "retained-b-c",
            "crash/retained/d/e/f", "retained-d-e-f");

    private Path dataDir;
    private LauncherProcess restarted;
    private final Set<String> ackedQos1 = new LinkedHashSet<>();
    private final Set<String> ackedQos2 = new LinkedHashSet<>();
    private final Set<String> inflightHeld = new HashSet<>();

    /** A message as a subscriber saw it. */
    private record Received(String topic, String payload, MqttQos qos, boolean retain, boolean dup) {
    }

    @BeforeAll
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    void crashMidTraffic() throws Exception {
        dataDir = Files.createTempDirectory("courier-crash-it-");
        try (LauncherProcess broker = LauncherProcess.start(dataDir, QUEUE_BOUND)) {
            int port = broker.port();

            for (String id : List.of(V5_SUB, WATCHER)) {
                Mqtt5BlockingClient c = v5(id, port);
                c.connectWith().cleanStart(true).sessionExpiryInterval(SESSION_EXPIRY).send();
                if (id.equals(V5_SUB)) {
                    c.subscribeWith().addSubscription().topicFilter("crash/q1/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                            .addSubscription().topicFilter("crash/q2/#").qos(MqttQos.EXACTLY_ONCE).applySubscription().send();
                } else {
                    c.subscribeWith().topicFilter("crash/will/#").qos(MqttQos.AT_LEAST_ONCE).send();
                }
                c.disconnect(); // normal DISCONNECT: the session stays for its expiry interval
            }
            Mqtt3BlockingClient v3 = v3(V3_SUB, port);
            v3.connectWith().cleanSession(false).send();
            v3.subscribeWith().addSubscription().topicFilter("crash/q1/#").qos(MqttQos.AT_LEAST_ONCE).applySubscription()
                    .addSubscription().topicFilter("crash/q2/#").qos(MqttQos.EXACTLY_ONCE).applySubscription().send();
            v3.disconnect();

            Mqtt5BlockingClient bearer = v5(BEARER, port);
            bearer.connectWith().cleanStart(true).sessionExpiryInterval(SESSION_EXPIRY)
                    .willPublish().topic(WILL_TOPIC).qos(MqttQos.AT_LEAST_ONCE).payload(bytes(WILL_PAYLOAD))
                    .delayInterval(1).applyWillPublish().send(); // stays connected through the kill

            BlockingQueue<Received> held = new LinkedBlockingQueue<>();
            org.eclipse.paho.client.mqttv3.MqttClient holder = paho(INFLIGHT_SUB, port, held);
            holder.setManualAcks(true); // never acknowledges: what it receives stays in flight
            MqttConnectOptions holderOptions = new MqttConnectOptions();
            holderOptions.setCleanSession(false);
            holder.connect(holderOptions);
            holder.subscribe("crash/inflight/#", 1);

            Mqtt5BlockingClient publisher = v5(PUBLISHER, port);
            publisher.connect(); // clean start, session expiry 0
            for (var retained : RETAINED.entrySet()) {
                assertAcknowledged(publisher.publishWith().topic(retained.getKey()).qos(MqttQos.AT_LEAST_ONCE)
                        .retain(true).payload(bytes(retained.getValue())).send());
            }
            for (int i = 0; i < BATCH; i++) {
                String q1 = "q1-batch-" + i;
                assertAcknowledged(publisher.publishWith().topic("crash/q1/batch").qos(MqttQos.AT_LEAST_ONCE).payload(bytes(q1)).send());
                ackedQos1.add(q1);
                String q2 = "q2-batch-" + i;
                assertAcknowledged(publisher.publishWith().topic("crash/q2/batch").qos(MqttQos.EXACTLY_ONCE).payload(bytes(q2)).send());
                ackedQos2.add(q2);
            }
            for (int i = 0; i < INFLIGHT; i++) {
                assertAcknowledged(publisher.publishWith().topic("crash/inflight/" + i).qos(MqttQos.AT_LEAST_ONCE)
                        .payload(bytes("inflight-" + i)).send());
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (inflightHeld.size() < INFLIGHT && System.nanoTime() < deadline) {
                Received r = held.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                if (r != null) {
                    inflightHeld.add(r.payload());
                }
            }
            assertEquals(INFLIGHT, inflightHeld.size(), "the non-acknowledging subscriber holds every inflight message before the kill");

            // Live traffic: QoS 1 one at a time, so "acknowledged" is exactly what returned normally.
            Mqtt5BlockingClient livePublisher = v5(LIVE_PUBLISHER, port);
            livePublisher.connect(); // session expiry 0: a publish cut by the kill fails instead of waiting for a resend
            ConcurrentLinkedQueue<String> liveAcked = new ConcurrentLinkedQueue<>();
            AtomicReference<Throwable> liveEnd = new AtomicReference<>();
            CountDownLatch enoughAcked = new CountDownLatch(LIVE_ACKS_BEFORE_KILL);
            Thread live = new Thread(() -> {
                long liveDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                try {
                    for (int i = 0; i < LIVE_MAX && System.nanoTime() < liveDeadline; i++) {
                        String payload = "q1-live-" + i;
                        Mqtt5PublishResult result = livePublisher.publishWith().topic("crash/q1/live")
                                .qos(MqttQos.AT_LEAST_ONCE).payload(bytes(payload)).send();
                        if (isAcknowledged(result)) {
                            liveAcked.add(payload);
                            enoughAcked.countDown();
                        }
                    }
                } catch (RuntimeException e) {
                    liveEnd.set(e);
                }
            }, "crash-live-publisher");
            live.start();
            assertTrue(enoughAcked.await(WAIT.toSeconds(), TimeUnit.SECONDS), "the live publisher gets acknowledgements");

            int exit = broker.kill(Duration.ofSeconds(10));
            live.join(WAIT.toMillis());
            assertFalse(live.isAlive(), "the live publisher notices the broker is gone");
            assertEquals(137, exit, () -> "killed by SIGKILL (128 + 9); output:\n" + broker.outputText());
            assertFalse(broker.output().contains(LauncherProcess.STOPPED), "no clean shutdown ran");
            assertNotNull(liveEnd.get(), "the kill cut the live publisher's loop: traffic was flowing");
            ackedQos1.addAll(liveAcked);
            closeQuietly(holder);
        }
        restarted = LauncherProcess.start(dataDir, QUEUE_BOUND);
    }

    @AfterAll
    void stopBroker() throws Exception {
        if (restarted != null) {
            restarted.close();
        }
        LauncherProcess.deleteTree(dataDir);
    }

    @Test
    @DisplayName("[MQTT-4.5.0-1] [MQTT-3.2.2-3] [MQTT-3.1.2-5] a v5 persistent session gets, after kill -9 and restart, "
            + "every QoS 1 message acknowledged before the kill and every QoS 2 one exactly once, with session present, "
            + "and its subscriptions route new messages without resubscribing")
    void v5PersistentSessionSurvivesKill() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        Mqtt5BlockingClient c = v5(V5_SUB, restarted.port());
        c.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> inbox.add(new Received(p.getTopic().toString(),
                text(p.getPayloadAsBytes()), p.getQos(), p.isRetain(), false)));
        // HiveMQ's default Receive Maximum (65535): the resumed session's whole queue (hundreds of
        // messages) goes out at once, more writes than the connection's outbound queue holds, so
        // this also proves that a reading client is not cut off by a burst.
        boolean sessionPresent = c.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY)
                .send().isSessionPresent();
        assertTrue(sessionPresent, "session present after the restart");
        try {
            checkDelivered(inbox, "v5");
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("[MQTT-4.5.0-1] [MQTT-3.2.2-2] [MQTT-3.1.2-4] a 3.1.1 clean-session-0 session gets, after kill -9 and restart, "
            + "every QoS 1 message acknowledged before the kill and every QoS 2 one exactly once, with session present, "
            + "and its subscriptions route new messages without resubscribing")
    void v3PersistentSessionSurvivesKill() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        Mqtt3BlockingClient c = v3(V3_SUB, restarted.port());
        c.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> inbox.add(new Received(p.getTopic().toString(),
                text(p.getPayloadAsBytes()), p.getQos(), p.isRetain(), false)));
        boolean sessionPresent = c.connectWith().cleanSession(false).send().isSessionPresent();
        assertTrue(sessionPresent, "session present after the restart");
        try {
            checkDelivered(inbox, "v3");
        } finally {
            c.disconnect();
        }
    }

    /**
     * Publishes one QoS 1 and one QoS 2 message after the restart, then waits until everything
     * expected arrived. The new messages are queued behind everything from before the crash, so
     * once they are in, a duplicate from before would already have shown.
     */
    private void checkDelivered(BlockingQueue<Received> inbox, String tag) throws InterruptedException {
        String afterQ1 = "q1-after-restart-" + tag;
        String afterQ2 = "q2-after-restart-" + tag;
        Mqtt5BlockingClient publisher = v5("crash-after-publisher-" + tag, restarted.port());
        publisher.connect();
        assertAcknowledged(publisher.publishWith().topic("crash/q1/after").qos(MqttQos.AT_LEAST_ONCE).payload(bytes(afterQ1)).send());
        assertAcknowledged(publisher.publishWith().topic("crash/q2/after").qos(MqttQos.EXACTLY_ONCE).payload(bytes(afterQ2)).send());
        publisher.disconnect();

        Set<String> expected = new HashSet<>(ackedQos1);
        expected.addAll(ackedQos2);
        expected.add(afterQ1);
        expected.add(afterQ2);
        List<Received> got = drainUntil(inbox, all -> all.stream().map(Received::payload).collect(Collectors.toSet())
                .containsAll(expected));
        Set<String> payloads = got.stream().map(Received::payload).collect(Collectors.toSet());
        Set<String> missing = new HashSet<>(expected);
        missing.removeAll(payloads);
        assertTrue(missing.isEmpty(), () -> missing.size() + " of " + expected.size() + " acknowledged messages missing after "
                + "the restart, e.g. " + missing.stream().sorted().limit(10).toList());

        Map<String, Long> qos2Counts = got.stream().filter(r -> r.topic().startsWith("crash/q2/"))
                .collect(Collectors.groupingBy(Received::payload, Collectors.counting()));
        Map<String, Long> duplicates = new HashMap<>(qos2Counts);
        duplicates.values().removeIf(n -> n == 1);
        assertTrue(duplicates.isEmpty(), () -> "QoS 2 delivered more than once: " + duplicates);
        assertTrue(got.stream().filter(r -> r.topic().startsWith("crash/q2/")).allMatch(r -> r.qos() == MqttQos.EXACTLY_ONCE),
                "QoS 2 subscription, QoS 2 messages: delivered at QoS 2");
        assertTrue(got.stream().filter(r -> r.topic().startsWith("crash/q1/")).allMatch(r -> r.qos() == MqttQos.AT_LEAST_ONCE),
                "QoS 1 messages delivered at QoS 1");
    }

    @Test
    @DisplayName("[MQTT-4.4.0-1] [MQTT-3.3.1-1] QoS 1 messages in flight (sent, never acknowledged) when the broker was "
            + "killed are sent again with DUP set when the 3.1.1 subscriber reconnects after the restart")
    void inflightMessagesAreRedeliveredWithDup() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        org.eclipse.paho.client.mqttv3.MqttClient c = paho(INFLIGHT_SUB, restarted.port(), inbox);
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(false);
        IMqttToken connected = c.connectWithResult(options);
        try {
            assertTrue(connected.getSessionPresent(), "session present after the restart");
            List<Received> got = drainUntil(inbox, all -> all.stream().map(Received::payload).collect(Collectors.toSet())
                    .containsAll(inflightHeld));
            Set<String> redelivered = got.stream().map(Received::payload).collect(Collectors.toSet());
            assertTrue(redelivered.containsAll(inflightHeld), () -> "redelivered " + redelivered + ", expected " + inflightHeld);
            List<Received> withoutDup = got.stream().filter(r -> inflightHeld.contains(r.payload()) && !r.dup()).toList();
            assertTrue(withoutDup.isEmpty(), () -> "resent without DUP: " + withoutDup);
        } finally {
            c.disconnect(5_000);
            c.close();
        }
    }

    @Test
    @DisplayName("[MQTT-3.3.1-5] [MQTT-3.3.1-9] retained messages stored before kill -9 survive the restart, "
            + "and a wildcard subscription receives every one of them with RETAIN set")
    void retainedMessagesSurviveKill() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        Mqtt5BlockingClient c = v5("crash-retained-reader", restarted.port());
        c.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> inbox.add(new Received(p.getTopic().toString(),
                text(p.getPayloadAsBytes()), p.getQos(), p.isRetain(), false)));
        c.connect();
        try {
            c.subscribeWith().topicFilter("crash/retained/#").qos(MqttQos.AT_LEAST_ONCE).send();
            List<Received> got = drainUntil(inbox, all -> all.size() >= RETAINED.size());
            Map<String, String> byTopic = got.stream().collect(Collectors.toMap(Received::topic, Received::payload, (a, b) -> a));
            assertEquals(RETAINED, byTopic, "every retained message, each on its own topic");
            assertTrue(got.stream().allMatch(Received::retain), "sent because retained: RETAIN is 1");
        } finally {
            c.disconnect();
        }
    }

    @Test
    @DisplayName("[MQTT-3.1.2-8] a v5 session connected when the broker was killed counts as abnormally disconnected: "
            + "its will is published after the restart (after its 1 s delay) to a persistent watcher, and the session outlives it")
    void willOfSessionConnectedAtTheCrashIsPublished() throws Exception {
        BlockingQueue<Received> inbox = new LinkedBlockingQueue<>();
        Mqtt5BlockingClient watcher = v5(WATCHER, restarted.port());
        watcher.toAsync().publishes(MqttGlobalPublishFilter.ALL, p -> inbox.add(new Received(p.getTopic().toString(),
                text(p.getPayloadAsBytes()), p.getQos(), p.isRetain(), false)));
        boolean sessionPresent = watcher.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY).send().isSessionPresent();
        try {
            assertTrue(sessionPresent, "the watcher's session survived");
            List<Received> got = drainUntil(inbox, all -> all.stream().anyMatch(r -> r.topic().equals(WILL_TOPIC)));
            Received will = got.stream().filter(r -> r.topic().equals(WILL_TOPIC)).findFirst().orElse(null);
            assertNotNull(will, () -> "no will on " + WILL_TOPIC + " within " + WAIT.toSeconds() + " s; got " + got);
            assertEquals(WILL_PAYLOAD, will.payload());
            assertEquals(MqttQos.AT_LEAST_ONCE, will.qos());
            assertEquals(1, got.stream().filter(r -> r.topic().equals(WILL_TOPIC)).count(), "the will is published once");
        } finally {
            watcher.disconnect();
        }
        // The will went out; the session itself lasts its expiry interval (1 h).
        Mqtt5BlockingClient bearer = v5(BEARER, restarted.port());
        assertTrue(bearer.connectWith().cleanStart(false).sessionExpiryInterval(SESSION_EXPIRY).send().isSessionPresent(),
                "the will-bearer's session is still there after its will");
        bearer.disconnect();
    }

    @Test
    @DisplayName("[MQTT-3.2.2-3] [MQTT-3.1.2-6] a session with expiry 0 ends with its connection, even one cut by kill -9: "
            + "after the restart its client resuming with clean start 0 finds no session (Session Present 0)")
    void expiryZeroSessionsDoNotComeBack() {
        for (String id : List.of(PUBLISHER, LIVE_PUBLISHER)) { // both connected at the kill
            Mqtt5BlockingClient c = v5(id, restarted.port());
            boolean sessionPresent = c.connectWith().cleanStart(false).send().isSessionPresent();
            c.disconnect();
            assertFalse(sessionPresent, () -> id + " had session expiry 0, so no session outlived its connection");
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    /** Takes arrivals until {@code done} holds for all taken so far or {@link #WAIT} is up; returns them all. */
    private static List<Received> drainUntil(BlockingQueue<Received> inbox, Predicate<List<Received>> done) throws InterruptedException {
        List<Received> all = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!done.test(all)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            Received r = inbox.poll(left, TimeUnit.NANOSECONDS);
            if (r != null) {
                all.add(r);
            }
        }
        inbox.drainTo(all);
        return all;
    }

    private static Mqtt5BlockingClient v5(String id, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    private static Mqtt3BlockingClient v3(String id, int port) {
        return MqttClient.builder().useMqttVersion3().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
    }

    private static org.eclipse.paho.client.mqttv3.MqttClient paho(String id, int port, BlockingQueue<Received> inbox)
            throws MqttException {
        var client = new org.eclipse.paho.client.mqttv3.MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void connectionLost(Throwable cause) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(new Received(topic, text(message.getPayload()), MqttQos.fromCode(message.getQos()),
                        message.isRetained(), message.isDuplicate()));
            }

            @Override
            public void deliveryComplete(IMqttDeliveryToken token) {
            }
        });
        return client;
    }

    private static void closeQuietly(org.eclipse.paho.client.mqttv3.MqttClient client) {
        try {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1_000);
            }
            client.close(true);
        } catch (MqttException e) {
            // the broker is gone; the client object is dropped either way
        }
    }

    private static boolean isAcknowledged(Mqtt5PublishResult result) {
        if (result.getError().isPresent()) {
            return false;
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos1Result q1) {
            return !q1.getPubAck().getReasonCode().isError();
        }
        if (result instanceof Mqtt5PublishResult.Mqtt5Qos2Result q2) {
            return !q2.getPubRec().getReasonCode().isError();
        }
        return true;
    }

    private static void assertAcknowledged(Mqtt5PublishResult result) {
        assertTrue(isAcknowledged(result), () -> "publish of " + result.getPublish().getTopic() + " not acknowledged: " + result);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
