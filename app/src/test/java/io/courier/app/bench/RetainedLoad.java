package io.courier.app.bench;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Load on the retained-message path of a running broker (docs/benchmarks.md): N HiveMQ MQTT 5
 * publishers send QoS 1 retained PUBLISHes, each to the next of {@code --topics} distinct topics
 * ({@code bench/retained/<run>/<publisher>/<i>}; in fill mode every publish has a topic of its
 * own), at most {@code --publisher-window} each not yet
 * PUBACKed. A PUBACK for a retained message means the retained store made it durable, so the
 * figure is the store's write path end to end. No subscriber.
 *
 * <p>Two modes. Timed (default): warm-up, then {@code --seconds} measured; prints PUBACKs/s and
 * the PUBACK latency p50/p99 of the measured part. Fill ({@code --count n}): exactly n publishes,
 * one per topic (so n distinct retained topics), then prints the time taken; used to put 100,000
 * retained messages into a broker before measuring its start-up.
 *
 * <p>Options (defaults): --host 127.0.0.1, --port 1883, --publishers 4, --topics 10000,
 * --seconds 10, --warmup 3, --payload 64, --publisher-window 32, --count 0, --run (random).
 * Every loop is bounded by the run's time or count, and every wait by 10 s.
 */
public final class RetainedLoad {

    private RetainedLoad() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = BenchArgs.parse(args);
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = Integer.parseInt(o.getOrDefault("port", "1883"));
        int publishers = Integer.parseInt(o.getOrDefault("publishers", "4"));
        int topics = Integer.parseInt(o.getOrDefault("topics", "10000"));
        int seconds = Integer.parseInt(o.getOrDefault("seconds", "10"));
        int warmup = Integer.parseInt(o.getOrDefault("warmup", "3"));
        int payloadSize = Integer.parseInt(o.getOrDefault("payload", "64"));
        int window = Integer.parseInt(o.getOrDefault("publisher-window", "32"));
        long count = Long.parseLong(o.getOrDefault("count", "0"));
        String run = o.getOrDefault("run", Long.toString(System.nanoTime() % 100_000));

        List<Mqtt5AsyncClient> clients = new ArrayList<>();
        for (int i = 0; i < publishers; i++) {
            Mqtt5AsyncClient c = MqttClient.builder().useMqttVersion5().identifier("bench-retained-" + run + "-" + i)
                    .serverHost(host).serverPort(port).buildAsync();
            c.connect().get(10, TimeUnit.SECONDS);
            clients.add(c);
        }
        byte[] payload = new byte[payloadSize];
        Arrays.fill(payload, (byte) 'r');
        LongAdder acked = new LongAdder();
        LongAdder failed = new LongAdder();
        AtomicBoolean recording = new AtomicBoolean(count > 0);
        AtomicBoolean stop = new AtomicBoolean();
        long[] latencies = new long[4_000_000];
        AtomicInteger recorded = new AtomicInteger();
        AtomicLong remaining = new AtomicLong(count > 0 ? count : Long.MAX_VALUE);
        AtomicLong fillTopic = new AtomicLong(); // fill mode: one topic per publish, across publishers
        List<Thread> threads = new ArrayList<>();
        List<Semaphore> windows = new ArrayList<>();
        long began = System.nanoTime();
        for (int i = 0; i < publishers; i++) {
            Mqtt5AsyncClient c = clients.get(i);
            String prefix = "bench/retained/" + run + "/" + i + "/";
            Semaphore unacknowledged = new Semaphore(window);
            windows.add(unacknowledged);
            Thread t = new Thread(() -> {
                try {
                    for (long n = 0; !stop.get() && remaining.getAndDecrement() > 0; n++) {
                        while (!unacknowledged.tryAcquire(100, TimeUnit.MILLISECONDS)) {
                            if (stop.get()) {
                                return;
                            }
                        }
                        long sentAt = System.nanoTime();
                        String topic = count > 0 ? prefix + fillTopic.getAndIncrement() : prefix + (n % topics);
                        c.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                                .payload(payload).send().whenComplete((result, error) -> {
                                    if (error == null && result.getError().isEmpty()) {
                                        acked.increment();
                                        if (recording.get()) {
                                            int slot = recorded.getAndIncrement();
                                            if (slot < latencies.length) {
                                                latencies[slot] = System.nanoTime() - sentAt;
                                            }
                                        }
                                    } else {
                                        failed.increment();
                                    }
                                    unacknowledged.release();
                                });
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "retained-publisher-" + i);
            threads.add(t);
            t.start();
        }

        if (count > 0) {
            for (Thread t : threads) {
                t.join(TimeUnit.MINUTES.toMillis(10));
            }
            awaitWindows(windows, window);
            double took = (System.nanoTime() - began) / 1e9;
            System.out.printf(Locale.ROOT, "fill: publishers=%d retained_topics=%d acked=%d failed=%d seconds=%.1f msgs_per_s=%.0f%n",
                    publishers, count, acked.sum(), failed.sum(), took, acked.sum() / took);
        } else {
            TimeUnit.SECONDS.sleep(warmup);
            long before = acked.sum();
            recording.set(true);
            long start = System.nanoTime();
            TimeUnit.SECONDS.sleep(seconds);
            recording.set(false);
            long during = acked.sum() - before;
            double elapsed = (System.nanoTime() - start) / 1e9;
            stop.set(true);
            for (Thread t : threads) {
                t.join(10_000);
            }
            awaitWindows(windows, window);
            int n = Math.min(recorded.get(), latencies.length);
            long[] sorted = Arrays.copyOf(latencies, n);
            Arrays.sort(sorted);
            System.out.printf(Locale.ROOT,
                    "retained qos=1 publishers=%d topics_per_publisher=%d payload=%dB publisher_window=%d seconds=%d "
                            + "acked=%d acked_msgs_per_s=%.0f puback_p50_ms=%.2f puback_p99_ms=%.2f failed=%d%n",
                    publishers, topics, payloadSize, window, seconds, during, during / elapsed,
                    percentile(sorted, 0.50), percentile(sorted, 0.99), failed.sum());
        }
        for (Mqtt5AsyncClient c : clients) {
            c.disconnect().get(10, TimeUnit.SECONDS);
        }
    }

    private static void awaitWindows(List<Semaphore> windows, int window) throws InterruptedException {
        for (Semaphore w : windows) { // every publish completed (or failed)
            if (w.tryAcquire(window, 10, TimeUnit.SECONDS)) {
                w.release(window);
            }
        }
    }

    private static double percentile(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        return sorted[(int) Math.min(sorted.length - 1, Math.floor(q * sorted.length))] / 1e6;
    }
}
