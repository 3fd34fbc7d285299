package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.text;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A shared subscription's messages do not wait at, or vanish with, a member that goes (MQTT 5.0
 * section 4.8.2; EMQX issue 12257): two members, one takes messages without acknowledging them
 * and disconnects, and the other gets every one the spec lets it have, exactly once.
 *
 * <p>The silent member is the HiveMQ client with manual acknowledgement (it never acknowledges),
 * or a raw socket where the test needs a PUBREC sent and the PUBCOMP withheld.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SharedSubscriptionHandOffIT {

    @RegisterExtension
    static final BrokerFixture FIXTURE = new BrokerFixture("");

    @Test
    @DisplayName("4.8.2: QoS 1 messages in flight (no PUBACK) and queued at a member that disconnects go to the other "
            + "member, each exactly once; the member finds none of them when it comes back")
    void qos1InFlightAndQueuedMoveOnDisconnect() throws Exception {
        String topic = uniqueTopic("handoff1");
        String filter = "$share/" + group() + "/" + topic;
        Mqtt5BlockingClient lazy = FIXTURE.clients().v5(uniqueId("lazy"));
        Mqtt5BlockingClient.Mqtt5Publishes lazyInbox = silentMember(lazy, filter, 60);
        Mqtt5BlockingClient busy = FIXTURE.clients().v5Connected(uniqueId("busy"));
        Mqtt5BlockingClient.Mqtt5Publishes busyInbox = inbox(busy);
        busy.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));

        int count = 20;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 1);
        }
        // The lazy member holds two unacknowledged (its Receive Maximum) and has the rest of
        // its share queued.
        Set<String> seenByLazy = new TreeSet<>();
        seenByLazy.add(text(receive(lazyInbox).getPayloadAsBytes()));
        seenByLazy.add(text(receive(lazyInbox).getPayloadAsBytes()));
        lazy.disconnect();

        List<String> got = collect(busyInbox, count, topic);
        assertEquals(allOf(count), new TreeSet<>(got), "every message reached the busy member");
        assertEquals(count, got.size(), "each exactly once: " + got);
        assertTrue(got.containsAll(seenByLazy), "the unacknowledged ones " + seenByLazy + " moved too");

        // Back, the lazy member's session is there but holds none of them: the fence comes first.
        Mqtt5BlockingClient.Mqtt5Publishes lazyAgain = inbox(lazy);
        assertTrue(lazy.connectWith().cleanStart(false).sessionExpiryInterval(0).send().isSessionPresent());
        fence(pub, lazy, lazyAgain);
    }

    @Test
    @DisplayName("[MQTT-4.8.2-4] [MQTT-4.8.2-3] QoS 2 messages in flight stay with their member, PUBREC'd or not, and "
            + "are completed when it reconnects; its queued ones go to the other member at that member's granted QoS")
    void qos2InFlightStaysQueuedMoves() throws Exception {
        String topic = uniqueTopic("handoff2");
        String filter = "$share/" + group() + "/" + topic;
        String rawId = uniqueId("raw");
        RawMqttSocket raw = raw();
        raw.connectOk(RawMqttSocket.connect(MqttVersion.V5, rawId, true, 60, MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).add(PropertyId.RECEIVE_MAXIMUM, 2).build()));
        raw.send(new Subscribe(1, List.of(new Subscription(filter, SubscriptionOptions.of(Qos.EXACTLY_ONCE))),
                MqttProperties.EMPTY));
        raw.expect(SubAck.class);
        Mqtt5BlockingClient busy = FIXTURE.clients().v5Connected(uniqueId("busy"));
        Mqtt5BlockingClient.Mqtt5Publishes busyInbox = inbox(busy);
        busy.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send(); // granted 1
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));

        int count = 12;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 2);
        }
        Publish first = raw.expect(Publish.class);
        Publish second = raw.expect(Publish.class);
        raw.send(PubRec.success(first.packetId()));           // first: the client has it
        assertEquals(first.packetId(), raw.expect(PubRel.class).packetId());
        raw.abort();                                         // second: no PUBREC; first: no PUBCOMP
        Set<String> inFlight = Set.of(text(first.payload()), text(second.payload()));

        List<String> got = new ArrayList<>();
        for (Mqtt5Publish p : collectPublishes(busyInbox, count - 2, topic)) {
            assertEquals(MqttQos.AT_LEAST_ONCE, p.getQos(), "the busy member's granted QoS [MQTT-4.8.2-3]");
            got.add(text(p.getPayloadAsBytes()));
        }
        Set<String> expected = new TreeSet<>(allOf(count));
        expected.removeAll(inFlight);
        assertEquals(expected, new TreeSet<>(got), "everything but the two in flight reached the busy member");
        assertEquals(count - 2, got.size(), "each exactly once: " + got);
        fence(pub, busy, busyInbox); // and the two in flight did not follow

        // The raw member comes back: PUBLISH again (DUP) for the one without PUBREC, PUBREL for
        // the other, in the order they were last sent [MQTT-4.4.0-1].
        RawMqttSocket back = raw();
        ConnAck ack = back.connectOk(RawMqttSocket.connect(MqttVersion.V5, rawId, false, 60, MqttProperties.builder()
                .add(PropertyId.SESSION_EXPIRY_INTERVAL, 60L).add(PropertyId.RECEIVE_MAXIMUM, 2).build()));
        assertTrue(ack.sessionPresent());
        Publish again = back.expect(Publish.class);
        assertEquals(second.packetId(), again.packetId());
        assertTrue(again.dup(), "resent with DUP");
        assertEquals(text(second.payload()), text(again.payload()));
        assertEquals(first.packetId(), back.expect(PubRel.class).packetId());
    }

    @Test
    @DisplayName("4.8.2: when a member's session ends, the messages it still held (no other member was there when it "
            + "disconnected) go to a member that joined since, exactly once")
    void sessionEndHandsMessagesToAnotherMember() throws Exception {
        String topic = uniqueTopic("handoff-end");
        String filter = "$share/" + group() + "/" + topic;
        String lazyId = uniqueId("lazy");
        Mqtt5BlockingClient lazy = FIXTURE.clients().v5(lazyId);
        Mqtt5BlockingClient.Mqtt5Publishes lazyInbox = silentMember(lazy, filter, 2);
        Mqtt5BlockingClient pub = FIXTURE.clients().v5Connected(uniqueId("pub"));
        int count = 6;
        for (int i = 0; i < count; i++) {
            HiveMqClients.publish(pub, topic, Integer.toString(i), 1);
        }
        receive(lazyInbox);
        receive(lazyInbox);
        lazy.disconnect(); // alone in its group: the messages wait in its session
        FIXTURE.broker().awaitOffline(lazyId); // the disconnect found no other member

        Mqtt5BlockingClient busy = FIXTURE.clients().v5Connected(uniqueId("busy"));
        Mqtt5BlockingClient.Mqtt5Publishes busyInbox = inbox(busy);
        busy.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();

        // Joining does not pull them: they wait until the session ends, 2 s after the disconnect.
        assertFalse(busyInbox.receive(500, TimeUnit.MILLISECONDS).isPresent(), "nothing before the session ended");
        List<String> got = collect(busyInbox, count, topic);
        assertEquals(allOf(count), new TreeSet<>(got));
        assertEquals(count, got.size(), "each exactly once: " + got);
    }

    // ---- helpers --------------------------------------------------------------------

    /**
     * Connects {@code client} as a group member that never acknowledges (manual acknowledgement,
     * never given), Receive Maximum 2, with this Session Expiry, subscribed at QoS 1 to
     * {@code filter}; returns what it receives.
     */
    private static Mqtt5BlockingClient.Mqtt5Publishes silentMember(Mqtt5BlockingClient client, String filter,
                                                                   long sessionExpirySeconds) {
        Mqtt5BlockingClient.Mqtt5Publishes inbox = client.publishes(MqttGlobalPublishFilter.ALL, true);
        client.connectWith().cleanStart(true).sessionExpiryInterval(sessionExpirySeconds)
                .restrictions().receiveMaximum(2).applyRestrictions().send();
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        return inbox;
    }

    private RawMqttSocket raw() throws Exception {
        return FIXTURE.clients().raw(MqttVersion.V5);
    }

    private static String group() {
        return "g" + uniqueId("grp").replace("-", "");
    }

    private static Set<String> allOf(int count) {
        return IntStream.range(0, count).mapToObj(Integer::toString).collect(Collectors.toCollection(TreeSet::new));
    }

    /** Up to {@code count} messages on {@code topic}, bounded by 15 s; fails on any other topic. */
    private static List<Mqtt5Publish> collectPublishes(Mqtt5BlockingClient.Mqtt5Publishes inbox, int count, String topic)
            throws InterruptedException {
        List<Mqtt5Publish> got = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (got.size() < count && System.nanoTime() < deadline) {
            inbox.receive(50, TimeUnit.MILLISECONDS).ifPresent(p -> {
                assertEquals(topic, p.getTopic().toString(), "topic");
                got.add(p);
            });
        }
        return got;
    }

    private static List<String> collect(Mqtt5BlockingClient.Mqtt5Publishes inbox, int count, String topic)
            throws InterruptedException {
        return collectPublishes(inbox, count, topic).stream().map(p -> text(p.getPayloadAsBytes())).toList();
    }

    /**
     * Proves nothing more is on its way to {@code client}: a message on a fresh topic is the next
     * thing it receives (one session gets its messages in the order they were routed to it).
     */
    private static void fence(Mqtt5BlockingClient pub, Mqtt5BlockingClient client, Mqtt5BlockingClient.Mqtt5Publishes inbox)
            throws InterruptedException {
        String fence = uniqueTopic("fence");
        client.subscribeWith().topicFilter(fence).qos(MqttQos.AT_LEAST_ONCE).send();
        HiveMqClients.publish(pub, fence, "fence", 1);
        receive(inbox, fence, "fence");
        assertFalse(inbox.receiveNow().isPresent(), "nothing after the fence");
    }
}
