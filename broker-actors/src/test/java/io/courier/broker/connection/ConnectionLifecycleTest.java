package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.broker.routing.Fanout;
import io.courier.protocol.engine.ProtocolEngine;
import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.net.Socket;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** A connection's life over a real socket: CONNECT to close, timers, bad input, the session's orders. */
class ConnectionLifecycleTest {

    private static final ActorTestKit KIT = ActorTestKit.create("ConnectionLifecycleTest", TestBroker.CONFIG);

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = new TestBroker(KIT);
    }

    @AfterEach
    void stop() throws Exception {
        broker.close();
    }

    @AfterAll
    static void shutdown() {
        KIT.shutdownTestKit();
    }

    @Test
    @DisplayName("3.1.1: CONNECT is answered with CONNACK 20 02 00 00 once the session attached")
    void connect311() {
        MqttTestClient client = broker.client(MqttVersion.V3_1_1);
        client.send(new Connect(MqttVersion.V3_1_1, "c311", true, 30, null, null, null, MqttProperties.EMPTY));
        SessionCommand.Attach attach = broker.expectSession(SessionCommand.Attach.class);
        assertEquals(MqttVersion.V3_1_1, attach.version());
        assertTrue(attach.cleanStart());
        assertArrayEquals(new byte[] {0x20, 0x02, 0x00, 0x00}, client.readBytes(4));
    }

    @Test
    @DisplayName("5.0: CONNACK announces the server's limits and an assigned client id [MQTT-3.1.3-6]")
    void connect5() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        ConnAck ack = client.connect("", 30);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode());
        assertFalse(ack.sessionPresent());
        assertEquals(1024, ack.properties().intValue(PropertyId.RECEIVE_MAXIMUM, -1));
        assertEquals(64, ack.properties().intValue(PropertyId.TOPIC_ALIAS_MAXIMUM, -1));
        assertTrue(ack.properties().string(PropertyId.ASSIGNED_CLIENT_IDENTIFIER).startsWith(RandomClientIdAssigner.PREFIX));
    }

    @Test
    @DisplayName("[MQTT-3.12.4-1] PINGREQ is answered with PINGRESP")
    void ping() {
        MqttTestClient client = broker.client(MqttVersion.V3_1_1);
        client.connect("pinger", 30);
        client.send(PingReq.INSTANCE);
        client.expect(PingResp.class);
        client.send(PingReq.INSTANCE);
        client.expect(PingResp.class);
    }

    @Test
    @DisplayName("a malformed packet gets 5.0 DISCONNECT 0x81 and a close; other connections go on")
    void malformedPacketClosesOnlyItsConnection() {
        MqttTestClient bad = broker.client(MqttVersion.V5);
        MqttTestClient good = broker.client(MqttVersion.V5);
        bad.connect("bad", 30);
        good.connect("good", 30);
        bad.sendRaw(new byte[] {0x60, 0x02, 0x00, 0x01}); // PUBREL with flags 0000 [MQTT-2.1.3-1]
        assertEquals(ReasonCode.MALFORMED_PACKET, bad.expect(Disconnect.class).reasonCode());
        bad.expectClosed();
        good.send(PingReq.INSTANCE);
        good.expect(PingResp.class);
    }

    @Test
    @DisplayName("3.1.1: a malformed packet closes the connection without a DISCONNECT")
    void malformedPacket311() {
        MqttTestClient client = broker.client(MqttVersion.V3_1_1);
        client.connect("bad311", 30);
        client.sendRaw(new byte[] {0x60, 0x02, 0x00, 0x01});
        client.expectClosed();
        SessionCommand.Detach detach = broker.skipTo(SessionCommand.Detach.class);
        assertEquals(Effect.SessionEnd.ABNORMAL, detach.how());
    }

    @Test
    @DisplayName("no CONNECT within the connect timeout: closed")
    void connectTimeout() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.expectClosed(); // connect-timeout is 1 s, the read timeout 5 s
    }

    @Test
    @DisplayName("[MQTT-3.1.0-1] a first packet that is not CONNECT: closed")
    void firstPacketNotConnect() {
        MqttTestClient client = broker.client(MqttVersion.V3_1_1);
        client.send(PingReq.INSTANCE);
        client.expectClosed();
    }

    @Test
    @DisplayName("[MQTT-3.1.2-24] nothing within 1.5 x keep alive: 5.0 DISCONNECT 0x8D, will published")
    void keepAliveExpiry() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("sleepy", 1);
        assertEquals(ReasonCode.KEEP_ALIVE_TIMEOUT, client.expect(Disconnect.class).reasonCode());
        client.expectClosed();
        assertEquals(Effect.SessionEnd.ABNORMAL, broker.skipTo(SessionCommand.Detach.class).how());
    }

    @Test
    @DisplayName("packets keep a connection alive past its keep alive")
    void packetsKeepAlive() throws InterruptedException {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("busy", 1);
        for (int i = 0; i < 5; i++) { // 5 x 0.4 s > the 1.5 s keep alive limit
            Thread.sleep(400); // pacing the client, not asserting on time
            client.send(PingReq.INSTANCE);
            client.expect(PingResp.class);
        }
    }

    @Test
    @DisplayName("[MQTT-3.14.4-3] DISCONNECT: the session is detached normally (will discarded)")
    void normalDisconnect() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("leaver", 30);
        client.send(Disconnect.NORMAL);
        client.expectClosed();
        assertEquals(Effect.SessionEnd.NORMAL, broker.skipTo(SessionCommand.Detach.class).how());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] taken over: 5.0 DISCONNECT 0x8E and close")
    void takenOver() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("twin", 30);
        SessionCommand.Attach attach = broker.expectSession(SessionCommand.Attach.class);
        attach.connection().tell(new EngineInput.TakenOver());
        assertEquals(ReasonCode.SESSION_TAKEN_OVER, client.expect(Disconnect.class).reasonCode());
        client.expectClosed();
    }

    @Test
    @DisplayName("SUBSCRIBE goes to the session and its answer comes back as SUBACK")
    void subscribe() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("subscriber", 30);
        client.send(new Subscribe(5, List.of(new Subscription("a/#", SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                MqttProperties.EMPTY));
        SubAck ack = client.expect(SubAck.class);
        assertEquals(5, ack.packetId());
        assertEquals(List.of(ReasonCode.GRANTED_QOS_1), ack.reasonCodes());
        SessionCommand.Subscribe sub = broker.skipTo(SessionCommand.Subscribe.class);
        assertEquals("a/#", sub.entries().get(0).topicFilter());
    }

    @Test
    @DisplayName("a delivery from the session reaches the client; its PUBACK goes back to the session")
    void deliveryAndAcknowledgement() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("receiver", 30);
        SessionCommand.Attach attach = broker.expectSession(SessionCommand.Attach.class);
        Publish publish = new Publish("a/b", Qos.AT_LEAST_ONCE, false, false, 3, new byte[] {42}, MqttProperties.EMPTY);
        attach.connection().tell(new EngineInput.Deliver(publish));
        assertEquals(publish, client.expect(Publish.class));
        client.send(PubAck.success(3));
        SessionCommand.Acknowledge ack = broker.expectSession(SessionCommand.Acknowledge.class);
        assertEquals(3, ack.packetId());
        assertEquals(Effect.OutboundAck.PUBACK, ack.kind());
    }

    @Test
    @DisplayName("a client that does not read fills the bounded outbound buffer and loses its connection")
    void outboundOverflow() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("deaf", 0);
        SessionCommand.Attach attach = broker.expectSession(SessionCommand.Attach.class);
        byte[] payload = new byte[64 * 1024];
        // 12.8 MB: more than loopback socket buffers, the 8-write queue and 256 KiB held hold.
        for (int i = 0; i < 200; i++) {
            attach.connection().tell(new EngineInput.Deliver(Publish.atMostOnce("big", payload)));
        }
        assertEquals(Effect.SessionEnd.ABNORMAL, broker.skipTo(SessionCommand.Detach.class).how());
        assertEquals(1, broker.server.counters().outboundOverflows());
    }

    @Test
    @DisplayName("a burst larger than the outbound queue reaches a client that reads: bytes are held, not dropped")
    void outboundBurstIsHeldNotFailed() {
        MqttTestClient client = broker.client(MqttVersion.V5);
        client.connect("reader", 0);
        SessionCommand.Attach attach = broker.expectSession(SessionCommand.Attach.class);
        // 500 separate actor messages, each one write: far more than the 8-write queue holds at once.
        for (int i = 0; i < 500; i++) {
            attach.connection().tell(new EngineInput.Deliver(Publish.atMostOnce("burst", new byte[] {(byte) i})));
        }
        for (int i = 0; i < 500; i++) {
            Publish p = client.expect(Publish.class);
            assertEquals((byte) i, p.payload()[0], "message " + i + " in order");
        }
        assertEquals(0, broker.server.counters().outboundOverflows());
    }

    @Test
    @DisplayName("binding a port already in use fails the bind")
    void bindFailure() {
        ExecutionException e = assertThrows(ExecutionException.class, () -> MqttTcpServer.bind(KIT.system(),
                        broker.context, new Fanout(broker.context), new ProtocolEngine(broker.context.settings().engine(),
                                new RandomClientIdAssigner()), "127.0.0.1", broker.server.address().getPort())
                .toCompletableFuture().get(10, TimeUnit.SECONDS));
        assertNotNull(e.getCause());
    }

    @Test
    @DisplayName("unbind refuses new connections and keeps open ones")
    void unbind() throws Exception {
        MqttTestClient client = broker.client(MqttVersion.V3_1_1);
        client.connect("stayer", 30);
        broker.server.unbind().toCompletableFuture().get();
        assertThrows(IOException.class, () -> {
            try (Socket s = new Socket(broker.server.address().getAddress(), broker.server.address().getPort())) {
                s.getInputStream().read();
            }
        });
        client.send(PingReq.INSTANCE);
        client.expect(PingResp.class);
    }
}
