package io.courier.broker.connection;

import java.net.InetSocketAddress;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.BoundedSourceQueue;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.stream.typed.javadsl.ActorSink;
import org.apache.pekko.util.ByteString;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parent of one listener's connection actors. Accepted connections arrive one at a time
 * (the next is accepted once this one is wired), each gets its {@link ConnectionActor} and its
 * two streams: inbound bytes into the actor with acknowledgements, outbound writes from a
 * bounded queue. The two are coupled, so when either side ends the whole connection ends.
 *
 * <p>After unbind the listener stays until its last connection has ended.
 */
final class ConnectionAcceptor {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAcceptor.class);

    sealed interface Command {
    }

    record Started(ActorRef<Ack> ackTo) implements Command {
    }

    record Accepted(ActorRef<Ack> ackTo, Tcp.IncomingConnection connection) implements Command {
    }

    /** The stream of incoming connections ended: unbound ({@code failure} null) or failed. */
    record Ended(Throwable failure) implements Command {
    }

    enum Ack { INSTANCE }

    private ConnectionAcceptor() {
    }

    static Behavior<Command> create(ConnectionEnvironment env) {
        return Behaviors.setup(ctx -> accepting(ctx, env, 0L));
    }

    /** The sink the listener's stream of incoming connections runs into. */
    static Sink<Tcp.IncomingConnection, NotUsed> sink(ActorRef<Command> acceptor) {
        return ActorSink.<Tcp.IncomingConnection, Command, Ack>actorRefWithBackpressure(
                acceptor, Accepted::new, Started::new, Ack.INSTANCE, new Ended(null), Ended::new);
    }

    private static Behavior<Command> accepting(ActorContext<Command> ctx, ConnectionEnvironment env, long accepted) {
        return Behaviors.receive(Command.class)
                .onMessage(Started.class, s -> {
                    s.ackTo().tell(Ack.INSTANCE);
                    return Behaviors.same();
                })
                .onMessage(Accepted.class, a -> {
                    wire(ctx, env, a.connection(), accepted + 1);
                    a.ackTo().tell(Ack.INSTANCE);
                    return accepting(ctx, env, accepted + 1);
                })
                .onMessage(Ended.class, e -> {
                    if (e.failure() != null) {
                        // A failed bind also reaches the caller of bind(); this covers a listener
                        // that fails later.
                        LOG.warn("MQTT listener stopped on an error; connections already open are kept",
                                e.failure());
                    }
                    return draining(ctx);
                })
                .onSignal(Terminated.class, t -> Behaviors.same())
                .build();
    }

    private static Behavior<Command> draining(ActorContext<Command> ctx) {
        if (ctx.getChildren().isEmpty()) {
            return Behaviors.stopped();
        }
        return Behaviors.receive(Command.class)
                .onSignal(Terminated.class, t -> ctx.getChildren().isEmpty() ? Behaviors.stopped() : Behaviors.same())
                .build();
    }

    private static void wire(ActorContext<Command> ctx, ConnectionEnvironment env, Tcp.IncomingConnection connection,
                             long n) {
        InetSocketAddress remote = connection.remoteAddress();
        Pair<BoundedSourceQueue<ByteString>, Source<ByteString, NotUsed>> out =
                Source.<ByteString>queue(env.settings().outboundBuffer()).preMaterialize(ctx.getSystem());
        ActorRef<ConnectionActor.Command> actor;
        try {
            actor = ctx.spawn(ConnectionActor.create(env, out.first(), remote), "connection-" + n);
            ctx.watch(actor);
            env.counters().connectionOpened();
            connection.handleWith(
                    Flow.fromSinkAndSourceCoupled(ConnectionActor.inboundSink(actor), out.second()), ctx.getSystem());
        } catch (RuntimeException e) {
            // The connection is lost, not the listener.
            LOG.error("could not set up the MQTT connection from {}", remote, e);
            out.first().fail(e);
        }
    }
}
