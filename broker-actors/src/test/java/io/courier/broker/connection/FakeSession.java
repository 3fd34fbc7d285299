package io.courier.broker.connection;

import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.ReasonCode;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stands in for the session entity in connection tests: it answers what a connection waits for
 * (attach, subscribe, the QoS 2 receipts) the way the real one would, and hands every command
 * to a recorder so the test can assert on it and answer the rest itself (Enqueue's Stored).
 */
final class FakeSession {

    private FakeSession() {
    }

    static Behavior<SessionCommand> create(ActorRef<SessionCommand> recorder) {
        return Behaviors.setup(ctx -> {
            Set<Integer> inboundQos2 = new HashSet<>();
            return Behaviors.receive(SessionCommand.class)
                    .onMessage(SessionCommand.class, command -> {
                        recorder.tell(command);
                        answer(command, inboundQos2);
                        return Behaviors.same();
                    })
                    .build();
        });
    }

    private static void answer(SessionCommand command, Set<Integer> inboundQos2) {
        if (command instanceof SessionCommand.Attach a) {
            a.connection().tell(new EngineInput.SessionOpened(false));
        } else if (command instanceof SessionCommand.Subscribe s) {
            List<ReasonCode> codes = s.entries().stream()
                    .map(FakeSession::granted)
                    .toList();
            s.connection().tell(new EngineInput.Subscribed(s.packetId(), codes));
        } else if (command instanceof SessionCommand.Unsubscribe u) {
            List<ReasonCode> codes = u.entries().stream()
                    .map(e -> e.rejected() != null ? e.rejected() : ReasonCode.SUCCESS)
                    .toList();
            u.connection().tell(new EngineInput.Unsubscribed(u.packetId(), codes));
        } else if (command instanceof SessionCommand.CheckInboundQos2 c) {
            c.replyTo().tell(new SessionCommand.Qos2Verdict(c.packetId(), inboundQos2.contains(c.packetId())));
        } else if (command instanceof SessionCommand.RecordInboundQos2 r) {
            inboundQos2.add(r.packetId());
            r.replyTo().tell(new SessionCommand.Qos2Recorded(r.packetId()));
        } else if (command instanceof SessionCommand.ReleaseInboundQos2 r) {
            r.connection().tell(new EngineInput.InboundReleased(r.packetId(), inboundQos2.remove(r.packetId())));
        }
        // Enqueue, Acknowledge, Detach, Wake: recorded only; the test answers where it must.
    }

    private static ReasonCode granted(Effect.SubscribeEntry entry) {
        return entry.rejected() != null ? entry.rejected() : ReasonCode.granted(entry.options().qos());
    }
}
