package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.uniqueId;
import static io.courier.app.it.HiveMqClients.uniqueTopic;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClientState;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.courier.app.ScramEntryCommandAccess;
import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * MQTT 5 enhanced authentication end to end (spec 4.12): the HiveMQ client's
 * {@code Mqtt5EnhancedAuthMechanism} runs a real SCRAM-SHA-256 exchange ({@link ScramMechanism},
 * computed with the JDK alone) against users configured as `bin/courier scram-entry` prints them;
 * raw sockets send what a well-behaved client would not.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnhancedAuthIT {

    private static final String USER = "alice";
    private static final String PASSWORD = "correct horse battery staple";

    @RegisterExtension
    static final BrokerFixture FIXTURE = new BrokerFixture(
            // The users entry exactly as the command line makes it (password on standard input).
            "courier.auth.scram-sha-256.users { " + ScramEntryCommandAccess.entry(USER, PASSWORD) + " }\n");

    @Test
    @DisplayName("[MQTT-4.12.0-2] [MQTT-4.12.0-5] SCRAM-SHA-256: CONNECT -> AUTH 0x18 -> AUTH 0x18 -> CONNACK 0x00 with "
            + "the method and a server signature the client verifies; then the connection works")
    void scramExchangeConnects() throws Exception {
        ScramMechanism scram = new ScramMechanism(USER, PASSWORD);
        Mqtt5BlockingClient client = FIXTURE.clients().v5(uniqueId("scram"));

        Mqtt5ConnAck ack = client.connectWith().enhancedAuth(scram).send();

        assertEquals(Mqtt5ConnAckReasonCode.SUCCESS, ack.getReasonCode());
        assertEquals(1, scram.serverVerified.get(), "the client checked the server's signature");
        assertEquals("SCRAM-SHA-256", scram.method, "CONNACK repeats the method [MQTT-4.12.0-5]");
        String topic = uniqueTopic("authed");
        Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(client);
        client.subscribeWith().topicFilter(topic).qos(MqttQos.AT_LEAST_ONCE).send();
        HiveMqClients.publish(client, topic, "hello", 1);
        receive(inbox, topic, "hello");
    }

    @Test
    @DisplayName("[MQTT-4.12.0-4] [MQTT-3.1.4-2] a wrong password and an unknown user are both refused with CONNACK "
            + "0x86, then closed")
    void wrongCredentialsAreRefused() {
        for (String[] who : new String[][] {{USER, "wrong password"}, {"mallory", PASSWORD}}) {
            ScramMechanism scram = new ScramMechanism(who[0], who[1]);
            Mqtt5BlockingClient client = FIXTURE.clients().v5(uniqueId("bad"));

            Mqtt5ConnAckException e = assertThrows(Mqtt5ConnAckException.class,
                    () -> client.connectWith().enhancedAuth(scram).send());

            assertEquals(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD, e.getMqttMessage().getReasonCode(), who[0]);
            assertEquals(MqttClientState.DISCONNECTED, client.getState());
        }
    }

    @Test
    @DisplayName("[MQTT-4.12.1-2] re-authentication (AUTH 0x19) succeeds with the password and keeps the connection; "
            + "with a wrong one the server sends DISCONNECT 0x87 and closes")
    void reauthentication() throws Exception {
        ScramMechanism scram = new ScramMechanism(USER, PASSWORD);
        Mqtt5BlockingClient client = FIXTURE.clients().v5(uniqueId("reauth"));
        client.connectWith().enhancedAuth(scram).send();

        client.reauth();
        assertEquals(2, scram.serverVerified.get(), "the re-authentication's AUTH 0x00 carried a valid signature");
        assertEquals(MqttClientState.CONNECTED, client.getState());

        scram.reauthPassword = "not the password";
        assertThrows(RuntimeException.class, client::reauth);
        HiveMqClients.awaitState(client, MqttClientState.DISCONNECTED);
        assertEquals(Mqtt5DisconnectReasonCode.NOT_AUTHORIZED, scram.reauthRejected);
    }

    @Test
    @DisplayName("[MQTT-4.12.0-1] raw socket: an Authentication Method the broker does not offer gets CONNACK 0x8C")
    void unsupportedMethod() throws Exception {
        RawMqttSocket raw = raw();
        raw.send(RawMqttSocket.connect(MqttVersion.V5, uniqueId("raw"), true, 60, auth("SCRAM-SHA-1", "n,,n=a,r=x")));
        assertEquals(ReasonCode.BAD_AUTHENTICATION_METHOD, raw.expect(ConnAck.class).reasonCode());
        raw.assertClosedByBroker();
    }

    @Test
    @DisplayName("raw socket: Authentication Data without an Authentication Method is a Protocol Error (CONNACK 0x82)")
    void dataWithoutMethod() throws Exception {
        RawMqttSocket raw = raw();
        MqttProperties props = MqttProperties.builder().add(PropertyId.AUTHENTICATION_DATA, bytes("x")).build();
        raw.send(RawMqttSocket.connect(MqttVersion.V5, uniqueId("raw"), true, 60, props));
        assertEquals(ReasonCode.PROTOCOL_ERROR, raw.expect(ConnAck.class).reasonCode());
        raw.assertClosedByBroker();
    }

    @Test
    @DisplayName("[MQTT-4.12.1-1] raw socket: during the exchange an AUTH with another method, or a SUBSCRIBE, gets "
            + "CONNACK 0x82; after it, re-authentication with another method gets DISCONNECT 0x82")
    void protocolErrorsAroundTheExchange() throws Exception {
        RawMqttSocket otherMethod = raw();
        ScramClient scram = new ScramClient(USER, PASSWORD);
        otherMethod.send(RawMqttSocket.connect(MqttVersion.V5, uniqueId("raw"), true, 60,
                auth("SCRAM-SHA-256", scram.clientFirst())));
        Auth serverFirst = otherMethod.expect(Auth.class);
        assertEquals(ReasonCode.CONTINUE_AUTHENTICATION, serverFirst.reasonCode());
        assertEquals("SCRAM-SHA-256", serverFirst.properties().string(PropertyId.AUTHENTICATION_METHOD));
        otherMethod.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("PLAIN", bytes("x"))));
        assertEquals(ReasonCode.PROTOCOL_ERROR, otherMethod.expect(ConnAck.class).reasonCode());
        otherMethod.assertClosedByBroker();

        RawMqttSocket early = raw();
        early.send(RawMqttSocket.connect(MqttVersion.V5, uniqueId("raw"), true, 60,
                auth("SCRAM-SHA-256", new ScramClient(USER, PASSWORD).clientFirst())));
        early.expect(Auth.class);
        early.send(new Subscribe(1, List.of(new Subscription("t", SubscriptionOptions.of(Qos.AT_MOST_ONCE))),
                MqttProperties.EMPTY));
        assertEquals(ReasonCode.PROTOCOL_ERROR, early.expect(ConnAck.class).reasonCode());
        early.assertClosedByBroker();

        RawMqttSocket done = raw();
        ScramClient full = new ScramClient(USER, PASSWORD);
        done.send(RawMqttSocket.connect(MqttVersion.V5, uniqueId("raw"), true, 60, auth("SCRAM-SHA-256", full.clientFirst())));
        byte[] first = done.expect(Auth.class).properties().binary(PropertyId.AUTHENTICATION_DATA);
        done.send(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, auth("SCRAM-SHA-256", full.clientFinal(first))));
        ConnAck ok = done.expect(ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ok.reasonCode());
        assertTrue(full.serverVerified(ok.properties().binary(PropertyId.AUTHENTICATION_DATA)));
        done.send(new Auth(ReasonCode.RE_AUTHENTICATE, auth("PLAIN", bytes("x"))));
        done.assertDisconnectedWith(ReasonCode.PROTOCOL_ERROR);
    }

    private RawMqttSocket raw() throws Exception {
        return FIXTURE.clients().raw(MqttVersion.V5);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MqttProperties auth(String method, String data) {
        return auth(method, bytes(data));
    }

    private static MqttProperties auth(String method, byte[] data) {
        return MqttProperties.builder().add(PropertyId.AUTHENTICATION_METHOD, method)
                .add(PropertyId.AUTHENTICATION_DATA, data).build();
    }
}
