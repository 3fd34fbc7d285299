package io.courier.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicNameTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "sport/tennis/player1", "/", "//", "/finance", "a//b", "a/", "$SYS/broker",
        "Accounts payable", "ünïcödé/日本/\uD83D\uDE00", "$queue/orders"})
    @DisplayName("valid names are kept exactly as given [MQTT-4.7.3-4]")
    void acceptsValidNames(String text) {
        assertEquals(text, new TopicName(text).value());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a topic name must be at least one character long")
    void rejectsEmpty() {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicName(""));
        assertTrue(e.getMessage().contains("MQTT-4.7.3-1"), e.getMessage());
    }

    @Test
    @DisplayName("null is rejected with InvalidTopicException, not a NullPointerException")
    void rejectsNull() {
        assertThrows(InvalidTopicException.class, () -> new TopicName(null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"+", "#", "a/+", "a/#", "a+b", "sport/tennis#", "+/x"})
    @DisplayName("[MQTT-4.7.1-1] [MQTT-3.3.2-2] a topic name must not contain wildcards")
    void rejectsWildcards(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicName(text));
        assertTrue(e.getMessage().contains("MQTT-4.7.1-1"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-2] a topic name must not contain U+0000")
    void rejectsNullCharacter() {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicName("a\u0000b"));
        assertTrue(e.getMessage().contains("MQTT-4.7.3-2"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-1.5.4-1] a lone surrogate has no UTF-8 encoding and is rejected")
    void rejectsLoneSurrogate() {
        assertThrows(InvalidTopicException.class, () -> new TopicName("a\uD800b"));
        assertThrows(InvalidTopicException.class, () -> new TopicName("a\uDC00"));
        assertThrows(InvalidTopicException.class, () -> new TopicName("\uD800"));
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a topic name of exactly 65,535 UTF-8 bytes is accepted")
    void acceptsMaximumLength() {
        assertEquals(65_535, new TopicName("a".repeat(65_535)).value().length());
        // 21,845 three-byte chars = 65,535 bytes, though only 21,845 Java chars
        assertEquals(21_845, new TopicName("€".repeat(21_845)).value().length());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a topic name longer than 65,535 UTF-8 bytes is rejected")
    void rejectsOverlong() {
        InvalidTopicException ascii =
                assertThrows(InvalidTopicException.class, () -> new TopicName("a".repeat(65_536)));
        assertTrue(ascii.getMessage().contains("MQTT-4.7.3-3"), ascii.getMessage());
        assertTrue(ascii.getMessage().length() < 300, "the message quotes a shortened topic");
        // 21,846 three-byte chars = 65,538 bytes: the char count alone would let this through
        assertThrows(InvalidTopicException.class, () -> new TopicName("€".repeat(21_846)));
        // 16,384 four-byte chars (surrogate pairs) = 65,536 bytes
        assertThrows(InvalidTopicException.class, () -> new TopicName("\uD83D\uDE00".repeat(16_384)));
    }

    @Test
    @DisplayName("[MQTT-4.7.2-1] names starting with $ are system topics")
    void system() {
        assertTrue(new TopicName("$SYS/broker/uptime").isSystem());
        assertTrue(new TopicName("$").isSystem());
        assertFalse(new TopicName("SYS/$x").isSystem());
        assertFalse(new TopicName("/$SYS").isSystem());
    }

    @Test
    @DisplayName("level count counts empty levels")
    void levelCount() {
        assertEquals(1, new TopicName("a").levelCount());
        assertEquals(3, new TopicName("sport/tennis/player1").levelCount());
        assertEquals(2, new TopicName("/").levelCount());
        assertEquals(2, new TopicName("/finance").levelCount());
        assertEquals(3, new TopicName("a//b").levelCount());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-4] names are case sensitive and compared without normalisation")
    void caseSensitive() {
        assertFalse(new TopicName("ACCOUNTS").equals(new TopicName("Accounts")));
        assertFalse(new TopicName("/finance").equals(new TopicName("finance")));
        assertEquals(new TopicName("a/b"), new TopicName("a/b"));
    }
}
