package io.courier.app.loadtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.app.it.EmbeddedBroker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code bin/courier bench} run in this JVM against a whole broker on loopback: a clean run
 * counts every expected delivery once per layout, idle mode holds what it opened, and the
 * restart-recovery modes find queued messages after the broker restarted on the same data.
 * Each run is short (1 s warm-up, 1 s measured) and bounded by the drain.
 */
@Timeout(120)
class LoadToolIT {

    private static EmbeddedBroker broker;

    @BeforeAll
    static void start() throws Exception {
        broker = EmbeddedBroker.start();
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
    }

    /** Runs the command with --json; returns its JSON summary (fails on a non-zero exit). */
    static String bench(EmbeddedBroker target, String... args) {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(target.port()), "--json"));
        all.addAll(List.of(args));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(all.toArray(String[]::new), new PrintStream(out, true), new PrintStream(err, true));
        assertEquals(0, status, () -> err.toString(StandardCharsets.UTF_8));
        return out.toString(StandardCharsets.UTF_8).trim();
    }

    static long number(String json, String key) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(key) + "\":(-?[0-9]+)(\\.[0-9]+)?").matcher(json);
        assertTrue(m.find(), () -> key + " missing in " + json);
        return Long.parseLong(m.group(1));
    }

    @ParameterizedTest(name = "{0}, {1} publishers, {2} subscribers, QoS {3}, MQTT {4}")
    @CsvSource({
            "pairs,   3, 3, 1, 5",
            "fan-in,  3, 1, 1, 5",
            "fan-out, 1, 3, 0, 5",
            "shared,  2, 3, 1, 5",
            "fan-in,  2, 2, 2, 3",
    })
    void aCleanRunDeliversEveryExpectedMessageOnceAndCountsThem(String layout, int publishers, int subscribers, int qos,
                                                              int mqtt) {
        String json = bench(broker, "--layout", layout, "--publishers", "" + publishers, "--subscribers", "" + subscribers,
                "--qos", "" + qos, "--mqtt", "" + mqtt, "--rate", "2000", "--warmup", "1", "--duration", "1", "--drain", "15");
        long published = number(json, "published");
        long perMessage = Layout.parse(layout).deliveriesPerMessage(subscribers);
        assertTrue(published >= 2_000, json); // 2 s at 2,000 msg/s, give or take the last tick
        assertEquals(0, number(json, "publish_failed"), json);
        assertEquals(published * perMessage, number(json, "expected_deliveries"), json);
        assertEquals(published * perMessage, number(json, "delivered"), json);
        assertEquals(0, number(json, "lost"), json);
        assertEquals(0, number(json, "duplicated"), json);
        assertEquals(0, number(json, "unexpected"), json);
        assertEquals(0, number(json, "disconnected_by_broker"), json);
        assertTrue(number(json, "delivered_msg_s") > 0, json);
        assertTrue(number(json, "latency_samples") > 0, json);
    }

    @Test
    void persistentSessionsAndAFlatOutBacklogCountCleanlyToo() {
        String json = bench(broker, "--layout", "pairs", "--publishers", "2", "--subscribers", "2", "--qos", "1",
                "--session-expiry", "3600", "--backlog", "200", "--warmup", "1", "--duration", "1", "--drain", "15");
        assertEquals(number(json, "published"), number(json, "delivered"), json);
        assertEquals(0, number(json, "lost"), json);
        assertEquals(0, number(json, "duplicated"), json);
    }

    @Test
    void idleModeOpensHoldsAndClosesItsConnections() {
        String json = bench(broker, "--mode", "idle", "--connections", "300", "--duration", "1", "--local-addresses", "2");
        assertEquals(300, number(json, "connections"));
        assertEquals(2, number(json, "source_addresses"));
        assertEquals(0, number(json, "disconnected_by_broker"), json);
        assertEquals(300, number(json, "closed"), json);
        assertTrue(number(json, "connect_rate_per_s") > 0, json);
    }

    @Test
    void queuedMessagesOfPersistentSessionsAreFoundAfterARestart() throws Exception {
        Path data;
        String[] common = {"--sessions", "40", "--queued", "3", "--qos", "1", "--session-expiry", "3600",
                "--client-prefix", "recovery-it", "--topic-prefix", "recovery-it"};
        try (EmbeddedBroker first = EmbeddedBroker.start()) {
            data = first.dataDir();
            String prepared = bench(first, concat(common, "--mode", "sessions-prepare"));
            assertEquals(120, number(prepared, "queued_acked"), prepared);
        }
        try (EmbeddedBroker restarted = EmbeddedBroker.start(data, "")) {
            String checked = bench(restarted, concat(common, "--mode", "sessions-check", "--sample", "10",
                    "--sample-offset", "1"));
            assertEquals(10, number(checked, "sessions_complete"), checked);
            assertEquals(0, number(checked, "missing"), checked);
            assertEquals(0, number(checked, "duplicated"), checked);
            assertTrue(number(checked, "deliverable_epoch_ms") >= number(checked, "listener_epoch_ms"), checked);
        }
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    @Test
    void aSubscriberThatLeftMidwayShowsAsLost() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(Layout.FAN_IN, 1, 1);
        BenchClient subscriber = RealTraffic.client(broker, "lost-sub", payload -> ledger.arrived(0, payload));
        BenchClient publisher = RealTraffic.client(broker, "lost-pub", payload -> { });
        subscriber.connect().get();
        subscriber.subscribe("it/lost/0", 1).get();
        publisher.connect().get();
        RealTraffic.publish(publisher, "it/lost/0", 0, 10);
        RealTraffic.awaitArrivals(ledger, 10);
        subscriber.disconnect(true).get();
        RealTraffic.publish(publisher, "it/lost/0", 10, 20); // PUBACKed, but nobody subscribes now
        publisher.disconnect(true).get();
        DeliveryLedger.Tally tally = ledger.tally(new long[] {20});
        assertEquals(20, tally.expected());
        assertEquals(10, tally.unique());
        assertEquals(10, tally.lost());
    }

    @Test
    void aMessageSentTwiceShowsAsDuplicated() throws Exception {
        DeliveryLedger ledger = new DeliveryLedger(Layout.FAN_IN, 1, 1);
        BenchClient subscriber = RealTraffic.client(broker, "dup-sub", payload -> ledger.arrived(0, payload));
        BenchClient publisher = RealTraffic.client(broker, "dup-pub", payload -> { });
        subscriber.connect().get();
        subscriber.subscribe("it/dup/0", 1).get();
        publisher.connect().get();
        byte[] first = PayloadHeader.write(64, 0, 0, System.nanoTime());
        publisher.publish("it/dup/0", 1, first).get();
        publisher.publish("it/dup/0", 1, first).get(); // the same publisher and sequence again
        RealTraffic.publish(publisher, "it/dup/0", 1, 3);
        RealTraffic.awaitArrivals(ledger, 4);
        subscriber.disconnect(true).get();
        publisher.disconnect(true).get();
        assertEquals(new DeliveryLedger.Tally(3, 3, 1, 0), ledger.tally(new long[] {3}));
        assertNotNull(ledger.latencySinceLastCall());
    }
}
