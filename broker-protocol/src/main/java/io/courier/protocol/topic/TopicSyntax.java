package io.courier.protocol.topic;

/**
 * The rules that topic names, topic filters and share names have in common (MQTT 5.0 section
 * 4.7.3 and 1.5.4), kept in one place so the three value types cannot drift apart.
 */
final class TopicSyntax {

    /** [MQTT-4.7.3-3] a topic is a UTF-8 Encoded String, whose length prefix is two bytes. */
    static final int MAX_UTF8_BYTES = 65_535;

    /** Longest piece of offending input quoted back in an exception message. */
    private static final int QUOTE_LIMIT = 64;

    private TopicSyntax() {
    }

    /**
     * Checks that {@code text} is at least one character long, contains no U+0000 and no lone
     * surrogate, and encodes to at most 65,535 UTF-8 bytes. Counts the bytes by walking the
     * chars, so nothing is encoded or allocated.
     *
     * @param kind what the text is ("topic name", "topic filter"), for the message
     */
    static void checkText(String kind, String text) {
        if (text == null) {
            throw new InvalidTopicException(kind + " must not be null");
        }
        if (text.isEmpty()) {
            throw new InvalidTopicException(
                    kind + " must be at least one character long [MQTT-4.7.3-1]");
        }
        if (utf8Length(kind, text) > MAX_UTF8_BYTES) {
            throw new InvalidTopicException(kind + " " + quote(text) + " encodes to more than "
                    + MAX_UTF8_BYTES + " UTF-8 bytes [MQTT-4.7.3-3]");
        }
    }

    /**
     * The UTF-8 encoded length of {@code text}. Throws on U+0000 and on a surrogate that is not
     * part of a pair: neither may appear in an MQTT UTF-8 Encoded String.
     */
    static int utf8Length(String kind, String text) {
        int bytes = 0;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (c == 0) {
                throw new InvalidTopicException(kind + " " + quote(text)
                        + " contains the null character U+0000 at index " + i + " [MQTT-4.7.3-2]");
            }
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < length
                    && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                // A lone surrogate has no UTF-8 encoding at all [MQTT-1.5.4-1].
                throw new InvalidTopicException(kind + " " + quote(text)
                        + " contains an unpaired surrogate at index " + i + " [MQTT-1.5.4-1]");
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The text in quotes, cut short: a 64 KiB topic does not belong in a log line. */
    static String quote(String text) {
        if (text.length() <= QUOTE_LIMIT) {
            return '"' + text + '"';
        }
        return '"' + text.substring(0, QUOTE_LIMIT) + "...\" (" + text.length() + " chars)";
    }

    /** Number of levels: one more than the number of separators ("/" alone has two). */
    static int levelCount(String text) {
        int count = 1;
        for (int i = text.indexOf('/'); i >= 0; i = text.indexOf('/', i + 1)) {
            count++;
        }
        return count;
    }
}
