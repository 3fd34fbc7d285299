package io.courier.protocol.topic;

/**
 * An MQTT 5 shared subscription {@code $share/{ShareName}/{filter}} (section 4.8.2): messages
 * matching {@code filter} go to one member of the group named {@code shareName} instead of to
 * every subscriber.
 *
 * <p>Valid by construction: the share name is at least one character [MQTT-4.8.2-1] and
 * contains none of {@code /}, {@code +}, {@code #} [MQTT-4.8.2-2]; the filter after it is a
 * valid, non-empty {@link TopicFilter}; the whole string fits the 65,535-byte limit
 * [MQTT-4.7.3-3].
 *
 * @param shareName the group name
 * @param filter the filter the group's messages are matched against
 */
public record SharedFilter(String shareName, TopicFilter filter) implements SubscriptionFilter {

    /** The first level that marks a shared subscription. */
    public static final String PREFIX = "$share/";

    public SharedFilter {
        if (filter == null) {
            throw new InvalidTopicException("shared subscription needs a topic filter [MQTT-4.8.2-2]");
        }
        if (shareName == null || shareName.isEmpty()) {
            throw new InvalidTopicException(
                    "shared subscription needs a ShareName at least one character long [MQTT-4.8.2-1]");
        }
        for (int i = 0; i < shareName.length(); i++) {
            char c = shareName.charAt(i);
            if (c == '/' || c == '+' || c == '#') {
                throw new InvalidTopicException("ShareName " + TopicSyntax.quote(shareName)
                        + " must not contain '" + c + "' [MQTT-4.8.2-2]");
            }
        }
        int bytes = PREFIX.length() + TopicSyntax.utf8Length("ShareName", shareName) + 1
                + TopicSyntax.utf8Length("topic filter", filter.value());
        if (bytes > TopicSyntax.MAX_UTF8_BYTES) {
            throw new InvalidTopicException("shared subscription $share/" + shareName + "/... encodes to "
                    + bytes + " UTF-8 bytes, more than " + TopicSyntax.MAX_UTF8_BYTES + " [MQTT-4.7.3-3]");
        }
    }

    /**
     * Parses {@code $share/{ShareName}/{filter}}.
     *
     * @throws InvalidTopicException if the text does not start with {@code $share/}, the share
     *     name is empty or not followed by {@code /} and a non-empty topic filter
     */
    public static SharedFilter parse(String text) {
        if (text == null || !text.startsWith(PREFIX)) {
            throw new InvalidTopicException("shared subscription " + (text == null ? "null" : TopicSyntax.quote(text))
                    + " must start with " + PREFIX + " [MQTT-4.8.2-1]");
        }
        int slash = text.indexOf('/', PREFIX.length());
        String shareName = text.substring(PREFIX.length(), slash < 0 ? text.length() : slash);
        if (shareName.isEmpty()) {
            throw new InvalidTopicException("shared subscription " + TopicSyntax.quote(text)
                    + " needs a ShareName at least one character long [MQTT-4.8.2-1]");
        }
        if (slash < 0) {
            throw new InvalidTopicException("shared subscription " + TopicSyntax.quote(text)
                    + ": the ShareName must be followed by '/' and a topic filter [MQTT-4.8.2-2]");
        }
        String rest = text.substring(slash + 1);
        if (rest.isEmpty()) {
            throw new InvalidTopicException("shared subscription " + TopicSyntax.quote(text)
                    + ": the '/' after the ShareName must be followed by a topic filter [MQTT-4.8.2-2]");
        }
        return new SharedFilter(shareName, new TopicFilter(rest));
    }

    /** The subscription as sent on the wire, {@code $share/{ShareName}/{filter}}. */
    @Override
    public String value() {
        return PREFIX + shareName + '/' + filter.value();
    }

    @Override
    public String toString() {
        return value();
    }
}
