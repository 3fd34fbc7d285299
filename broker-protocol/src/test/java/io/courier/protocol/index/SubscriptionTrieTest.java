package io.courier.protocol.index;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import io.courier.protocol.topic.TopicFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.LongStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SubscriptionTrieTest {

    private final SubscriptionTrie<String, Integer> trie = new SubscriptionTrie<>();

    @Test
    @DisplayName("[MQTT-3.8.4-3] subscribing again with the same filter replaces the subscription")
    void resubscribeReplaces() {
        assertNull(trie.subscribe(filter("a/b"), "c1", 0));
        assertEquals(0, trie.subscribe(filter("a/b"), "c1", 2));
        assertEquals(1, trie.size());
        assertEquals(List.of("c1=2"), match("a/b"));
    }

    @Test
    @DisplayName("overlapping filters of one client are each reported; the caller merges")
    void overlappingSubscriptionsReportedPerFilter() {
        trie.subscribe(filter("a/+"), "c1", 1);
        trie.subscribe(filter("a/#"), "c1", 2);
        trie.subscribe(filter("a/b"), "c1", 0);
        trie.subscribe(filter("a/c"), "c2", 1);
        assertEquals(List.of("c1=0", "c1=1", "c1=2"), match("a/b"));
        assertEquals(List.of("c1=1", "c1=2", "c2=1"), match("a/c"));
        assertEquals(4, trie.size());
    }

    @Test
    @DisplayName("4.7.1.2 a/# also matches the parent level a")
    void hashMatchesParent() {
        trie.subscribe(filter("sport/tennis/player1/#"), "c1", 0);
        trie.subscribe(filter("sport/#"), "c2", 0);
        assertEquals(List.of("c1=0", "c2=0"), match("sport/tennis/player1"));
        assertEquals(List.of("c2=0"), match("sport"));
        assertEquals(List.of("c1=0", "c2=0"), match("sport/tennis/player1/score/wimbledon"));
        assertEquals(List.of(), match("sports"));
    }

    @Test
    @DisplayName("4.7.1.3 + matches exactly one level, empty levels included")
    void plusMatchesOneLevel() {
        trie.subscribe(filter("sport/+"), "c1", 0);
        trie.subscribe(filter("+/+"), "c2", 0);
        trie.subscribe(filter("+"), "c3", 0);
        assertEquals(List.of("c3=0"), match("sport"));
        assertEquals(List.of("c1=0", "c2=0"), match("sport/"));
        assertEquals(List.of("c2=0"), match("/finance"));
        assertEquals(List.of("c3=0"), match("finance"));
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] filters starting with a wildcard do not see $ topics")
    void dollarRule() {
        trie.subscribe(filter("#"), "all", 0);
        trie.subscribe(filter("+/monitor/Clients"), "plus", 0);
        trie.subscribe(filter("$SYS/#"), "sys", 0);
        trie.subscribe(filter("$SYS/monitor/+"), "sysPlus", 0);
        trie.subscribeShared(SharedFilter.parse("$share/g/#"), "shared", 0);
        assertEquals(List.of("sys=0", "sysPlus=0"), match("$SYS/monitor/Clients"));
        assertEquals(List.of("$share/g/# [shared=0]", "all=0", "plus=0"), match("x/monitor/Clients"));
        assertEquals(List.of("$share/g/# [shared=0]", "all=0"), match("a/$SYS"));
    }

    @Test
    @DisplayName("[MQTT-4.8.2-2] a shared group is reported once with all its members")
    void sharedGroups() {
        SharedFilter g1 = SharedFilter.parse("$share/g1/a/+");
        assertNull(trie.subscribeShared(g1, "c1", 1));
        assertNull(trie.subscribeShared(g1, "c2", 2));
        assertEquals(1, trie.subscribeShared(g1, "c1", 0));
        trie.subscribeShared(SharedFilter.parse("$share/g2/a/+"), "c3", 1);
        trie.subscribeShared(SharedFilter.parse("$share/g1/a/b"), "c4", 1);
        trie.subscribe(filter("a/+"), "c1", 2);
        assertEquals(List.of("$share/g1/a/+ [c1=0, c2=2]", "$share/g1/a/b [c4=1]", "$share/g2/a/+ [c3=1]", "c1=2"),
                match("a/b"));
        assertEquals(5, trie.size());

        assertEquals(0, trie.unsubscribeShared(g1, "c1"));
        assertNull(trie.unsubscribeShared(g1, "c1"));
        assertEquals(2, trie.unsubscribeShared(g1, "c2"));
        assertEquals(List.of("$share/g2/a/+ [c3=1]", "c1=2"), match("a/c"));
        assertEquals(3, trie.size());
    }

    @Test
    @DisplayName("unsubscribe returns what it removed and only touches one key and one kind")
    void unsubscribe() {
        trie.subscribe(filter("a/b"), "c1", 1);
        trie.subscribe(filter("a/b"), "c2", 2);
        trie.subscribeShared(SharedFilter.parse("$share/g/a/b"), "c1", 3);
        assertNull(trie.unsubscribe(filter("a/c"), "c1"));
        assertNull(trie.unsubscribe(filter("a"), "c1"));
        assertNull(trie.unsubscribe(filter("a/b"), "c3"));
        assertEquals(1, trie.unsubscribe(filter("a/b"), "c1"));
        assertNull(trie.unsubscribe(filter("a/b"), "c1"));
        assertEquals(List.of("$share/g/a/b [c1=3]", "c2=2"), match("a/b"));
        assertEquals(2, trie.size());
    }

    @Test
    @DisplayName("the SubscriptionFilter overloads dispatch plain and shared filters")
    void dispatchesOnFilterKind() {
        SubscriptionFilter shared = SubscriptionFilter.parse("$share/g/x");
        SubscriptionFilter plain = SubscriptionFilter.parse("x");
        trie.subscribe(shared, "c1", 1);
        trie.subscribe(plain, "c1", 2);
        assertEquals(List.of("$share/g/x [c1=1]", "c1=2"), match("x"));
        assertEquals(1, trie.unsubscribe(shared, "c1"));
        assertEquals(2, trie.unsubscribe(plain, "c1"));
        assertEquals(0, trie.size());
    }

    @Test
    @DisplayName("unsubscribing everything prunes every node but the root")
    void pruneOnUnsubscribe() {
        List<TopicFilter> filters = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            filters.add(filter("dev/" + i + "/+/x" + (i % 7) + (i % 3 == 0 ? "/#" : "")));
        }
        filters.add(filter("/"));
        filters.add(filter("#"));
        for (TopicFilter f : filters) {
            trie.subscribe(f, "c", 1);
            trie.subscribeShared(new SharedFilter("g", f), "c", 1);
        }
        assertTrue(trie.nodeCount() > 1000, "nodes were created");
        for (TopicFilter f : filters) {
            assertEquals(1, trie.unsubscribe(f, "c"));
            assertEquals(1, trie.unsubscribeShared(new SharedFilter("g", f), "c"));
        }
        assertEquals(0, trie.size());
        assertEquals(1, trie.nodeCount());
        assertEquals(List.of(), match("dev/1/a/x1"));
    }

    @Test
    @DisplayName("empty levels are levels: /a, a//b and / are distinct filters")
    void emptyLevels() {
        trie.subscribe(filter("/a"), "lead", 0);
        trie.subscribe(filter("a//b"), "middle", 0);
        trie.subscribe(filter("/"), "slash", 0);
        trie.subscribe(filter("a/+/b"), "plus", 0);
        assertEquals(List.of("lead=0"), match("/a"));
        assertEquals(List.of(), match("a"));
        assertEquals(List.of("middle=0", "plus=0"), match("a//b"));
        assertEquals(List.of("slash=0"), match("/"));
        assertEquals(List.of(), match("//"));
    }

    @Test
    @DisplayName("child tables grow and shrink: 2,000 siblings stay findable through churn")
    void manySiblings() {
        for (int i = 0; i < 2000; i++) {
            trie.subscribe(filter("s/" + i), "c", i);
        }
        for (int i = 0; i < 2000; i += 2) {
            trie.unsubscribe(filter("s/" + i), "c");
        }
        for (int i = 0; i < 2000; i++) {
            assertEquals(i % 2 == 0 ? List.of() : List.of("c=" + i), match("s/" + i), "s/" + i);
        }
        assertEquals(1000, trie.size());
        assertEquals(1 + 1 + 1000, trie.nodeCount());
    }

    static LongStream seeds() {
        Long fixed = Long.getLong("courier.test.seed");
        if (fixed != null) {
            return LongStream.of(fixed);
        }
        return LongStream.of(1L, 20_240_611L, ThreadLocalRandom.current().nextLong());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    @DisplayName("random operations agree with brute-force matching (rerun with -Dcourier.test.seed)")
    void agreesWithBruteForce(long seed) {
        Random random = new Random(seed);
        RandomTopics topics = new RandomTopics(random);
        BruteForceSubscriptions model = new BruteForceSubscriptions();
        List<SubscriptionFilter> used = new ArrayList<>();
        for (int op = 0; op < 6000; op++) {
            String where = "seed " + seed + ", operation " + op;
            int roll = random.nextInt(100);
            String key = topics.key(5);
            if (roll < 30) {
                SubscriptionFilter f = roll < 20 ? topics.filter() : topics.sharedFilter();
                used.add(f);
                int value = random.nextInt(3);
                assertEquals(model.subscribe(f, key, value), trie.subscribe(f, key, value), where);
            } else if (roll < 55 && !used.isEmpty()) {
                SubscriptionFilter f = used.get(random.nextInt(used.size()));
                assertEquals(model.unsubscribe(f, key), trie.unsubscribe(f, key), where);
            } else {
                TopicName topic = topics.name();
                assertEquals(model.expected(topic), match(topic), where + ", topic " + topic);
            }
            assertEquals(model.size(), trie.size(), where);
        }
        assertEquals(model.entries(), BruteForceSubscriptions.entries(trie), "seed " + seed);
        for (var entry : model.view().entrySet()) {
            for (String key : entry.getValue().keySet()) {
                assertTrue(trie.unsubscribe(entry.getKey(), key) != null, "seed " + seed);
            }
        }
        assertEquals(0, trie.size(), "seed " + seed);
        assertEquals(1, trie.nodeCount(), "seed " + seed + ": every node pruned");
    }

    private List<String> match(String topic) {
        return match(new TopicName(topic));
    }

    private List<String> match(TopicName topic) {
        RecordingSink sink = new RecordingSink();
        trie.match(topic, sink);
        return sink.sorted();
    }

    private static TopicFilter filter(String text) {
        return new TopicFilter(text);
    }
}
