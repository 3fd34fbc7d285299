package io.courier.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster journal: pekko-persistence-cassandra's journal, snapshot store and read journal,
 * configured from {@code courier.persistence.cassandra} (docs/configuration.md). Every node of a
 * cluster writes to the same keyspaces, so a session entity that moves to another node (its node
 * left or died) replays there what it wrote here. Keyspaces and tables are created at start-up
 * ({@link CassandraSchema}).
 */
final class CassandraJournal {

    static final String JOURNAL_PLUGIN = "pekko.persistence.cassandra.journal";
    static final String SNAPSHOT_PLUGIN = "pekko.persistence.cassandra.snapshot";
    static final String QUERY_PLUGIN = "pekko.persistence.cassandra.query";

    private CassandraJournal() {
    }

    /** The keys that select and configure the Cassandra plugins, to lay over {@code config}. */
    static Config overlay(Config config) {
        Config cassandra = config.getConfig("courier.persistence.cassandra");
        Map<String, Object> keys = new HashMap<>();
        keys.put("pekko.persistence.journal.plugin", JOURNAL_PLUGIN);
        keys.put("pekko.persistence.snapshot-store.plugin", SNAPSHOT_PLUGIN);
        keys.put("courier.persistence.query-plugin", QUERY_PLUGIN);
        int replication = cassandra.getInt("replication-factor");
        if (replication < 1) {
            throw new ConfigException.BadValue("courier.persistence.cassandra.replication-factor", "must be at least 1");
        }
        for (String plugin : List.of("journal", "snapshot")) {
            String prefix = "pekko.persistence.cassandra." + plugin + ".";
            // Created by CassandraSchema before the actors start, not lazily by the plugin.
            keys.put(prefix + "keyspace-autocreate", false);
            keys.put(prefix + "tables-autocreate", false);
            keys.put(prefix + "replication-factor", replication);
        }
        keys.put("pekko.persistence.cassandra.journal.keyspace", cassandra.getString("keyspace"));
        keys.put("pekko.persistence.cassandra.snapshot.keyspace", cassandra.getString("keyspace") + "_snapshot");
        // Courier does not tag events; the tag_views table would only cost writes.
        keys.put("pekko.persistence.cassandra.events-by-tag.enabled", false);
        keys.put("datastax-java-driver.basic.contact-points", ConfigValueFactory.fromIterable(contactPoints(cassandra)));
        keys.put("datastax-java-driver.basic.load-balancing-policy.local-datacenter", cassandra.getString("local-datacenter"));
        // Keep trying while Cassandra is still starting, instead of failing the first session.
        keys.put("datastax-java-driver.advanced.reconnect-on-init", true);
        return ConfigFactory.parseMap(keys, "courier.persistence.cassandra");
    }

    private static List<String> contactPoints(Config cassandra) {
        String key = "courier.persistence.cassandra.contact-points";
        List<String> points = HostPorts.parse(cassandra.getString("contact-points"), key);
        if (points.isEmpty()) {
            throw new ConfigException.BadValue(key, "is empty");
        }
        return points;
    }
}
