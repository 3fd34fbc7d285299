package io.courier.app.cluster;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import io.courier.persistence.HostPorts;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How this node becomes part of a cluster, read once from {@code courier.cluster} and
 * {@code courier.management} (docs/configuration.md). With {@code courier.cluster.enabled = off}
 * (the default) the node joins itself, as a single broker always has; with it on, Cluster
 * Bootstrap finds the other nodes through the chosen discovery method and the lowest-addressed
 * node forms the cluster, the others join it.
 *
 * @param enabled               whether this node forms or joins a cluster with other nodes
 * @param managementEnabled     whether Pekko Management HTTP runs (/cluster/members, /ready, /alive)
 * @param managementHost        the address management binds and announces to the other nodes
 * @param managementPort        its port (0: any free one; a cluster needs fixed ones, see contactPoints)
 * @param discoveryMethod       config, pekko-dns or kubernetes-api
 * @param serviceName           the service the discovery method looks up
 * @param contactPoints         for the config method: every node's management address, host:port
 * @param requiredContactPoints how many nodes must be found before a new cluster is formed
 * @param stableMargin          how long the set of found nodes must stay the same before forming
 */
public record ClusterSettings(
        boolean enabled,
        boolean managementEnabled,
        String managementHost,
        int managementPort,
        String discoveryMethod,
        String serviceName,
        List<String> contactPoints,
        int requiredContactPoints,
        Duration stableMargin) {

    private static final List<String> METHODS = List.of("config", "pekko-dns", "kubernetes-api");

    /** Reads and checks the settings; a bad value is a {@link ConfigException} that names its key. */
    public static ClusterSettings fromConfig(Config config) {
        Config cluster = config.getConfig("courier.cluster");
        Config discovery = cluster.getConfig("discovery");
        String method = discovery.getString("method");
        if (!METHODS.contains(method)) {
            throw new ConfigException.BadValue("courier.cluster.discovery.method",
                    "'" + method + "' is not one of " + METHODS);
        }
        List<String> contactPoints = HostPorts.parse(discovery.getString("contact-points"),
                "courier.cluster.discovery.contact-points");
        int required = discovery.getInt("required-contact-points");
        if (required < 1) {
            throw new ConfigException.BadValue("courier.cluster.discovery.required-contact-points", "must be at least 1");
        }
        int managementPort = config.getInt("courier.management.port");
        if (managementPort < 0 || managementPort > 65535) {
            throw new ConfigException.BadValue("courier.management.port", managementPort + " is not a port");
        }
        boolean enabled = cluster.getBoolean("enabled");
        if (enabled && method.equals("config") && contactPoints.isEmpty()) {
            throw new ConfigException.BadValue("courier.cluster.discovery.contact-points",
                    "the config discovery method needs every node's management address (host:port, comma-separated)");
        }
        return new ClusterSettings(enabled, enabled || config.getBoolean("courier.management.enabled"),
                config.getString("courier.management.host"), managementPort, method,
                discovery.getString("service-name"), contactPoints, required, discovery.getDuration("stable-margin"));
    }

    /**
     * The Pekko keys these settings decide, to lay over the loaded configuration before the actor
     * system starts: management's address, and in a cluster the bootstrap's discovery.
     */
    public Config pekkoOverlay() {
        Map<String, Object> keys = new HashMap<>();
        keys.put("pekko.management.http.hostname", managementHost);
        keys.put("pekko.management.http.port", managementPort);
        if (enabled) {
            String bootstrap = "pekko.management.cluster.bootstrap.";
            keys.put(bootstrap + "contact-point-discovery.service-name", serviceName);
            keys.put(bootstrap + "contact-point-discovery.discovery-method", discoveryMethod);
            keys.put(bootstrap + "contact-point-discovery.required-contact-point-nr", requiredContactPoints);
            keys.put(bootstrap + "contact-point-discovery.stable-margin", stableMargin.toMillis() + "ms");
            // Nodes of one machine have different management ports; by default bootstrap only
            // probes contact points on its own port.
            keys.put(bootstrap + "contact-point.filter-on-fallback-port", false);
            if (discoveryMethod.equals("config")) {
                List<Map<String, Object>> endpoints = new ArrayList<>();
                for (String point : contactPoints) {
                    endpoints.add(Map.of("host", HostPorts.host(point), "port", HostPorts.port(point)));
                }
                keys.put("pekko.discovery.config.services." + serviceName + ".endpoints",
                        ConfigValueFactory.fromIterable(endpoints));
            }
        }
        return ConfigFactory.parseMap(keys, "courier.cluster and courier.management");
    }
}
