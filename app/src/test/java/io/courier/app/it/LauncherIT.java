package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bin/courier} as an operator runs it: a process that says where it listens and where
 * its data is, serves a real client, and stops cleanly on SIGTERM.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class LauncherIT {

    private Path dataDir;
    private LauncherProcess broker;

    @BeforeEach
    void start() throws Exception {
        dataDir = Files.createTempDirectory("courier-launcher-it-");
        broker = LauncherProcess.start(dataDir);
    }

    @AfterEach
    void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        LauncherProcess.deleteTree(dataDir);
    }

    @Test
    @DisplayName("bin/courier listens on the configured port and data directory, serves publish/subscribe, and exits cleanly on SIGTERM")
    void startsServesAndStopsCleanly() throws Exception {
        String listening = broker.awaitLine(l -> l.startsWith(LauncherProcess.LISTENING), Duration.ZERO).orElseThrow();
        assertEquals(LauncherProcess.LISTENING + "127.0.0.1:" + broker.port(), listening,
                "the listening line names the loopback address and the port given with -Dcourier.mqtt.tcp.port");

        Optional<String> dataLine = broker.awaitLine(l -> l.startsWith(LauncherProcess.DATA_DIRECTORY), Duration.ofSeconds(5));
        assertTrue(dataLine.isPresent(), () -> "no data-directory line; output:\n" + broker.outputText());
        String expectedDir = dataDir.toAbsolutePath().normalize().toString();
        assertTrue(dataLine.get().startsWith(LauncherProcess.DATA_DIRECTORY + expectedDir + " (journal: LevelDB "),
                () -> "data-directory line names " + expectedDir + ": " + dataLine.get());
        assertTrue(dataLine.get().endsWith(", fsync off)"), () -> "fsync is off by default: " + dataLine.get());
        assertTrue(Files.isDirectory(dataDir.resolve("journal")), "the journal lives under the data directory");
        assertFalse(Files.exists(broker.workDir().resolve("journal")),
                "nothing resolves the journal against the working directory instead");

        Mqtt5BlockingClient subscriber = client("launcher-sub");
        Mqtt5BlockingClient publisher = client("launcher-pub");
        BlockingQueue<Mqtt5Publish> received = new LinkedBlockingQueue<>();
        subscriber.toAsync().publishes(MqttGlobalPublishFilter.ALL, received::add);
        subscriber.connect();
        subscriber.subscribeWith().topicFilter("launcher/+").qos(MqttQos.AT_LEAST_ONCE).send();
        publisher.connect();
        publisher.publishWith().topic("launcher/hello").qos(MqttQos.AT_LEAST_ONCE)
                .payload("over the real launcher".getBytes(StandardCharsets.UTF_8)).send();

        Mqtt5Publish message = received.poll(10, TimeUnit.SECONDS);
        assertNotNull(message, "the subscriber receives the message through the launched broker");
        assertEquals("launcher/hello", message.getTopic().toString());
        assertEquals("over the real launcher", new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8));
        assertEquals(MqttQos.AT_LEAST_ONCE, message.getQos());
        publisher.disconnect();
        subscriber.disconnect();

        int exit = broker.terminate(Duration.ofSeconds(30));
        // The JVM reports death by SIGTERM as 143 once the shutdown hooks (CoordinatedShutdown) ran.
        assertTrue(exit == 0 || exit == 143, () -> "exit code after SIGTERM: " + exit + "; output:\n" + broker.outputText());
        assertTrue(broker.output().contains(LauncherProcess.STOPPED),
                () -> "the broker logs its clean stop ('" + LauncherProcess.STOPPED + "'); output:\n" + broker.outputText());
        assertTrue(broker.output().stream().anyMatch(l -> l.contains("MQTT listener unbound")),
                () -> "CoordinatedShutdown unbinds the listener first; output:\n" + broker.outputText());
    }

    private Mqtt5BlockingClient client(String id) {
        return MqttClient.builder().useMqttVersion5().identifier(id)
                .serverHost("127.0.0.1").serverPort(broker.port()).buildBlocking();
    }
}
