package io.courier.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TopicFilterTest {

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis/player1/#", "sport/#", "#", "+", "+/tennis/#", "sport/+/player1",
        "+/+", "/+", "a//b", "/a", "a/", "/", "//", "$SYS/#", "$share", "a/+/+/#", "Accounts payable/+"})
    @DisplayName("valid filters from section 4.7 are accepted unchanged")
    void acceptsValidFilters(String text) {
        assertEquals(text, new TopicFilter(text).value());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-1] a topic filter must be at least one character long")
    void rejectsEmpty() {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicFilter(""));
        assertTrue(e.getMessage().contains("MQTT-4.7.3-1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport/tennis#", "sport/tennis/#/ranking", "#/", "##", "a/#b", "a/b#", "#/a", "a/##"})
    @DisplayName("[MQTT-4.7.1-2] (3.1.1) [MQTT-4.7.1-1] (5.0) # must be a whole level and the last one")
    void rejectsMisplacedHash(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicFilter(text));
        assertTrue(e.getMessage().contains("MQTT-4.7.1-2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"sport+", "sport/+tennis", "a+/b", "++", "+a", "a/b+", "+/a+/b"})
    @DisplayName("[MQTT-4.7.1-3] (3.1.1) [MQTT-4.7.1-2] (5.0) + must occupy a whole level")
    void rejectsMisplacedPlus(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicFilter(text));
        assertTrue(e.getMessage().contains("MQTT-4.7.1-3"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-2] a topic filter must not contain U+0000")
    void rejectsNullCharacter() {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> new TopicFilter("a/\u0000/#"));
        assertTrue(e.getMessage().contains("MQTT-4.7.3-2"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] a topic filter must not encode to more than 65,535 bytes")
    void rejectsOverlong() {
        assertEquals(65_535, new TopicFilter("a".repeat(65_533) + "/#").value().length());
        InvalidTopicException e = assertThrows(InvalidTopicException.class,
                () -> new TopicFilter("é".repeat(32_767) + "/#")); // 65,534 + 2 bytes
        assertTrue(e.getMessage().contains("MQTT-4.7.3-3"), e.getMessage());
    }

    @Test
    @DisplayName("hasWildcards sees + and # but nothing else")
    void hasWildcards() {
        assertTrue(new TopicFilter("a/+/b").hasWildcards());
        assertTrue(new TopicFilter("#").hasWildcards());
        assertTrue(new TopicFilter("a/#").hasWildcards());
        assertFalse(new TopicFilter("a/b/c").hasWildcards());
        assertFalse(new TopicFilter("$SYS/x").hasWildcards());
    }

    @Test
    @DisplayName("level count includes wildcard and empty levels")
    void levelCount() {
        assertEquals(2, new TopicFilter("sport/#").levelCount());
        assertEquals(1, new TopicFilter("#").levelCount());
        assertEquals(3, new TopicFilter("/+/").levelCount());
    }

    @Test
    @DisplayName("a plain filter is its own subscription filter")
    void isItsOwnFilter() {
        TopicFilter filter = new TopicFilter("a/+");
        assertEquals(filter, filter.filter());
    }
}
