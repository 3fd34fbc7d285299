package io.courier.broker.connection;

import io.courier.broker.BrokerContext;
import io.courier.broker.auth.Authenticators;
import io.courier.broker.routing.Fanout;
import io.courier.protocol.engine.ProtocolEngine;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.stream.javadsl.Tcp;

/**
 * MQTT over plain TCP: binds a listener and gives every accepted connection its own
 * {@link ConnectionActor}. Port 0 binds a free port; {@link #address()} tells which.
 */
public final class MqttTcpServer {

    private static final AtomicLong LISTENERS = new AtomicLong();

    private final Tcp.ServerBinding binding;
    private final ConnectionCounters counters;

    private MqttTcpServer(Tcp.ServerBinding binding, ConnectionCounters counters) {
        this.binding = binding;
        this.counters = counters;
    }

    /**
     * Binds {@code host:port} and serves MQTT there until {@link #unbind()}. Connection settings
     * come from the system's configuration ({@code courier.mqtt.connection}).
     *
     * @return completes with the server once the port is bound, or fails (e.g. port in use)
     */
    public static CompletionStage<MqttTcpServer> bind(ActorSystem<?> system, BrokerContext context, Fanout fanout,
                                                      ProtocolEngine engine, String host, int port) {
        return bind(system, context, fanout, engine, Authenticators.NONE, host, port);
    }

    /** As above, with the enhanced authenticators the engine's settings offer. */
    public static CompletionStage<MqttTcpServer> bind(ActorSystem<?> system, BrokerContext context, Fanout fanout,
                                                      ProtocolEngine engine, Authenticators authenticators,
                                                      String host, int port) {
        ConnectionCounters counters = new ConnectionCounters();
        ConnectionEnvironment env = new ConnectionEnvironment(context, fanout, engine,
                ConnectionSettings.fromConfig(system.settings().config()), counters, authenticators);
        ActorRef<ConnectionAcceptor.Command> acceptor = system.systemActorOf(ConnectionAcceptor.create(env),
                "mqtt-tcp-" + LISTENERS.incrementAndGet(), Props.empty());
        return Tcp.get(system).bind(host, port)
                .to(ConnectionAcceptor.sink(acceptor))
                .run(system)
                .thenApply(binding -> new MqttTcpServer(binding, counters));
    }

    /** The bound address (with the actual port when 0 was asked for). */
    public InetSocketAddress address() {
        return binding.localAddress();
    }

    /** Stops accepting connections; connections already open go on until they end. */
    public CompletionStage<Void> unbind() {
        return binding.unbind().thenApply(done -> null);
    }

    /** What this listener's connections dropped or gave up on. */
    public ConnectionCounters counters() {
        return counters;
    }
}
