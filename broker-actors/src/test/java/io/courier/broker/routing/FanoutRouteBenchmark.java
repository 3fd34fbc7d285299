package io.courier.broker.routing;

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
import io.courier.protocol.topic.SubscriptionFilter;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What routing one message costs on the publishing node, and what the cluster route table adds.
 * 1,000 local sessions on {@code sensors/<n>/+} (n in 0..99), so a publish to
 * {@code sensors/7/temp} matches 10 of them; sessions are no-op recipients, so the figure is the
 * routing work (trie match, merging, one {@code Enqueue} built per session), not mailboxes.
 *
 * <ul>
 * <li>{@code single}: no other node has any route (a single node): the cluster costs one
 * volatile read.</li>
 * <li>{@code elsewhere}: two other nodes hold 1,000 routes each, none matching: the remote
 * trie is matched too, and nothing is forwarded.</li>
 * <li>{@code interested}: as {@code elsewhere}, and one of them also subscribes
 * {@code sensors/7/+}: one forward to its router (a local actor here, so no network).</li>
 * </ul>
 * Run: {@code bench/jmh.sh -m broker-actors FanoutRoute -prof gc}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FanoutRouteBenchmark {

    @Param({"single", "elsewhere", "interested"})
    public String cluster;

    private ActorSystem<NodeRouter.Command> system;
    private Fanout fanout;
    private Message message;

    @Setup(Level.Trial)
    public void setUp() {
        system = ActorSystem.create(Behaviors.ignore(), "bench");
        RecipientRef<SessionCommand> nowhere = new RecipientRef<>() {
            @Override
            public void tell(SessionCommand m) {
                // a session's mailbox is not what is measured
            }
        };
        BrokerContext context = new BrokerContext(BrokerSettings.fromConfig(ConfigFactory.load()), new SubscriptionTrie<>(),
                new RetainedIndex<>(), clientId -> nowhere, null);
        Route qos1 = new Route(SubscriptionOptions.of(Qos.AT_LEAST_ONCE), 0);
        for (int i = 0; i < 1000; i++) {
            context.subscribe(SubscriptionFilter.parse("sensors/" + (i % 100) + "/+"), "client-" + i, qos1);
        }
        ClusterRoutes routes = context.clusterRoutes();
        if (!cluster.equals("single")) {
            for (String node : new String[] {"node-b", "node-c"}) {
                routes.addNode(node, system);
                for (int i = 0; i < 1000; i++) {
                    routes.add(node, RouteEntry.plain("other/" + node + "/" + i + "/#"));
                }
            }
        }
        if (cluster.equals("interested")) {
            routes.add("node-b", RouteEntry.plain("sensors/7/+"));
        }
        fanout = new Fanout(context);
        message = new Message("sensors/7/temp", new byte[64], Qos.AT_LEAST_ONCE, false, MqttProperties.EMPTY, "publisher",
                Message.NEVER);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        system.terminate();
    }

    @Benchmark
    public Fanout.Routed route() {
        return fanout.route(message, null, 0);
    }
}
