package io.courier.protocol.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Writers churn subscriptions while readers match. Subscriptions made before the threads start
 * and never removed (the stable set) must show up in every match that should see them, however
 * the nodes around them are being split, resized and pruned.
 */
class SubscriptionTrieConcurrencyTest {

    private static final int WRITERS = 2;
    private static final int READERS = 2;
    private static final long RUN_NANOS = 1_500_000_000L;
    private static final int MAX_WRITES_PER_WRITER = 400_000;

    private final SubscriptionTrie<String, Integer> trie = new SubscriptionTrie<>();
    private final Queue<Throwable> failures = new ConcurrentLinkedQueue<>();

    @Test
    @Timeout(30)
    @DisplayName("readers always find the stable subscriptions while writers churn; the end state equals the model")
    void stableSubscriptionsAlwaysFound() throws InterruptedException {
        long seed = Long.getLong("courier.test.seed", ThreadLocalRandom.current().nextLong());
        Random random = new Random(seed);
        RandomTopics topics = new RandomTopics(random);

        BruteForceSubscriptions stable = new BruteForceSubscriptions();
        for (int i = 0; i < 200; i++) {
            SubscriptionFilter filter = i % 4 == 0 ? topics.sharedFilter() : topics.filter();
            stable.subscribe(filter, "stable-" + i, i % 3);
            trie.subscribe(filter, "stable-" + i, i % 3);
        }
        List<TopicName> names = new ArrayList<>();
        List<Set<String>> mustSee = new ArrayList<>();
        for (int i = 0; i < 400; i++) {
            TopicName name = topics.name();
            names.add(name);
            mustSee.add(stableLines(stable, name));
        }
        assertTrue(mustSee.stream().anyMatch(lines -> !lines.isEmpty()), "seed " + seed + ": some topics match");

        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicLong matches = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        List<SubscriptionFilter> pool = churnPool(topics, random);
        List<BruteForceSubscriptions> churned = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long deadline = System.nanoTime() + RUN_NANOS;
        for (int w = 0; w < WRITERS; w++) {
            BruteForceSubscriptions model = new BruteForceSubscriptions();
            churned.add(model);
            long writerSeed = seed + 1 + w;
            String prefix = "w" + w + "-";
            threads.add(thread(start, () -> churn(writerSeed, prefix, pool, model, deadline)));
        }
        for (int r = 0; r < READERS; r++) {
            long readerSeed = seed + 100 + r;
            threads.add(thread(start, () -> {
                Random readerRandom = new Random(readerSeed);
                while (writing.get() && failures.isEmpty()) {
                    int i = readerRandom.nextInt(names.size());
                    StableSink sink = new StableSink();
                    trie.match(names.get(i), sink);
                    if (!sink.seen.containsAll(mustSee.get(i))) {
                        Set<String> missing = new HashSet<>(mustSee.get(i));
                        missing.removeAll(sink.seen);
                        throw new AssertionError("seed " + readerSeed + ": " + names.get(i) + " missed " + missing);
                    }
                    matches.incrementAndGet();
                }
            }));
        }
        threads.forEach(Thread::start);
        start.countDown();
        for (int w = 0; w < WRITERS; w++) {
            threads.get(w).join();
        }
        writing.set(false);
        for (Thread thread : threads) {
            thread.join();
        }

        assertTrue(failures.isEmpty(), () -> "seed " + seed + ": " + failures.peek());
        assertTrue(matches.get() > 0, "seed " + seed + ": readers ran");

        BruteForceSubscriptions all = new BruteForceSubscriptions();
        all.putAll(stable);
        churned.forEach(all::putAll);
        assertEquals(all.entries(), BruteForceSubscriptions.entries(trie), "seed " + seed);
        assertEquals(all.size(), trie.size(), "seed " + seed);
        for (TopicName name : names) {
            RecordingSink sink = new RecordingSink();
            trie.match(name, sink);
            assertEquals(all.expected(name), sink.sorted(), "seed " + seed + ", topic " + name);
        }
        for (Map.Entry<SubscriptionFilter, Map<String, Integer>> entry : all.view().entrySet()) {
            for (String key : entry.getValue().keySet()) {
                assertNotNull(trie.unsubscribe(entry.getKey(), key), "seed " + seed);
            }
        }
        assertEquals(1, trie.nodeCount(), "seed " + seed + ": every node pruned after the churn");
    }

    /**
     * Subscribes and unsubscribes keys that only this writer uses, so the trie's answers can be
     * checked against this writer's own model as it goes. All writers share one pool of
     * filters, so they change the same nodes; half of the pool is deeper paths of their own,
     * which are created and pruned over and over.
     */
    private void churn(long seed, String prefix, List<SubscriptionFilter> pool, BruteForceSubscriptions model,
            long deadline) {
        Random random = new Random(seed);
        for (int op = 0; op < MAX_WRITES_PER_WRITER && failures.isEmpty(); op++) {
            if ((op & 255) == 0 && System.nanoTime() > deadline) {
                return;
            }
            String key = prefix + random.nextInt(4);
            SubscriptionFilter filter = pool.get(random.nextInt(pool.size()));
            Map<String, Integer> subscribers = model.view().get(filter);
            if (subscribers != null && subscribers.containsKey(key) && random.nextInt(4) != 0) {
                check(model.unsubscribe(filter, key), trie.unsubscribe(filter, key), seed, filter);
            } else {
                int value = random.nextInt(3);
                check(model.subscribe(filter, key, value), trie.subscribe(filter, key, value), seed, filter);
            }
        }
    }

    private static List<SubscriptionFilter> churnPool(RandomTopics topics, Random random) {
        List<SubscriptionFilter> pool = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            TopicFilter filter = topics.filter();
            if (i % 2 == 0) {
                filter = new TopicFilter("d" + random.nextInt(20) + "/e/" + filter.value());
            }
            pool.add(i % 5 == 0 ? new SharedFilter("g1", filter) : filter);
        }
        return pool;
    }

    private static void check(Integer expected, Integer actual, long seed, SubscriptionFilter filter) {
        if (!java.util.Objects.equals(expected, actual)) {
            throw new AssertionError("seed " + seed + ", " + filter + ": expected " + expected + " but was " + actual);
        }
    }

    private Thread thread(CountDownLatch start, Runnable body) {
        return new Thread(() -> {
            try {
                start.await();
                body.run();
            } catch (Throwable t) {
                failures.add(t);
            }
        });
    }

    /** Lines for the stable subscriptions a match of {@code name} must report. */
    private static Set<String> stableLines(BruteForceSubscriptions stable, TopicName name) {
        Set<String> lines = new HashSet<>();
        stable.view().forEach((filter, subscribers) -> {
            if (filter.filter().matches(name)) {
                subscribers.forEach((key, value) -> lines.add(line(filter, key, value)));
            }
        });
        return lines;
    }

    private static String line(SubscriptionFilter filter, String key, Integer value) {
        return filter instanceof SharedFilter ? filter.value() + " " + key + "=" + value : key + "=" + value;
    }

    /** Keeps what concerns the stable set, and fails on a group reported twice in one match. */
    private static final class StableSink implements MatchSink<String, Integer> {
        final Set<String> seen = new HashSet<>();
        private final Set<String> groups = new HashSet<>();

        @Override
        public void subscriber(String key, Integer value) {
            seen.add(key + "=" + value);
        }

        @Override
        public void sharedGroup(String shareName, TopicFilter filter, GroupMembers<String, Integer> members) {
            SharedFilter shared = new SharedFilter(shareName, filter);
            if (!groups.add(shared.value()) || members.size() == 0) {
                throw new AssertionError("group reported twice or empty: " + shared);
            }
            for (int i = 0; i < members.size(); i++) {
                seen.add(line(shared, members.key(i), members.value(i)));
            }
        }
    }
}
