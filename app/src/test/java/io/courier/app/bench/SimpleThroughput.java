package io.courier.app.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * A rough end-to-end throughput figure against any MQTT 5 broker already running at host:port
 * (issue 3's baseline; the project's real load tool, the {@code bench} command, comes later).
 *
 * <p>N HiveMQ publishers send fixed-size messages, each to its own topic
 * {@code bench/<run>/<i>}; one subscriber takes {@code bench/<run>/#} at the same QoS. The load
 * is closed-loop <em>end to end</em>: at most {@code --window} messages may be sent and not yet
 * received, across all publishers, so the figure is what the broker sustains to a subscriber
 * that keeps up, not what a client can write into a socket (open-loop QoS 0 outruns any broker
 * and measures its overload policy instead). A QoS 0 message the broker drops never comes back,
 * so drops shrink the window and show as loss and a lower rate.
 *
 * <p>After a warm-up that is not counted, it measures for the given seconds, lets the subscriber
 * drain, and prints one line: sent (completed publishes: PUBACKed for QoS 1, handed to the socket
 * for QoS 0) and received during the measured seconds, both as msgs/s, then the totals of the
 * whole run (warm-up and drain included) and the loss, total sent minus total received.
 *
 * <pre>
 * bench/simple-throughput.sh --port 1883 --qos 1 --publishers 4 --seconds 10
 * </pre>
 *
 * Options (defaults): --host 127.0.0.1, --port 1883, --qos 0, --publishers 4, --seconds 10,
 * --warmup 3, --payload 64 (bytes), --window 100 (messages sent and not yet received, end to
 * end), --publisher-window 32 (a publisher's publishes not yet PUBACKed, or for QoS 0 not yet
 * written: a receipt can come back before the publisher's PUBACK, so the end-to-end window alone
 * does not bound a publisher), --drain 10 (longest wait, in seconds, for the
 * subscriber after sending stops), --subscriber-session-expiry 0 (seconds; above 0 the
 * subscriber's session is persistent, so with QoS 1 every message is journaled before its PUBACK).
 */
public final class SimpleThroughput {

    private SimpleThroughput() {
    }

    public static void main(String[] args) {
        int status = 0;
        try {
            run(BenchArgs.parse(args));
        } catch (Exception e) {
            System.err.println("simple-throughput: " + e);
            status = 1;
        }
        System.exit(status); // the HiveMQ client's event-loop threads would keep the JVM alive
    }

    private static void run(Map<String, String> opts) throws Exception {
        String host = opts.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(opts.getOrDefault("port", "1883"));
        MqttQos qos = MqttQos.fromCode(Integer.parseInt(opts.getOrDefault("qos", "0")));
        int publishers = Integer.parseInt(opts.getOrDefault("publishers", "4"));
        int seconds = Integer.parseInt(opts.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(opts.getOrDefault("warmup", "3"));
        int payloadSize = Integer.parseInt(opts.getOrDefault("payload", "64"));
        int window = Integer.parseInt(opts.getOrDefault("window", "100"));
        int publisherWindow = Integer.parseInt(opts.getOrDefault("publisher-window", "32"));
        int drain = Integer.parseInt(opts.getOrDefault("drain", "10"));
        long subscriberExpiry = Long.parseLong(opts.getOrDefault("subscriber-session-expiry", "0"));
        if (qos == null || qos == MqttQos.EXACTLY_ONCE) {
            throw new IllegalArgumentException("--qos 0 or 1");
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        String prefix = "bench/" + run;

        Semaphore inFlight = new Semaphore(window); // sent and not yet received, end to end
        LongAdder received = new LongAdder();
        Mqtt5AsyncClient subscriber = client("bench-sub-" + run, host, port);
        subscriber.publishes(MqttGlobalPublishFilter.ALL, p -> {
            received.increment();
            inFlight.release();
        });
        subscriber.connectWith().cleanStart(true).sessionExpiryInterval(subscriberExpiry).send().get(10, TimeUnit.SECONDS);
        subscriber.subscribeWith().topicFilter(prefix + "/#").qos(qos).send().get(10, TimeUnit.SECONDS);

        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt5AsyncClient c = client("bench-pub-" + run + "-" + i, host, port);
            c.connect().get(10, TimeUnit.SECONDS);
            clients.add(c);
        }

        LongAdder sent = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        byte[] payload = new byte[payloadSize];
        List<Thread> threads = new ArrayList<>();
        List<Semaphore> publisherWindows = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt5AsyncClient c = clients.get(i);
            String topic = prefix + "/" + i;
            Semaphore unacknowledged = new Semaphore(publisherWindow); // this publisher's publishes not yet completed
            publisherWindows.add(unacknowledged);
            Thread t = new Thread(() -> {
                try {
                    while (!stop.get()) {
                        if (!unacknowledged.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            continue;
                        }
                        if (!inFlight.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            unacknowledged.release();
                            continue;
                        }
                        c.publishWith().topic(topic).qos(qos).payload(payload).send().whenComplete((result, error) -> {
                            if (error == null && result.getError().isEmpty()) {
                                sent.increment();
                            } else {
                                // Its end-to-end permit stays taken: it may still arrive, and a
                                // failed run is reported as such rather than measured.
                                failed.increment();
                            }
                            unacknowledged.release();
                        });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "publisher-" + i);
            threads.add(t);
            t.start();
        }

        TimeUnit.SECONDS.sleep(warmup); // warm-up: not counted
        long sentBefore = sent.sum();
        long receivedBefore = received.sum();
        long start = System.nanoTime();
        TimeUnit.SECONDS.sleep(seconds);
        long sentDuring = sent.sum() - sentBefore;
        long receivedDuring = received.sum() - receivedBefore;
        double elapsed = (System.nanoTime() - start) / 1e9;

        stop.set(true);
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(drain));
        }
        for (Semaphore w : publisherWindows) { // every publish completed (or failed)
            if (w.tryAcquire(publisherWindow, drain, TimeUnit.SECONDS)) {
                w.release(publisherWindow);
            }
        }
        // Let the subscriber drain: until it has everything, or nothing arrived for a second.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(drain);
        long last = -1;
        while (System.nanoTime() < deadline && received.sum() < sent.sum() && received.sum() != last) {
            last = received.sum();
            TimeUnit.SECONDS.sleep(1);
        }
        long sentTotal = sent.sum();
        long receivedTotal = received.sum();
        long loss = Math.max(0, sentTotal - receivedTotal);

        System.out.printf(Locale.ROOT,
                "qos=%d publishers=%d payload=%dB window=%d publisher_window=%d subscriber_expiry=%d seconds=%d sent=%d received=%d "
                        + "sent_msgs_per_s=%.0f received_msgs_per_s=%.0f total_sent=%d total_received=%d "
                        + "loss=%d (%.3f%%) failed=%d%n",
                qos.getCode(), publishers, payloadSize, window, publisherWindow, subscriberExpiry, seconds, sentDuring, receivedDuring,
                sentDuring / elapsed, receivedDuring / elapsed, sentTotal, receivedTotal,
                loss, sentTotal == 0 ? 0.0 : 100.0 * loss / sentTotal, failed.sum());

        for (Mqtt5AsyncClient c : clients) {
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
        // A persistent subscriber's session ends with this DISCONNECT instead of lingering on the broker.
        subscriber.disconnectWith().sessionExpiryInterval(0).send().get(10, TimeUnit.SECONDS);
    }

    private static Mqtt5AsyncClient client(String id, String host, int port) {
        return MqttClient.builder().useMqttVersion5().identifier(id).serverHost(host).serverPort(port).buildAsync();
    }
}
