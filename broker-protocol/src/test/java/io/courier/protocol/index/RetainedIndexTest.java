package io.courier.protocol.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RetainedIndexTest {

    private final RetainedIndex<String> index = new RetainedIndex<>();

    @Test
    @DisplayName("put replaces, get and remove return the stored value")
    void putGetRemove() {
        assertNull(index.put(name("a/b"), "1"));
        assertEquals("1", index.put(name("a/b"), "2"));
        assertEquals("2", index.get(name("a/b")));
        assertNull(index.get(name("a")));
        assertNull(index.get(name("a/b/c")));
        assertEquals(1, index.size());
        assertNull(index.remove(name("a")));
        assertEquals("2", index.remove(name("a/b")));
        assertNull(index.remove(name("a/b")));
        assertEquals(0, index.size());
        assertEquals(1, index.nodeCount());
    }

    @Test
    @DisplayName("4.7.1.2 sport/# finds sport itself and everything below it")
    void hashIncludesParent() {
        for (String topic : List.of("sport", "sport/tennis", "sport/tennis/player1/score", "sports", "x/sport")) {
            index.put(name(topic), topic);
        }
        assertEquals(List.of("sport", "sport/tennis", "sport/tennis/player1/score"), matching("sport/#"));
        assertEquals(List.of("sport/tennis/player1/score"), matching("sport/tennis/player1/#"));
    }

    @Test
    @DisplayName("4.7.1.3 + finds exactly one level, empty levels included")
    void plusIsOneLevel() {
        for (String topic : List.of("sport", "sport/", "sport/tennis", "sport/tennis/player1", "/finance", "finance")) {
            index.put(name(topic), topic);
        }
        assertEquals(List.of("sport/", "sport/tennis"), matching("sport/+"));
        assertEquals(List.of("/finance", "sport/", "sport/tennis"), matching("+/+"));
        assertEquals(List.of("/finance"), matching("/+"));
        assertEquals(List.of("finance", "sport"), matching("+"));
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] # and +/... do not return $SYS topics; $SYS/# does")
    void dollarRule() {
        for (String topic : List.of("$SYS/monitor/Clients", "$SYS", "a/$SYS", "monitor/Clients/x", "x/monitor/Clients")) {
            index.put(name(topic), topic);
        }
        assertEquals(List.of("a/$SYS", "monitor/Clients/x", "x/monitor/Clients"), matching("#"));
        assertEquals(List.of("x/monitor/Clients"), matching("+/monitor/Clients"));
        assertEquals(List.of("$SYS", "$SYS/monitor/Clients"), matching("$SYS/#"));
        assertEquals(List.of("$SYS/monitor/Clients"), matching("$SYS/monitor/+"));
        assertEquals(List.of("a/$SYS"), matching("a/+"));
        List<String> all = new ArrayList<>();
        index.forEach((topic, value) -> all.add(topic.value()));
        assertEquals(5, all.size(), "forEach lists $ topics too");
    }

    @Test
    @DisplayName("an exact filter finds one topic; a filter with a longer path finds none")
    void exactFilters() {
        index.put(name("a/b"), "ab");
        assertEquals(List.of("a/b"), matching("a/b"));
        assertEquals(List.of(), matching("a/b/c"));
        assertEquals(List.of(), matching("a"));
    }

    static LongStream seeds() {
        Long fixed = Long.getLong("courier.test.seed");
        return fixed != null ? LongStream.of(fixed) : LongStream.of(7L, ThreadLocalRandom.current().nextLong());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("random operations agree with brute-force matching (rerun with -Dcourier.test.seed)")
    void agreesWithBruteForce(long seed) {
        Random random = new Random(seed);
        RandomTopics topics = new RandomTopics(random);
        Map<TopicName, String> model = new HashMap<>();
        for (int op = 0; op < 5000; op++) {
            String where = "seed " + seed + ", operation " + op;
            int roll = random.nextInt(100);
            if (roll < 35) {
                TopicName topic = topics.name();
                String value = "v" + op;
                assertEquals(model.put(topic, value), index.put(topic, value), where);
            } else if (roll < 60) {
                TopicName topic = topics.name();
                assertEquals(model.remove(topic), index.remove(topic), where);
            } else if (roll < 70) {
                TopicName topic = topics.name();
                assertEquals(model.get(topic), index.get(topic), where);
            } else {
                TopicFilter filter = topics.filter();
                assertEquals(bruteForce(model, filter), matchingValues(filter), where + ", filter " + filter);
            }
            assertEquals(model.size(), index.size(), where);
        }
        for (TopicName topic : new ArrayList<>(model.keySet())) {
            assertEquals(model.remove(topic), index.remove(topic), "seed " + seed);
        }
        assertEquals(1, index.nodeCount(), "seed " + seed + ": every node pruned");
    }

    @Test
    @Timeout(30)
    @DisplayName("lookups always find the stable topics while writers churn the tree around them")
    void stableTopicsFoundUnderChurn() throws InterruptedException {
        long seed = Long.getLong("courier.test.seed", ThreadLocalRandom.current().nextLong());
        RandomTopics topics = new RandomTopics(new Random(seed));
        Map<TopicName, String> stable = new HashMap<>();
        for (int i = 0; i < 60; i++) {
            TopicName topic = topics.name();
            stable.put(topic, "stable");
            index.put(topic, "stable");
        }
        List<TopicFilter> filters = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            filters.add(topics.filter());
        }
        Queue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong lookups = new AtomicLong();
        Thread writer = new Thread(() -> {
            Random random = new Random(seed + 1);
            RandomTopics churn = new RandomTopics(random);
            long deadline = System.nanoTime() + 1_000_000_000L;
            try {
                for (int op = 0; op < 300_000 && System.nanoTime() < deadline && failures.isEmpty(); op++) {
                    TopicName topic = new TopicName("d" + random.nextInt(10) + "/" + churn.name().value());
                    if (random.nextBoolean()) {
                        index.put(topic, "churn");
                    } else {
                        index.remove(topic);
                    }
                    TopicName near = churn.name(); // same alphabet as the stable set
                    if (!stable.containsKey(near)) {
                        if (random.nextBoolean()) {
                            index.put(near, "churn");
                        } else {
                            index.remove(near);
                        }
                    }
                }
            } catch (Throwable t) {
                failures.add(t);
            } finally {
                running.set(false);
            }
        });
        Thread reader = new Thread(() -> {
            Random random = new Random(seed + 2);
            try {
                while (running.get() && failures.isEmpty()) {
                    TopicFilter filter = filters.get(random.nextInt(filters.size()));
                    Map<String, String> found = new HashMap<>();
                    index.forEachMatching(filter, (topic, value) -> found.put(topic.value(), value));
                    for (TopicName topic : stable.keySet()) {
                        if (filter.matches(topic) && !"stable".equals(found.get(topic.value()))) {
                            throw new AssertionError("seed " + seed + ": " + filter + " missed " + topic);
                        }
                        if (!"stable".equals(index.get(topic))) {
                            throw new AssertionError("seed " + seed + ": get missed " + topic);
                        }
                    }
                    lookups.incrementAndGet();
                }
            } catch (Throwable t) {
                failures.add(t);
            }
        });
        writer.start();
        reader.start();
        writer.join();
        reader.join();
        assertTrue(failures.isEmpty(), () -> "seed " + seed + ": " + failures.peek());
        assertTrue(lookups.get() > 0, "the reader ran");
        for (TopicFilter filter : filters) {
            Map<String, String> found = new TreeMap<>();
            index.forEachMatching(filter, (topic, value) -> found.put(topic.value(), value));
            for (TopicName topic : stable.keySet()) {
                assertEquals(filter.matches(topic), found.containsKey(topic.value()), "seed " + seed);
            }
        }
    }

    private static Map<String, String> bruteForce(Map<TopicName, String> model, TopicFilter filter) {
        Map<String, String> expected = new TreeMap<>();
        model.forEach((topic, value) -> {
            if (filter.matches(topic)) {
                expected.put(topic.value(), value);
            }
        });
        return expected;
    }

    private Map<String, String> matchingValues(TopicFilter filter) {
        Map<String, String> found = new TreeMap<>();
        index.forEachMatching(filter, (topic, value) -> {
            if (found.put(topic.value(), value) != null) {
                throw new AssertionError("reported twice: " + topic);
            }
        });
        return found;
    }

    private List<String> matching(String filter) {
        return new ArrayList<>(matchingValues(new TopicFilter(filter)).keySet());
    }

    private static TopicName name(String text) {
        return new TopicName(text);
    }
}
