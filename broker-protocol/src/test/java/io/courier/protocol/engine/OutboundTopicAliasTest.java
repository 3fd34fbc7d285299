package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.settings;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Topic Aliases the server defines, server to client (5.0 3.3.2.3.4). */
class OutboundTopicAliasTest {

    private static final EngineSettings ALIASING = settings().outboundTopicAliases(true).build();

    @Test
    @DisplayName("[MQTT-3.3.2-12] first PUBLISH to a topic defines an alias (topic + alias); the next uses it (empty topic + alias)")
    void defineThenUse() {
        EngineConnection c = client(ALIASING, 5);
        assertEffects(c.feed(deliver("a/b")), sent("a/b", 1));
        assertEffects(c.feed(deliver("a/b")), sent("", 1));
        assertEffects(c.feed(deliver("c/d")), sent("c/d", 2));
        assertEffects(c.feed(deliver("a/b")), sent("", 1));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-10] [MQTT-3.3.2-11] at most the client's Topic Alias Maximum; when full the least recently used alias is redefined")
    void leastRecentlyUsedIsReplaced() {
        EngineConnection c = client(ALIASING, 2);
        c.feed(deliver("t/1")); // alias 1
        c.feed(deliver("t/2")); // alias 2
        c.feed(deliver("t/1")); // t/2 is now the least recently used
        assertEffects(c.feed(deliver("t/3")), sent("t/3", 2));
        assertEffects(c.feed(deliver("t/2")), sent("t/2", 1)); // t/1 was used before t/3
        assertEffects(c.feed(deliver("t/3")), sent("", 2));
        assertEquals("t/2", c.connectedState().outboundAliases().topicOf(1));
        assertEquals("t/3", c.connectedState().outboundAliases().topicOf(2));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] [MQTT-3.1.2-27] a client with Topic Alias Maximum 0 (or none) gets no aliases")
    void noneWhenClientAcceptsNone() {
        EngineConnection c = client(ALIASING, 0);
        Publish p = Publish.atMostOnce("a/b", "x".getBytes());
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V5));
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V5));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] 3.1.1 clients never get aliases")
    void neverForV311() {
        EngineConnection c = connected(V3_1_1, ALIASING);
        Publish p = Publish.atMostOnce("a/b", "x".getBytes());
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V3_1_1));
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V3_1_1));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-8] off by default: the topic goes in full even if the client accepts aliases")
    void offByDefault() {
        EngineConnection c = client(EngineSettings.defaults(), 5);
        Publish p = Publish.atMostOnce("a/b", "x".getBytes());
        assertEffects(c.feed(new EngineInput.Deliver(p)), new Effect.Send(p, V5));
    }

    @Test
    @DisplayName("[MQTT-3.1.2-25] [MQTT-3.3.2-12] a PUBLISH dropped for size defines no alias: the next one to the topic carries it in full")
    void droppedPublishDefinesNothing() {
        MqttProperties props = MqttProperties.builder()
                .add(PropertyId.TOPIC_ALIAS_MAXIMUM, 5)
                .add(PropertyId.MAXIMUM_PACKET_SIZE, 40L)
                .build();
        EngineConnection c = connected(ALIASING, connect(V5, CLIENT_ID, true, 60, null, props));
        Publish big = new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, new byte[100], MqttProperties.EMPTY);
        assertEffects(c.feed(new EngineInput.Deliver(big)),
                new Effect.PacketDropped(PacketType.PUBLISH, "larger than the client's Maximum Packet Size [MQTT-3.1.2-25]"));
        assertEquals(OutboundTopicAliases.NONE, c.connectedState().outboundAliases());
        assertEffects(c.feed(deliver("a/b")), sent("a/b", 1));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-7] aliases end with the network connection: a new connection starts with none")
    void newConnectionStartsEmpty() {
        EngineConnection c = client(ALIASING, 5);
        c.feed(deliver("a/b"));
        EngineConnection again = client(ALIASING, 5);
        assertEquals(OutboundTopicAliases.NONE, again.connectedState().outboundAliases());
        assertEffects(again.feed(deliver("a/b")), sent("a/b", 1));
    }

    @Test
    @DisplayName("[MQTT-3.3.2-10] a client accepting more than the server's cap gets at most OutboundTopicAliases.LIMIT aliases")
    void cappedAtLimit() {
        OutboundTopicAliases table = OutboundTopicAliases.NONE;
        for (int i = 0; i < OutboundTopicAliases.LIMIT + 10; i++) {
            OutboundTopicAliases.Use use = table.use("t/" + i, 0xFFFF);
            assertTrue(use.alias() >= 1 && use.alias() <= OutboundTopicAliases.LIMIT, "alias " + use.alias());
            table = use.next();
        }
        assertEquals("t/" + OutboundTopicAliases.LIMIT, table.topicOf(1)); // the oldest went first
    }

    @Test
    @DisplayName("[MQTT-3.3.2-12] a PUBLISH with an empty topic and an alias encodes for a 5.0 client")
    void aliasedPublishEncodes() {
        Publish p = ((Publish) ((Effect.Send) sent("", 3)).packet());
        byte[] bytes = MqttEncoder.encode(p, V5);
        assertEquals(MqttEncoder.encodedSize(p, V5), bytes.length);
    }

    private static EngineConnection client(EngineSettings s, int topicAliasMaximum) {
        MqttProperties props = topicAliasMaximum == 0 ? MqttProperties.EMPTY
                : MqttProperties.builder().add(PropertyId.TOPIC_ALIAS_MAXIMUM, topicAliasMaximum).build();
        return connected(s, connect(V5, CLIENT_ID, true, 60, null, props));
    }

    private static EngineInput.Deliver deliver(String topic) {
        return new EngineInput.Deliver(Publish.atMostOnce(topic, "x".getBytes()));
    }

    private static Effect sent(String topic, int alias) {
        Publish p = new Publish(topic, Qos.AT_MOST_ONCE, false, false, 0, "x".getBytes(),
                MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, alias).build());
        return new Effect.Send(p, V5);
    }
}
