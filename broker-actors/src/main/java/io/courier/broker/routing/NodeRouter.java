package io.courier.broker.routing;

import io.courier.broker.session.SessionCommand;
import io.courier.protocol.message.Message;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The receiving end of a cross-node publish: one per node. Another node's {@link Fanout}
 * sends one {@link Forward} per message to each node that has an interested subscriber; this
 * router runs the local part of the fanout here.
 *
 * <p><b>Store confirmation across nodes.</b> The publisher's connection may acknowledge a QoS 1/2
 * PUBLISH only once every matching session, on every node, has the message stored
 * (ARCHITECTURE.md section 4), but only this node knows how many of its sessions match. So the
 * publishing side counts each forward as one awaited {@link SessionCommand.Stored}, and this
 * router answers exactly one per forward: it routes with its own correlation id, counts its
 * sessions' answers, and sends the publisher's {@code Stored} when the last one is in (at once
 * when none matched). One answer per forward means no double counting, and no race between a
 * count and the answers it counts. Should this node die or an answer be lost, the publisher's
 * own deadline ({@code courier.mqtt.publish-ack-timeout}) settles the publish with an error
 * (5.0 0x83; a 3.1.1 client is disconnected and resends), so nothing hangs; entries older than
 * that deadline are dropped here by a periodic sweep.
 */
public final class NodeRouter {

    /** What a node router receives. */
    public sealed interface Command {
    }

    /**
     * A message published on another node. {@code plain}: deliver to this node's plain
     * subscribers; {@code picks}: shared group members on this node chosen by the publishing
     * node. {@code replyTo} (null for QoS 0 or a will) gets one {@code Stored} with
     * {@code correlationId} once this node's sessions have it stored.
     */
    public record Forward(Message message, ActorRef<SessionCommand.Stored> replyTo, long correlationId,
                          boolean plain, List<SharedPick> picks) implements Command {
    }

    /** A shared group member chosen to get a forwarded message, with its subscription. */
    public record SharedPick(String clientId, Route route) {
    }

    private record LocalStored(SessionCommand.Stored stored) implements Command {
    }

    private enum Sweep implements Command { INSTANCE }

    /** One forward waiting for its sessions' answers. */
    private static final class Waiting {
        final ActorRef<SessionCommand.Stored> replyTo;
        final long correlationId;
        final long deadlineNanos;
        int remaining;

        Waiting(ActorRef<SessionCommand.Stored> replyTo, long correlationId, int remaining, long deadlineNanos) {
            this.replyTo = replyTo;
            this.correlationId = correlationId;
            this.remaining = remaining;
            this.deadlineNanos = deadlineNanos;
        }
    }

    private NodeRouter() {
    }

    public static Behavior<Command> create(Fanout fanout, Duration answerTimeout) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            ActorRef<SessionCommand.Stored> storedAdapter = ctx.messageAdapter(SessionCommand.Stored.class, LocalStored::new);
            timers.startTimerWithFixedDelay(Sweep.INSTANCE, answerTimeout);
            Map<Long, Waiting> waiting = new HashMap<>();
            long[] nextId = {1};
            return Behaviors.<Command>receive(Command.class)
                    .onMessage(Forward.class, f -> {
                        long id = nextId[0]++;
                        Fanout.Routed routed = fanout.routeForwarded(f, f.replyTo() == null ? null : storedAdapter, id);
                        if (f.replyTo() != null) {
                            if (routed.awaited() == 0) {
                                f.replyTo().tell(new SessionCommand.Stored(f.correlationId(), true));
                            } else {
                                waiting.put(id, new Waiting(f.replyTo(), f.correlationId(), routed.awaited(),
                                        System.nanoTime() + answerTimeout.toNanos()));
                            }
                        }
                        return Behaviors.same();
                    })
                    .onMessage(LocalStored.class, s -> {
                        Waiting w = waiting.get(s.stored().correlationId());
                        if (w != null && --w.remaining == 0) {
                            waiting.remove(s.stored().correlationId());
                            w.replyTo.tell(new SessionCommand.Stored(w.correlationId, true));
                        }
                        return Behaviors.same();
                    })
                    .onMessage(Sweep.class, s -> {
                        long now = System.nanoTime();
                        for (Iterator<Waiting> it = waiting.values().iterator(); it.hasNext(); ) {
                            Waiting w = it.next();
                            if (w.deadlineNanos - now < 0) {
                                it.remove(); // the publisher has settled it as timed out already
                            }
                        }
                        return Behaviors.same();
                    })
                    .build();
        }));
    }
}
