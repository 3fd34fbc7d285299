package io.courier.app.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** courier.cluster.* and courier.management.* as read at start-up, and what they set in Pekko. */
class ClusterSettingsTest {

    private static Config config(Map<String, Object> keys) {
        return ConfigFactory.load(ConfigFactory.parseMap(keys));
    }

    @Test
    void byDefaultANodeIsAloneAndRunsNoManagement() {
        ClusterSettings settings = ClusterSettings.fromConfig(config(Map.of()));
        assertFalse(settings.enabled());
        assertFalse(settings.managementEnabled());
        assertFalse(settings.pekkoOverlay().hasPath("pekko.management.cluster.bootstrap.contact-point-discovery.service-name"));
    }

    @Test
    void aConfigDiscoveryClusterListsEveryContactPointAsADiscoveryEndpoint() {
        ClusterSettings settings = ClusterSettings.fromConfig(config(Map.of(
                "courier.cluster.enabled", true,
                "courier.cluster.discovery.contact-points", "127.0.0.1:8558, 127.0.0.1:8559,127.0.0.1:8560",
                "courier.cluster.discovery.required-contact-points", 3)));
        assertTrue(settings.managementEnabled(), "a cluster always runs management");
        Config overlay = settings.pekkoOverlay();
        List<? extends Config> endpoints = overlay.getConfigList("pekko.discovery.config.services.courier.endpoints");
        assertEquals(List.of(8558, 8559, 8560), endpoints.stream().map(e -> e.getInt("port")).toList());
        assertEquals("config", overlay.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method"));
        assertEquals(3, overlay.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
        assertFalse(overlay.getBoolean("pekko.management.cluster.bootstrap.contact-point.filter-on-fallback-port"));
    }

    @Test
    void badValuesAreRefusedNamingTheirKey() {
        assertKeyNamed("courier.cluster.discovery.method",
                Map.of("courier.cluster.discovery.method", "zookeeper"));
        assertKeyNamed("courier.cluster.discovery.contact-points",
                Map.of("courier.cluster.enabled", true));
        assertKeyNamed("courier.cluster.discovery.contact-points",
                Map.of("courier.cluster.discovery.contact-points", "127.0.0.1"));
        assertKeyNamed("courier.cluster.discovery.required-contact-points",
                Map.of("courier.cluster.discovery.required-contact-points", 0));
        assertKeyNamed("courier.management.port", Map.of("courier.management.port", 70000));
    }

    private static void assertKeyNamed(String key, Map<String, Object> keys) {
        ConfigException e = assertThrows(ConfigException.class, () -> ClusterSettings.fromConfig(config(keys)));
        assertTrue(e.getMessage().contains(key), e.getMessage());
    }
}
