package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What start-up brings back: only sessions that outlive their connection. Sessions with expiry
 * 0 never write events (ARCHITECTURE.md section 4), so a restart must not wake them, however
 * many client ids have come and gone.
 */
class StartupWakeIT {

    @Test
    @DisplayName("a restart wakes the persistent session only, not the five clean ones that came before")
    void onlyPersistentSessionsAreWoken() throws Exception {
        Path dataDir;
        try (EmbeddedBroker broker = EmbeddedBroker.start()) {
            dataDir = broker.dataDir();
            for (int i = 0; i < 5; i++) {
                Mqtt5BlockingClient clean = client(broker, "clean-" + i);
                clean.connect(); // clean start, Session Expiry Interval 0
                clean.subscribeWith().topicFilter("wake/clean/" + i).qos(MqttQos.AT_LEAST_ONCE).send();
                clean.disconnect();
            }
            Mqtt5BlockingClient persistent = client(broker, "persistent");
            persistent.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            persistent.subscribeWith().topicFilter("wake/persistent").qos(MqttQos.AT_LEAST_ONCE).send();
            persistent.disconnect();
        }
        try (EmbeddedBroker restarted = EmbeddedBroker.start(dataDir, "")) {
            assertEquals(1, restarted.node().sessionsWoken());
        }
    }

    private static Mqtt5BlockingClient client(EmbeddedBroker broker, String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost(broker.host()).serverPort(broker.port()).buildBlocking();
    }
}
