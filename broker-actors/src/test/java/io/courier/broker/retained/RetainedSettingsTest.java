package io.courier.broker.retained;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerSettings;
import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** How the retained store is cut up: shares of the bounds, the owner of a topic, bad values. */
class RetainedSettingsTest {

    private static RetainedSettings load(String overrides) {
        Config config = ConfigFactory.parseString(overrides).withFallback(ConfigFactory.load());
        return RetainedSettings.fromConfig(BrokerSettings.fromConfig(config), config);
    }

    @Test
    @DisplayName("the defaults: 16 partitions, a 5 s sync, the bounds of courier.retained")
    void defaults() {
        RetainedSettings s = load("");
        assertEquals(16, s.partitions());
        assertEquals(Duration.ofSeconds(5), s.replicaSyncInterval());
        assertEquals(100_000, s.maxMessages());
        assertEquals(6_250, s.messageShare(0));
    }

    @Test
    @DisplayName("the shares add up to exactly the global bounds, the remainder one each to the first partitions")
    void sharesAddUp() {
        RetainedSettings s = new RetainedSettings(100_003, 1_000_000_007L, 16, Duration.ofSeconds(5), 1000);
        assertEquals(100_003, IntStream.range(0, 16).map(s::messageShare).sum());
        assertEquals(1_000_000_007L, IntStream.range(0, 16).mapToLong(s::byteShare).sum());
        assertEquals(6_251, s.messageShare(2));
        assertEquals(6_250, s.messageShare(3));
        RetainedSettings one = new RetainedSettings(3, 100, 1, Duration.ofSeconds(5), 1000);
        assertEquals(3, one.messageShare(0));
        assertEquals(100, one.byteShare(0));
    }

    @Test
    @DisplayName("a topic's partition is the same everywhere (String.hashCode is fixed by the language) and in range")
    void partitionOf() {
        RetainedSettings s = load("");
        assertEquals(Math.floorMod("sensors/1/temp".hashCode(), 16), s.partitionOf("sensors/1/temp"));
        for (int i = 0; i < 1000; i++) {
            int p = s.partitionOf("t/" + i * 7919);
            assertTrue(p >= 0 && p < 16);
        }
        assertEquals(0, load("courier.retained.partitions = 1").partitionOf("anything"));
    }

    @Test
    @DisplayName("a partition count out of 1..1024 or a non-positive interval stops the start, naming the key")
    void badValues() {
        ConfigException zero = assertThrows(ConfigException.class, () -> load("courier.retained.partitions = 0"));
        assertTrue(zero.getMessage().contains("courier.retained.partitions"), zero.getMessage());
        assertThrows(ConfigException.class, () -> load("courier.retained.partitions = 1025"));
        ConfigException interval = assertThrows(ConfigException.class,
                () -> load("courier.retained.replica-sync-interval = 0s"));
        assertTrue(interval.getMessage().contains("courier.retained.replica-sync-interval"), interval.getMessage());
    }
}
