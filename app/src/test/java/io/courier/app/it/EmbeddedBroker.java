package io.courier.app.it;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.app.BrokerNode;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A whole single-node broker in this JVM, on free ports and a fresh data directory, for the
 * *IT tests that drive it with third-party clients. {@code extraConfig} is HOCON laid over the
 * defaults (e.g. a short connect timeout).
 */
public final class EmbeddedBroker implements AutoCloseable {

    private final BrokerNode node;
    private final Path dataDir;

    private EmbeddedBroker(BrokerNode node, Path dataDir) {
        this.node = node;
        this.dataDir = dataDir;
    }

    public static EmbeddedBroker start() throws Exception {
        return start("");
    }

    public static EmbeddedBroker start(String extraConfig) throws Exception {
        return start(Files.createTempDirectory("courier-it-"), extraConfig);
    }

    /** Starts on an existing data directory (to prove what survives a restart). */
    public static EmbeddedBroker start(Path dataDir, String extraConfig) throws Exception {
        Config config = ConfigFactory.load(ConfigFactory.parseString(extraConfig + "\n"
                + "courier.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\"\n"
                + "courier.mqtt.tcp.port = 0\n"
                + "courier.cluster.port = 0\n"
                + "pekko.loglevel = WARNING\n"
                + "pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"));
        return new EmbeddedBroker(BrokerNode.start(config), dataDir);
    }

    public InetSocketAddress address() {
        return node.mqttAddress();
    }

    public String host() {
        return address().getHostString();
    }

    public int port() {
        return address().getPort();
    }

    /** {@code tcp://host:port} for Paho. */
    public String uri() {
        return "tcp://" + host() + ":" + port();
    }

    /**
     * Waits, at most 10 s, until the node no longer counts {@code clientId}'s session as online:
     * a DISCONNECT or a closed socket reaches the session entity on its own path.
     */
    public void awaitOffline(String clientId) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (node.context().onlineSessions().contains(clientId)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("session " + clientId + " still online 10 s after its connection ended");
            }
            Thread.sleep(10);
        }
    }

    public Path dataDir() {
        return dataDir;
    }

    public BrokerNode node() {
        return node;
    }

    @Override
    public void close() throws Exception {
        node.stop().toCompletableFuture().get(Duration.ofSeconds(30).toSeconds(), TimeUnit.SECONDS);
    }
}
