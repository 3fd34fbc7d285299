package io.courier.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SharedFilterTest {

    @Test
    @DisplayName("$share/{ShareName}/{filter} splits into share name and filter")
    void parses() {
        SharedFilter shared = SharedFilter.parse("$share/consumer1/sport/tennis/+");
        assertEquals("consumer1", shared.shareName());
        assertEquals(new TopicFilter("sport/tennis/+"), shared.filter());
        assertEquals("$share/consumer1/sport/tennis/+", shared.value());
    }

    @Test
    @DisplayName("the filter part may itself start with '/' or be a lone wildcard")
    void filterPartIsAnyFilter() {
        assertEquals(new TopicFilter("/finance"), SharedFilter.parse("$share/g//finance").filter());
        assertEquals(new TopicFilter("#"), SharedFilter.parse("$share/g/#").filter());
        assertEquals(new TopicFilter("$SYS/+"), SharedFilter.parse("$share/g/$SYS/+").filter());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share//a/b", "$share/", "$share"})
    @DisplayName("[MQTT-4.8.2-1] the ShareName must be at least one character long")
    void rejectsEmptyShareName(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> SubscriptionFilter.parse(text));
        assertTrue(e.getMessage().contains("MQTT-4.8.2-1"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/gr+oup/a", "$share/+/a", "$share/#/a", "$share/g#/a"})
    @DisplayName("[MQTT-4.8.2-2] the ShareName must not contain + or #")
    void rejectsWildcardInShareName(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> SharedFilter.parse(text));
        assertTrue(e.getMessage().contains("MQTT-4.8.2-2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/group", "$share/group/"})
    @DisplayName("[MQTT-4.8.2-2] the ShareName must be followed by '/' and a topic filter")
    void rejectsMissingFilter(String text) {
        InvalidTopicException e = assertThrows(InvalidTopicException.class, () -> SharedFilter.parse(text));
        assertTrue(e.getMessage().contains("MQTT-4.8.2-2"), e.getMessage());
    }

    @Test
    @DisplayName("[MQTT-4.8.2-2] a share name built directly must not contain '/'")
    void rejectsSlashInConstructedShareName() {
        InvalidTopicException e = assertThrows(InvalidTopicException.class,
                () -> new SharedFilter("a/b", new TopicFilter("x")));
        assertTrue(e.getMessage().contains("MQTT-4.8.2-2"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"$share/g/a/#/b", "$share/g/a+", "$share/g/a\u0000"})
    @DisplayName("[MQTT-4.7.1-2] [MQTT-4.7.1-3] [MQTT-4.7.3-2] the filter part must be a valid topic filter")
    void rejectsInvalidFilterPart(String text) {
        assertThrows(InvalidTopicException.class, () -> SharedFilter.parse(text));
    }

    @Test
    @DisplayName("[MQTT-4.7.3-3] the whole shared filter must fit in 65,535 UTF-8 bytes")
    void rejectsOverlong() {
        String filter = "a".repeat(65_535 - "$share/g/".length());
        assertEquals("g", SharedFilter.parse("$share/g/" + filter).shareName());
        InvalidTopicException e = assertThrows(InvalidTopicException.class,
                () -> SharedFilter.parse("$share/gg/" + filter));
        assertTrue(e.getMessage().contains("MQTT-4.7.3-3"), e.getMessage());
    }

    @Test
    @DisplayName("parse returns a SharedFilter for $share/ and a TopicFilter for anything else")
    void parseSubscriptionDistinguishesKinds() {
        assertInstanceOf(SharedFilter.class, SubscriptionFilter.parse("$share/g/a"));
        assertEquals(new TopicFilter("$sharex/a"), SubscriptionFilter.parse("$sharex/a"));
        assertEquals(new TopicFilter("a/$share/b"), SubscriptionFilter.parse("a/$share/b"));
        assertEquals(new TopicFilter("$queue/orders/#"), SubscriptionFilter.parse("$queue/orders/#"));
        SubscriptionFilter parsed = SubscriptionFilter.parse("$share/g/sport/+");
        assertEquals(new TopicFilter("sport/+"), parsed.filter());
        assertEquals("$share/g/sport/+", parsed.value());
    }

    @Test
    @DisplayName("a v3 client may subscribe to $share/... as a plain filter")
    void plainConstructorKeepsSharePrefix() {
        assertEquals("$share/g/a", new TopicFilter("$share/g/a").value());
    }
}
