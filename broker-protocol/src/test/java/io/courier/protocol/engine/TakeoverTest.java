package io.courier.protocol.engine;

import static io.courier.protocol.engine.EngineConnection.CLIENT_ID;
import static io.courier.protocol.engine.EngineConnection.CLOSE;
import static io.courier.protocol.engine.EngineConnection.assertEffects;
import static io.courier.protocol.engine.EngineConnection.connect;
import static io.courier.protocol.engine.EngineConnection.connected;
import static io.courier.protocol.engine.EngineConnection.opened;
import static io.courier.protocol.packet.MqttVersion.V3_1_1;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.protocol.engine.ConnectionState.Closed;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.ReasonCode;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A second connection with the same client id takes the session over; the session tells the
 * old connection with {@link EngineInput.TakenOver}. The session lives on, so the old connection
 * does not end it; whether the old will goes out is the session's decision (5.0 3.1.4, the
 * non-normative comment after [MQTT-3.1.4-3]).
 */
class TakeoverTest {

    @Test
    @DisplayName("[MQTT-3.1.4-3] 5.0 the existing connection gets DISCONNECT 0x8E and is closed; the session is not ended")
    void v5TakenOver() {
        EngineConnection old = connected(V5);
        assertEffects(old.feed(new EngineInput.TakenOver()),
                new Effect.Send(Disconnect.of(ReasonCode.SESSION_TAKEN_OVER), V5),
                CLOSE);
        assertEquals(new Closed(V5), old.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-2] 3.1.1 the existing connection is closed (3.1.1 has no server DISCONNECT); the session"
            + " is not ended")
    void v311TakenOver() {
        EngineConnection old = connected(V3_1_1);
        assertEffects(old.feed(new EngineInput.TakenOver()), CLOSE);
        assertEquals(new Closed(V3_1_1), old.state());
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.14.4-1] after the takeover the old connection sends and asks for nothing more")
    void nothingAfterTakeover(MqttVersion version) {
        EngineConnection old = connected(version);
        old.feed(new EngineInput.TakenOver());
        assertEffects(old.receive(Publish.atMostOnce("a/b", new byte[1])));
        assertEffects(old.receive(PubAck.success(1)));
        assertEffects(old.feed(new EngineInput.Deliver(Publish.atMostOnce("a/b", new byte[1]))));
        assertEffects(old.feed(new EngineInput.ConnectionLost()));
        assertEquals(new Closed(version), old.state());
    }

    @Test
    @DisplayName("[MQTT-3.1.4-3] the new connection asks for the session like any other; the takeover is the session's"
            + " work")
    void newConnectionAsksForTheSession() {
        EngineConnection fresh = opened();
        assertEffects(fresh.receive(connect(V5, CLIENT_ID, false)),
                new Effect.OpenSession(CLIENT_ID, V5, false, 0, null, 0, 0xFFFF));
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = MqttVersion.class, names = {"V3_1_1", "V5"})
    @DisplayName("[MQTT-3.14.0-1] taken over before its CONNACK: the connection closes without a DISCONNECT, and does"
            + " not end the session")
    void takenOverBeforeConnAck(MqttVersion version) {
        EngineConnection c = opened();
        c.receive(connect(version, CLIENT_ID, false));
        assertEffects(c.feed(new EngineInput.TakenOver()), CLOSE);
        assertEquals(new Closed(version), c.state());
    }
}
