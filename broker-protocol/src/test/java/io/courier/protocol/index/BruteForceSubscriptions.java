package io.courier.protocol.index;

import io.courier.protocol.topic.SharedFilter;
import io.courier.protocol.topic.SubscriptionFilter;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The obviously correct model a {@link SubscriptionTrie} is checked against: a map from filter
 * to subscribers, matched by trying {@code TopicFilter.matches} on every filter.
 */
final class BruteForceSubscriptions {

    private final Map<SubscriptionFilter, Map<String, Integer>> subscriptions = new HashMap<>();

    Integer subscribe(SubscriptionFilter filter, String key, Integer value) {
        return subscriptions.computeIfAbsent(filter, f -> new HashMap<>()).put(key, value);
    }

    Integer unsubscribe(SubscriptionFilter filter, String key) {
        Map<String, Integer> subscribers = subscriptions.get(filter);
        if (subscribers == null) {
            return null;
        }
        Integer removed = subscribers.remove(key);
        if (subscribers.isEmpty()) {
            subscriptions.remove(filter);
        }
        return removed;
    }

    void putAll(BruteForceSubscriptions other) {
        other.subscriptions.forEach((filter, subscribers) ->
                subscribers.forEach((key, value) -> subscribe(filter, key, value)));
    }

    int size() {
        return subscriptions.values().stream().mapToInt(Map::size).sum();
    }

    /** What a {@link RecordingSink} should hold after matching {@code topic}. */
    List<String> expected(TopicName topic) {
        List<String> lines = new ArrayList<>();
        subscriptions.forEach((filter, subscribers) -> {
            if (!filter.filter().matches(topic)) {
                return;
            }
            if (filter instanceof SharedFilter shared) {
                List<String> members = new ArrayList<>();
                subscribers.forEach((key, value) -> members.add(RecordingSink.plainLine(key, value)));
                lines.add(RecordingSink.groupLine(shared.shareName(), shared.filter(), members));
            } else {
                subscribers.forEach((key, value) -> lines.add(RecordingSink.plainLine(key, value)));
            }
        });
        Collections.sort(lines);
        return lines;
    }

    /** Every subscription as "filter key=value", sorted, to compare with {@link SubscriptionTrie#forEach}. */
    TreeSet<String> entries() {
        TreeSet<String> entries = new TreeSet<>();
        subscriptions.forEach((filter, subscribers) -> subscribers.forEach(
                (key, value) -> entries.add(entry(filter, key, value))));
        return entries;
    }

    static TreeSet<String> entries(SubscriptionTrie<String, Integer> trie) {
        TreeSet<String> entries = new TreeSet<>();
        trie.forEach(s -> {
            if (!entries.add(entry(s.filter(), s.key(), s.value()))) {
                throw new AssertionError("listed twice: " + s);
            }
        });
        return entries;
    }

    private static String entry(SubscriptionFilter filter, String key, Integer value) {
        return filter.value() + " " + key + "=" + value;
    }

    Map<SubscriptionFilter, Map<String, Integer>> view() {
        return Collections.unmodifiableMap(subscriptions);
    }
}
