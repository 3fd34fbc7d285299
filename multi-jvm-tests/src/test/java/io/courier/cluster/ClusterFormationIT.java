package io.courier.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three broker processes form one cluster through Cluster Bootstrap; a cluster on LevelDB is refused. */
class ClusterFormationIT {

    private static final Pattern LEADER = Pattern.compile("\"leader\":\"([^\"]+)\"");

    @RegisterExtension
    final ClusterHarness cluster = new ClusterHarness();

    @Test
    void threeNodesFormOneClusterAndEveryNodeReportsItThroughManagement() throws Exception {
        List<BrokerProcess> nodes = cluster.start(3);

        String leader = null;
        for (BrokerProcess node : nodes) {
            assertEquals(List.of("Up", "Up", "Up"), ClusterHarness.memberStatuses(node), node.name() + " /cluster/members");
            assertEquals(200, node.management("/alive").status(), node.name() + " /alive");
            assertEquals(200, node.management("/ready").status(), node.name() + " /ready");
            Matcher m = LEADER.matcher(node.management("/cluster/members").body());
            assertTrue(m.find(), "no leader in " + node.name() + "'s /cluster/members");
            if (leader == null) {
                leader = m.group(1);
            }
            assertEquals(leader, m.group(1), node.name() + " sees another leader: two clusters formed");
        }
    }

    @Test
    void aClusterNodeConfiguredWithLevelDbRefusesToStartAndNamesTheKey() throws Exception {
        int management = Ports.free();
        try (BrokerProcess node = BrokerProcess.start("leveldb-node", Ports.free(), management, Map.of(
                "courier.mqtt.tcp.port", Integer.toString(Ports.free()),
                "courier.cluster.port", Integer.toString(Ports.free()),
                "courier.management.port", Integer.toString(management),
                "courier.cluster.enabled", "on",
                "courier.cluster.discovery.contact-points", "127.0.0.1:" + management,
                "courier.persistence.journal", "leveldb"), cluster.logDir())) {
            assertTrue(node.awaitExit(Duration.ofSeconds(90)), "a cluster node on LevelDB kept running");
            assertTrue(node.awaitLine("courier.persistence.journal", Duration.ofSeconds(5)),
                    "the refusal does not name courier.persistence.journal:\n" + node.tail(20));
            assertTrue(node.awaitLine("Courier did not start", Duration.ofSeconds(1)), node.tail(20));
        }
    }
}
