package io.courier.protocol.topic;

/**
 * A filter a client subscribes with (MQTT 5.0 section 4.7.1). Valid by construction: at least
 * one character [MQTT-4.7.3-1], {@code #} only as the whole last level [MQTT-4.7.1-2],
 * {@code +} only as a whole level [MQTT-4.7.1-3], no U+0000 [MQTT-4.7.3-2], at most 65,535
 * UTF-8 bytes [MQTT-4.7.3-3]. Empty levels ({@code a//b}, {@code /a}) are allowed.
 *
 * <p>A filter starting with {@code $share/} is syntactically a topic filter too; whether it
 * means a shared subscription depends on the protocol version, so callers that speak MQTT 5
 * parse through {@link SubscriptionFilter#parse(String)} instead of this constructor.
 *
 * @param value the filter exactly as it appears on the wire
 * @throws InvalidTopicException if a rule above is broken
 */
public record TopicFilter(String value) implements SubscriptionFilter {

    public TopicFilter {
        TopicSyntax.checkText("topic filter", value);
        int last = value.length() - 1;
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c != '+' && c != '#') {
                continue;
            }
            boolean startsLevel = i == 0 || value.charAt(i - 1) == '/';
            boolean endsLevel = i == last || value.charAt(i + 1) == '/';
            if (c == '+' && !(startsLevel && endsLevel)) {
                throw new InvalidTopicException("topic filter " + TopicSyntax.quote(value)
                        + ": '+' at index " + i + " must occupy a whole level [MQTT-4.7.1-3]");
            }
            if (c == '#' && !(startsLevel && i == last)) {
                throw new InvalidTopicException("topic filter " + TopicSyntax.quote(value)
                        + ": '#' at index " + i + " must be the whole last level [MQTT-4.7.1-2]");
            }
        }
    }

    /** This filter itself: a plain subscription matches with the filter it was made with. */
    @Override
    public TopicFilter filter() {
        return this;
    }

    /** True if the filter contains {@code +} or {@code #}. */
    public boolean hasWildcards() {
        return value.indexOf('+') >= 0 || value.indexOf('#') >= 0;
    }

    /** Number of levels, wildcard levels included; {@code a/#} has two. */
    public int levelCount() {
        return TopicSyntax.levelCount(value);
    }

    /**
     * Whether a message published to {@code topic} is delivered through this filter.
     * {@code +} matches exactly one level (possibly empty), {@code #} matches any number of
     * levels including none, so {@code sport/#} also matches {@code sport} (4.7.1.2). Filters
     * whose first level is a wildcard do not match names starting with {@code $}
     * [MQTT-4.7.2-1]. Comparison is char by char with no normalisation [MQTT-4.7.3-4].
     *
     * <p>Walks both strings by index and allocates nothing: this runs once per filter per
     * message wherever a trie is not worth building.
     */
    public boolean matches(TopicName topic) {
        return matches(value, topic.value());
    }

    /** {@link #matches(TopicName)} over raw strings already known to be valid. */
    static boolean matches(String filter, String topic) {
        char first = filter.charAt(0);
        if ((first == '+' || first == '#') && topic.charAt(0) == '$') {
            return false; // [MQTT-4.7.2-1]
        }
        int filterLength = filter.length();
        int topicLength = topic.length();
        int f = 0; // start of the current filter level
        int t = 0; // start of the current topic level
        while (true) {
            int fEnd = levelEnd(filter, f);
            if (fEnd - f == 1 && filter.charAt(f) == '#') {
                return true; // '#' is always the last level and swallows the rest
            }
            int tEnd = levelEnd(topic, t);
            boolean plus = fEnd - f == 1 && filter.charAt(f) == '+';
            if (!plus && !(fEnd - f == tEnd - t && filter.regionMatches(f, topic, t, fEnd - f))) {
                return false;
            }
            boolean filterDone = fEnd == filterLength;
            boolean topicDone = tEnd == topicLength;
            if (topicDone) {
                // Out of topic levels: only a trailing "/#" still matches (the parent rule).
                return filterDone || (fEnd + 2 == filterLength && filter.charAt(fEnd + 1) == '#');
            }
            if (filterDone) {
                return false;
            }
            f = fEnd + 1;
            t = tEnd + 1;
        }
    }

    private static int levelEnd(String text, int start) {
        int slash = text.indexOf('/', start);
        return slash < 0 ? text.length() : slash;
    }

    @Override
    public String toString() {
        return value;
    }
}
