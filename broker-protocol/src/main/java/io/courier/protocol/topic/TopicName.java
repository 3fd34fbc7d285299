package io.courier.protocol.topic;

/**
 * The topic a PUBLISH is sent to (MQTT 5.0 section 4.7). Valid by construction: at least one
 * character [MQTT-4.7.3-1], no wildcard [MQTT-4.7.1-1] [MQTT-3.3.2-2], no U+0000
 * [MQTT-4.7.3-2], at most 65,535 UTF-8 bytes [MQTT-4.7.3-3].
 *
 * <p>Nothing is normalised: names are case sensitive, may contain spaces, and empty levels
 * ({@code a//b}, {@code /a}) are levels like any other [MQTT-4.7.3-4].
 *
 * @param value the name exactly as it appears on the wire
 * @throws InvalidTopicException if a rule above is broken
 */
public record TopicName(String value) {

    public TopicName {
        TopicSyntax.checkText("topic name", value);
        int plus = value.indexOf('+');
        int hash = value.indexOf('#');
        if (plus >= 0 || hash >= 0) {
            int at = plus < 0 ? hash : hash < 0 ? plus : Math.min(plus, hash);
            throw new InvalidTopicException("topic name " + TopicSyntax.quote(value)
                    + " contains the wildcard '" + value.charAt(at) + "' at index " + at
                    + " [MQTT-4.7.1-1] [MQTT-3.3.2-2]");
        }
    }

    /**
     * True for names starting with {@code $} ({@code $SYS/...}): the server's own topics, which
     * filters starting with a wildcard do not see [MQTT-4.7.2-1].
     */
    public boolean isSystem() {
        return value.charAt(0) == '$';
    }

    /** Number of levels; {@code a/b} has two, {@code /} has two empty ones. */
    public int levelCount() {
        return TopicSyntax.levelCount(value);
    }

    @Override
    public String toString() {
        return value;
    }
}
