package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A Courier cluster of real broker processes for one test: register it with
 * {@code @RegisterExtension}, call {@link #start} in the test. Every node gets free loopback
 * ports (MQTT, Artery, management), the list of every node's management address for Cluster
 * Bootstrap (config discovery), and the run's Cassandra with a keyspace of the test's own.
 * After the test every process it started is killed; when the test failed, the last lines of
 * each node's output are printed (the whole logs stay in {@code target/cluster-logs/<test>}).
 */
final class ClusterHarness implements BeforeEachCallback, AfterEachCallback {

    static final Duration START_TIMEOUT = Duration.ofSeconds(180);
    private static final Pattern MEMBER = Pattern.compile("\\{\"node\":\"[^\"]+\",\"nodeUid\":\"[^\"]+\",\"roles\":\\[[^\\]]*\\],\"status\":\"(\\w+)\"\\}");

    private final List<BrokerProcess> nodes = new ArrayList<>();
    private CassandraServer cassandra;
    private Path logDir;
    private String keyspace;

    @Override
    public void beforeEach(ExtensionContext context) {
        cassandra = CassandraServer.get(context);
        logDir = Checkout.logs(context.getRequiredTestClass().getSimpleName() + "-" + context.getRequiredTestMethod().getName());
        keyspace = "t" + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE);
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        if (context.getExecutionException().isPresent()) {
            for (BrokerProcess node : nodes) {
                System.err.println("---- last output of " + node.name() + " (pid " + node.pid() + ", full log in " + logDir + ") ----");
                System.err.println(node.tail(60));
            }
        }
        for (BrokerProcess node : nodes) {
            node.close();
        }
    }

    /**
     * Starts {@code size} nodes that form one cluster and returns once every one serves MQTT,
     * answers {@code /ready} with 200 and sees {@code size} members Up.
     */
    List<BrokerProcess> start(int size, Map<String, String> extra) throws IOException, InterruptedException {
        List<Integer> mqtt = new ArrayList<>();
        List<Integer> artery = new ArrayList<>();
        List<Integer> management = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            mqtt.add(Ports.free());
            artery.add(Ports.free());
            management.add(Ports.free());
        }
        String contactPoints = String.join(",", management.stream().map(p -> "127.0.0.1:" + p).toList());
        List<BrokerProcess> started = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            Map<String, String> props = new LinkedHashMap<>();
            props.put("courier.mqtt.tcp.port", mqtt.get(i).toString());
            props.put("courier.cluster.port", artery.get(i).toString());
            props.put("courier.management.port", management.get(i).toString());
            props.put("courier.cluster.enabled", "on");
            props.put("courier.cluster.discovery.contact-points", contactPoints);
            props.put("courier.cluster.discovery.required-contact-points", Integer.toString(size));
            props.put("courier.cluster.discovery.stable-margin", "1s");
            props.put("courier.persistence.journal", "cassandra");
            props.put("courier.persistence.cassandra.contact-points", cassandra.contactPoint());
            props.put("courier.persistence.cassandra.keyspace", keyspace);
            props.put("courier.startup-timeout", "150s");
            props.putAll(extra);
            BrokerProcess node = BrokerProcess.start("node" + (i + 1), mqtt.get(i), management.get(i), props, logDir);
            nodes.add(node);
            started.add(node);
        }
        for (BrokerProcess node : started) {
            if (!node.awaitLine(BrokerProcess.LISTENING, START_TIMEOUT)) {
                fail(node.name() + " did not print '" + BrokerProcess.LISTENING + "' within " + START_TIMEOUT.toSeconds() + " s");
            }
        }
        for (BrokerProcess node : started) {
            awaitMembers(node, size, Duration.ofSeconds(60));
            awaitReady(node, Duration.ofSeconds(30));
        }
        return started;
    }

    List<BrokerProcess> start(int size) throws IOException, InterruptedException {
        return start(size, Map.of());
    }

    /** The statuses of the members {@code node} reports in {@code /cluster/members} (unreachable ones included). */
    static List<String> memberStatuses(BrokerProcess node) {
        BrokerProcess.HttpResult members = node.management("/cluster/members");
        List<String> statuses = new ArrayList<>();
        if (members.status() != 200) {
            return statuses;
        }
        Matcher m = MEMBER.matcher(members.body());
        while (m.find()) {
            statuses.add(m.group(1));
        }
        return statuses;
    }

    /** Waits (bounded) until {@code node} reports exactly {@code count} members, all Up and none unreachable. */
    static void awaitMembers(BrokerProcess node, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            BrokerProcess.HttpResult members = node.management("/cluster/members");
            last = members.body();
            List<String> statuses = memberStatuses(node);
            if (statuses.size() == count && statuses.stream().allMatch("Up"::equals) && last.contains("\"unreachable\":[]")) {
                return;
            }
            Thread.sleep(250);
        }
        fail(node.name() + " did not see " + count + " members Up within " + timeout.toSeconds() + " s; last /cluster/members: " + last);
    }

    static void awaitReady(BrokerProcess node, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        BrokerProcess.HttpResult ready = null;
        while (System.nanoTime() < deadline) {
            ready = node.management("/ready");
            if (ready.status() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        fail(node.name() + " /ready did not answer 200 within " + timeout.toSeconds() + " s; last: " + ready);
    }

    Path logDir() {
        return logDir;
    }

    List<BrokerProcess> nodes() {
        return nodes;
    }
}
