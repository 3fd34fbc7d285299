package io.courier.protocol.bench;

import io.courier.protocol.index.GroupMembers;
import io.courier.protocol.index.MatchSink;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SubscriptionTrie#match} over 100,000 subscriptions shaped like an IoT deployment:
 * 80 % exact filters, 15 % with {@code +} in place of one or two levels, 5 % ending in
 * {@code #} at or below the device level. Topics have 3 to 7 levels
 * ({@code root/site/device/category/metric/aggregate/version}); 60 % are a topic someone
 * subscribed to exactly, 30 % an instance of a wildcard filter, 10 % random; the matches
 * cycle through {@code distinctTopics} of them. Everything comes from a fixed seed.
 *
 * <p>{@code wildcards} sets where {@code +} goes, which sets the fan-out:
 * <ul>
 * <li>{@code scoped}: below the device level ({@code home/site-3/dev-0a1b2/cmd/+}), the way a
 * device or a per-device service subscribes; a publish reports 0.9 subscribers on average.</li>
 * <li>{@code broad}: at any level but the root ({@code home/+/+/status}), fleet-wide
 * listeners; with 15,000 of them a publish reports 16 to 17 subscribers on average.</li>
 * </ul>
 * The {@code reported} counter is the number of subscribers reported, to read next to the
 * match rate.
 *
 * <p>Run with {@code bench/jmh.sh TrieMatch -prof gc}: {@code gc.alloc.rate.norm} is the
 * allocation per match, which should be about 0 B/op.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TrieMatchBenchmark {

    private static final int SUBSCRIPTIONS = 100_000;
    private static final long SEED = 0x5EED_C0DEL;
    /** Index of the device level; "scoped" wildcards stay below it. */
    private static final int DEVICE = 2;

    private static final String[] ROOTS = {"factory", "fleet", "home", "farm", "city", "lab"};
    private static final String[] CATEGORIES = {"sensors", "actuators", "status", "events", "cmd"};
    private static final String[] METRICS = {"temp", "humidity", "pressure", "battery", "rssi", "co2", "voltage"};
    private static final String[] AGGREGATES = {"raw", "avg", "min", "max"};

    @Param({"scoped", "broad"})
    public String wildcards;

    /**
     * How many distinct topics the matches cycle through (a power of two). 1,024 keeps the
     * paths they touch in the CPU caches, like a broker whose traffic is dominated by hot
     * topics; 16,384 spreads them over the whole trie, so most levels cost a cache miss.
     */
    @Param({"1024", "16384"})
    public int distinctTopics;

    private final SubscriptionTrie<String, Integer> trie = new SubscriptionTrie<>();
    private TopicName[] topics;

    @Setup(Level.Trial)
    public void build() {
        Random random = new Random(SEED);
        boolean broad = wildcards.equals("broad");
        List<String[]> exact = new ArrayList<>();
        List<String[]> wild = new ArrayList<>();
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            int roll = random.nextInt(100);
            String[] filter;
            if (roll < 80) {
                filter = topicLevels(random, 3);
                exact.add(filter);
            } else if (roll < 95) {
                filter = topicLevels(random, broad ? 3 : DEVICE + 2);
                int first = broad ? 1 : DEVICE + 1;
                int pluses = random.nextInt(4) == 0 ? 2 : 1;
                for (int p = 0; p < pluses; p++) {
                    filter[first + random.nextInt(filter.length - first)] = "+";
                }
                wild.add(filter);
            } else {
                String[] levels = topicLevels(random, 3);
                int keep = DEVICE + 1 + random.nextInt(levels.length - DEVICE);
                filter = Arrays.copyOf(levels, Math.min(keep, levels.length) + 1);
                filter[filter.length - 1] = "#";
                wild.add(filter);
            }
            trie.subscribe(new TopicFilter(String.join("/", filter)), "client-" + i, random.nextInt(3));
        }
        topics = new TopicName[distinctTopics];
        for (int i = 0; i < distinctTopics; i++) {
            int roll = random.nextInt(10);
            String[] topic = roll < 6 ? exact.get(random.nextInt(exact.size()))
                    : roll < 9 ? instance(wild.get(random.nextInt(wild.size())), random)
                    : topicLevels(random, 3);
            topics[i] = new TopicName(String.join("/", topic));
        }
    }

    /** {@code root/site/device/category/metric/aggregate/version}, cut to min-7 levels. */
    private static String[] topicLevels(Random random, int min) {
        String[] levels = new String[min + random.nextInt(8 - min)];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = level(i, random);
        }
        return levels;
    }

    private static String level(int index, Random random) {
        switch (index) {
            case 0: return ROOTS[random.nextInt(ROOTS.length)];
            case 1: return "site-" + random.nextInt(40);
            case DEVICE: return String.format("dev-%05x", random.nextInt(200_000));
            case 3: return CATEGORIES[random.nextInt(CATEGORIES.length)];
            case 4: return METRICS[random.nextInt(METRICS.length)];
            case 5: return AGGREGATES[random.nextInt(AGGREGATES.length)];
            default: return "v" + random.nextInt(3);
        }
    }

    /** A topic the wildcard filter matches: each {@code +} filled in, {@code #} extended by 0-2 levels. */
    private static String[] instance(String[] filter, Random random) {
        List<String> topic = new ArrayList<>();
        for (String level : filter) {
            if (level.equals("#")) {
                int extra = Math.min(random.nextInt(3), 7 - topic.size());
                for (int e = 0; e < extra; e++) {
                    topic.add(level(topic.size(), random));
                }
            } else {
                topic.add(level.equals("+") ? level(topic.size(), random) : level);
            }
        }
        return topic.toArray(new String[0]);
    }

    /**
     * Per-thread cursor and sink in one. It counts what the match reports and keeps the last
     * key, the way a router fills a reusable buffer: it does not dereference the keys, so the
     * benchmark measures the match, and nothing but the match can allocate.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Cursor implements MatchSink<String, Integer> {
        /** Subscribers and groups reported, as a rate next to the match rate. */
        public long reported;
        private Object last;
        private int next;

        @Override
        public void subscriber(String key, Integer value) {
            reported++;
            last = key;
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, Integer> members) {
            reported++;
            last = members;
        }

        TopicName nextTopic(TopicName[] topics) {
            return topics[next++ & (topics.length - 1)];
        }

        Object last() {
            return last;
        }
    }

    @Benchmark
    @Threads(1)
    public Object matchOneThread(Cursor cursor) {
        return match(cursor);
    }

    @Benchmark
    @Threads(2)
    public Object matchTwoThreads(Cursor cursor) {
        return match(cursor);
    }

    private Object match(Cursor cursor) {
        trie.match(cursor.nextTopic(topics), cursor);
        return cursor.last();
    }
}
