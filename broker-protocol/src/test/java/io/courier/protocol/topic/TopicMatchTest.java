package io.courier.protocol.topic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The examples of MQTT 5.0 section 4.7, each as filter, name, expected. */
class TopicMatchTest {

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "sport/tennis/player1/#   | sport/tennis/player1                   | true",
        "sport/tennis/player1/#   | sport/tennis/player1/ranking           | true",
        "sport/tennis/player1/#   | sport/tennis/player1/score/wimbledon   | true",
        "sport/tennis/player1/#   | sport/tennis/player2                   | false",
        "sport/tennis/player1/#   | sport/tennis                           | false",
        "sport/#                  | sport                                  | true",
        "#                        | sport/tennis/player1                   | true",
        "#                        | /                                      | true",
        "sport/tennis/#           | sport/tennis/player1/ranking           | true",
    })
    @DisplayName("[MQTT-4.7.1-2] 4.7.1.2 multi-level wildcard, parent level included")
    void multiLevel(String filter, String topic, boolean expected) {
        assertMatch(filter, topic, expected);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "sport/tennis/+           | sport/tennis/player1                   | true",
        "sport/tennis/+           | sport/tennis/player2                   | true",
        "sport/tennis/+           | sport/tennis/player1/ranking           | false",
        "sport/+                  | sport                                  | false",
        "sport/+                  | sport/                                 | true",
        "+/+                      | /finance                               | true",
        "/+                       | /finance                               | true",
        "+                        | /finance                               | false",
        "+/tennis/#               | sport/tennis/player1                   | true",
        "sport/+/player1          | sport/tennis/player1                   | true",
        "+                        | sport                                  | true",
        "+/#                      | sport                                  | true",
        "+/+/+                    | a//c                                   | true",
        "a/+/c                    | a//c                                   | true",
    })
    @DisplayName("[MQTT-4.7.1-3] 4.7.1.3 single-level wildcard, empty levels included")
    void singleLevel(String filter, String topic, boolean expected) {
        assertMatch(filter, topic, expected);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "#                        | $SYS/monitor/Clients                   | false",
        "+/monitor/Clients        | $SYS/monitor/Clients                   | false",
        "$SYS/#                   | $SYS/monitor/Clients                   | true",
        "$SYS/monitor/+           | $SYS/monitor/Clients                   | true",
        "+                        | $SYS                                   | false",
        "+/#                      | $SYS                                   | false",
        "$SYS                     | $SYS                                   | true",
        "a/+                      | a/$b                                   | true",
        "a/#                      | a/$b/c                                 | true",
        "#                        | /$SYS                                  | true",
    })
    @DisplayName("[MQTT-4.7.2-1] wildcard-first filters do not match $ topics")
    void dollarTopics(String filter, String topic, boolean expected) {
        assertMatch(filter, topic, expected);
    }

    @ParameterizedTest(name = "{0} vs {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "ACCOUNTS                 | Accounts                               | false",
        "Accounts payable         | Accounts payable                       | true",
        "/finance                 | finance                                | false",
        "finance                  | /finance                               | false",
        "a/b                      | a/b/                                   | false",
        "a/b/                     | a/b                                    | false",
        "a/b                      | a/bc                                   | false",
        "a/bc                     | a/b                                    | false",
        "a//b                     | a//b                                   | true",
        "a//b                     | a/b                                    | false",
    })
    @DisplayName("[MQTT-4.7.3-4] 4.7.3 case, spaces and leading '/' are significant, no normalisation")
    void noNormalisation(String filter, String topic, boolean expected) {
        assertMatch(filter, topic, expected);
    }

    private static void assertMatch(String filter, String topic, boolean expected) {
        assertEquals(expected, new TopicFilter(filter).matches(new TopicName(topic)),
                () -> filter + " vs " + topic);
    }
}
