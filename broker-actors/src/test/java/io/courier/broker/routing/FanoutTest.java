package io.courier.broker.routing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.BrokerContext;
import io.courier.broker.BrokerSettings;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.index.SubscriptionTrie;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.topic.SharedFilter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Which member of a shared group gets each message, per strategy, and that members without a
 * connection are skipped while another member has one. Each member's session is a small actor
 * that reports its client id to one probe, so the order of choices can be read back.
 */
class FanoutTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final List<String> MEMBERS = List.of("a", "b", "c");

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    /** A node with one group {@code $share/g/t/#} of members a, b and c, all online. */
    private static final class Node {
        final TestProbe<String> chosen = TEST_KIT.createTestProbe(String.class);
        final Set<String> online = ConcurrentHashMap.newKeySet();
        final SubscriptionTrie<String, Route> trie = new SubscriptionTrie<>();
        final Fanout fanout;

        Node(String strategy) {
            BrokerSettings settings = BrokerSettings.fromConfig(ConfigFactory
                    .parseString("courier.mqtt.shared-subscription-strategy = " + strategy)
                    .withFallback(ConfigFactory.load()));
            Map<String, ActorRef<SessionCommand>> sessions = new HashMap<>();
            for (String id : MEMBERS) {
                sessions.put(id, TEST_KIT.spawn(Behaviors.<SessionCommand>receiveMessage(cmd -> {
                    if (cmd instanceof SessionCommand.Enqueue) {
                        chosen.ref().tell(id);
                    }
                    return Behaviors.same();
                })));
                trie.subscribe(SharedFilter.parse("$share/g/t/#"), id,
                        new Route(SubscriptionOptions.of(Qos.AT_MOST_ONCE), 0));
                online.add(id);
            }
            BrokerContext context = new BrokerContext(settings, trie, new RetainedIndex<>(), sessions::get,
                    TEST_KIT.createTestProbe(RetainedStore.Command.class).ref(), online, new LocalRoutes(),
                    new ClusterRoutes());
            fanout = new Fanout(context);
        }

        /** Routes {@code n} messages from {@code publisher}; the members chosen, in order. */
        List<String> publish(String publisher, int n) {
            List<String> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                Message m = new Message("t/x", ("m" + i).getBytes(StandardCharsets.UTF_8), Qos.AT_MOST_ONCE,
                        false, MqttProperties.EMPTY, publisher, Message.NEVER);
                assertEquals(1, fanout.route(m, null, 0).targets(), "exactly one member per message");
                out.add(chosen.receiveMessage());
            }
            chosen.expectNoMessage(java.time.Duration.ofMillis(50));
            return out;
        }
    }

    @Test
    @DisplayName("round robin takes the members in turn")
    void roundRobin() {
        List<String> got = new Node("round-robin").publish("p", 6);
        assertEquals(got.subList(0, 3), got.subList(3, 6));
        assertEquals(Set.copyOf(MEMBERS), new HashSet<>(got.subList(0, 3)));
    }

    @Test
    @DisplayName("hash keeps each publisher at one member")
    void hashIsStablePerPublisher() {
        Node node = new Node("hash");
        Set<String> used = new HashSet<>();
        for (int p = 0; p < 20; p++) {
            List<String> got = node.publish("publisher-" + p, 4);
            assertEquals(1, Set.copyOf(got).size(), "publisher-" + p + " moved: " + got);
            used.add(got.get(0));
        }
        assertTrue(used.size() > 1, "twenty publishers all hashed to " + used);
    }

    @Test
    @DisplayName("sticky stays with one member until it goes offline, then stays with the next")
    void stickyStaysUntilOffline() {
        Node node = new Node("sticky");
        List<String> got = node.publish("p", 5);
        assertEquals(1, Set.copyOf(got).size(), "sticky moved: " + got);
        String first = got.get(0);
        node.online.remove(first);
        List<String> after = node.publish("p", 5);
        assertEquals(1, Set.copyOf(after).size(), "sticky moved: " + after);
        assertNotEquals(first, after.get(0));
        node.online.add(first); // back online: the group stays where it is now
        assertEquals(after, node.publish("p", 5));
    }

    @Test
    @DisplayName("random picks only members and, over many draws, each of them")
    void randomCoversMembers() {
        List<String> got = new Node("random").publish("p", 200);
        assertEquals(Set.copyOf(MEMBERS), Set.copyOf(got));
    }

    @Test
    @DisplayName("offline members are skipped while any member is online, whatever the strategy")
    void offlineMembersAreSkipped() {
        for (String strategy : List.of("round-robin", "random", "sticky", "hash")) {
            Node node = new Node(strategy);
            node.online.remove("a");
            node.online.remove("c");
            assertEquals(List.of("b", "b", "b", "b", "b", "b"), node.publish("p", 6), strategy);
        }
    }

    @Test
    @DisplayName("with no member online the strategy picks among all, so the message is queued in a session")
    void noneOnlinePicksAmongAll() {
        Node node = new Node("round-robin");
        node.online.clear();
        List<String> got = node.publish("p", 6);
        assertEquals(Set.copyOf(MEMBERS), Set.copyOf(got));
        assertEquals(got.subList(0, 3), got.subList(3, 6));
    }

    @Test
    @DisplayName("an unknown strategy is refused at start-up")
    void unknownStrategy() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SharedSubscriptionStrategy.parse("least-loaded"));
        assertTrue(e.getMessage().contains("least-loaded"));
        assertEquals(SharedSubscriptionStrategy.ROUND_ROBIN, SharedSubscriptionStrategy.parse("Round-Robin"));
    }
}
