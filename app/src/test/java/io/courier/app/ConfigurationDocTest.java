package io.courier.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Keeps docs/configuration.md and conf/ honest: every courier.* key that the modules on this
 * class path define is documented, and the example configurations load.
 */
class ConfigurationDocTest {

    // Surefire runs in the module directory.
    private static final Path ROOT = Path.of("..");

    @Test
    void everyCourierKeyIsDocumented() throws IOException {
        String doc = Files.readString(ROOT.resolve("docs/configuration.md"));
        List<String> missing = ConfigFactory.load().getConfig("courier").entrySet().stream()
                .map(Map.Entry::getKey)
                .map(key -> "courier." + key)
                .filter(key -> !doc.contains("`" + key + "`"))
                .sorted()
                .toList();
        assertEquals(List.of(), missing, "keys missing from docs/configuration.md");
    }

    @Test
    void singleNodeExampleLoads() {
        Config config = ConfigFactory.load(ConfigFactory.parseFile(ROOT.resolve("conf/single-node.conf").toFile()));
        BrokerSettings settings = BrokerSettings.fromConfig(config);
        assertEquals(10_000, settings.maxQueuedMessages());
        assertTrue(config.getString("pekko.persistence.journal.leveldb.dir").endsWith("/journal"));
        assertEquals("cluster", config.getString("pekko.actor.provider"));
    }
}
