package io.courier.broker.connection;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A client's QoS 1 and 2 PUBLISHes that wait for their PUBACK / PUBREC, keyed by the correlation
 * id their {@code Stored} and {@code Retained} answers carry. Pure bookkeeping, no actors: the
 * connection actor sends the commands and feeds the answers here.
 *
 * <p>Each publish goes through stages:
 * <pre>
 *   QoS 2:  CHECKING (is it a duplicate?) -> ROUTING -> RECORDING (receipt stored) -> SETTLED
 *   QoS 1:                                   ROUTING ----------------------------> SETTLED
 * </pre>
 * ROUTING ends when every matching session answered {@code Stored} and, for a retained message,
 * the retained store answered, so the acknowledgement promises durability (ARCHITECTURE.md
 * section 4). The answers may come in any order.
 *
 * <p>Settled publishes are released in the order the PUBLISHes arrived, so acknowledgements
 * leave in that order too (the order spec 4.6 asks of a client; some clients expect it of the
 * server). Because every publish gets the same timeout, deadlines grow in arrival order: the
 * oldest unsettled publish always has the earliest deadline, and one timer aimed at it is
 * enough for all of them.
 */
final class PublishAcknowledgements {

    /** Where a waiting publish stands. */
    enum Stage { CHECKING, ROUTING, RECORDING, SETTLED }

    /** One waiting publish. Mutable, owned by this class; callers read it. */
    static final class Pending {
        private final long id;
        private final int packetId;
        private final Qos qos;
        private final Message message;
        private final long deadlineNanos;
        private Stage stage;
        private boolean routed;
        private int storedAwaited;
        private boolean retainedAwaited;
        private boolean matched = true;
        private boolean retainRefused;
        private boolean duplicate;
        private boolean timedOut;

        private Pending(long id, int packetId, Qos qos, Message message, long deadlineNanos) {
            this.id = id;
            this.packetId = packetId;
            this.qos = qos;
            this.message = message;
            this.deadlineNanos = deadlineNanos;
            this.stage = qos == Qos.EXACTLY_ONCE ? Stage.CHECKING : Stage.ROUTING;
        }

        long id() {
            return id;
        }

        int packetId() {
            return packetId;
        }

        Qos qos() {
            return qos;
        }

        Message message() {
            return message;
        }

        Stage stage() {
            return stage;
        }
    }

    /**
     * A publish ready to be acknowledged.
     *
     * @param matched       false when no session had a matching subscription
     * @param retainRefused the retained store refused the message (full)
     * @param duplicate     a QoS 2 resend the session already held: not routed again
     * @param timedOut      not everything answered within the timeout
     */
    record Settlement(int packetId, Qos qos, boolean matched, boolean retainRefused, boolean duplicate,
                      boolean timedOut) {

        /**
         * The PUBACK / PUBREC reason code. 3.1.1 acknowledgements carry none: a refused retain
         * is counted by the caller and otherwise acknowledged normally, and a timeout closes a
         * 3.1.1 connection instead of settling.
         */
        ReasonCode reason(boolean v5) {
            if (!v5 || duplicate) {
                return ReasonCode.SUCCESS;
            }
            if (timedOut) {
                return ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR;
            }
            if (retainRefused) {
                return ReasonCode.QUOTA_EXCEEDED;
            }
            return matched ? ReasonCode.SUCCESS : ReasonCode.NO_MATCHING_SUBSCRIBERS;
        }
    }

    private final long timeoutNanos;
    private final Map<Long, Pending> pending = new LinkedHashMap<>();
    private long nextId = 1; // 0 stays free for answers nobody waits for (QoS 0 retains)

    PublishAcknowledgements(long timeoutNanos) {
        if (timeoutNanos <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeoutNanos);
        }
        this.timeoutNanos = timeoutNanos;
    }

    /** Starts waiting for a QoS 1 or 2 publish; QoS 2 starts in CHECKING, QoS 1 in ROUTING. */
    Pending open(int packetId, Qos qos, Message message, long nowNanos) {
        if (qos == Qos.AT_MOST_ONCE) {
            throw new IllegalArgumentException("QoS 0 is never acknowledged");
        }
        Pending p = new Pending(nextId++, packetId, qos, message, nowNanos + timeoutNanos);
        pending.put(p.id, p);
        return p;
    }

    /** The oldest QoS 2 publish with this packet id waiting for the session's duplicate check. */
    Pending checking(int packetId) {
        return oldest(packetId, Stage.CHECKING);
    }

    /** The session already holds this QoS 2 packet id [MQTT-4.3.3-10]: settle without routing. */
    void duplicate(long id) {
        Pending p = pending.get(id);
        if (p != null && p.stage == Stage.CHECKING) {
            p.duplicate = true;
            p.stage = Stage.SETTLED;
        }
    }

    /** A QoS 2 publish passed its duplicate check; it is about to be routed. */
    void checked(long id) {
        Pending p = pending.get(id);
        if (p != null && p.stage == Stage.CHECKING) {
            p.stage = Stage.ROUTING;
        }
    }

    /**
     * The publish was routed: {@code storedAwaited} sessions will answer, plus the retained store
     * when {@code retainedAwaited}.
     *
     * @return the publish if that completed its routing stage (a QoS 2 one then needs its
     *         receipt recorded), else null
     */
    Pending routed(long id, int storedAwaited, boolean retainedAwaited, boolean matched) {
        Pending p = pending.get(id);
        if (p == null || p.stage != Stage.ROUTING || p.routed) {
            return null;
        }
        p.routed = true;
        // Answers cannot arrive before this (one actor), so the counts start here.
        p.storedAwaited += storedAwaited;
        p.retainedAwaited = retainedAwaited;
        p.matched = matched;
        return completeRouting(p);
    }

    /** A session's {@code Stored} answer; a refusal (full queue) is that session's loss, counted there. */
    Pending stored(long id) {
        Pending p = pending.get(id);
        if (p == null || p.stage != Stage.ROUTING) {
            return null;
        }
        p.storedAwaited--;
        return completeRouting(p);
    }

    /** The retained store's answer. */
    Pending retained(long id, boolean accepted) {
        Pending p = pending.get(id);
        if (p == null || p.stage != Stage.ROUTING || !p.retainedAwaited) {
            return null;
        }
        p.retainedAwaited = false;
        p.retainRefused = !accepted;
        return completeRouting(p);
    }

    /** The session recorded the QoS 2 receipt: PUBREC may go. */
    boolean recorded(int packetId) {
        Pending p = oldest(packetId, Stage.RECORDING);
        if (p == null) {
            return false;
        }
        p.stage = Stage.SETTLED;
        return true;
    }

    /**
     * Settles, as timed out, every unsettled publish whose deadline has passed.
     *
     * @return how many timed out
     */
    int expire(long nowNanos) {
        int n = 0;
        for (Pending p : pending.values()) {
            if (p.deadlineNanos - nowNanos > 0) {
                break; // deadlines grow in insertion order
            }
            if (p.stage != Stage.SETTLED) {
                p.timedOut = true;
                p.stage = Stage.SETTLED;
                n++;
            }
        }
        return n;
    }

    /** Removes and returns the settled publishes at the head, oldest first. */
    List<Settlement> releasable() {
        List<Settlement> out = null;
        Iterator<Pending> it = pending.values().iterator();
        while (it.hasNext()) {
            Pending p = it.next();
            if (p.stage != Stage.SETTLED) {
                break;
            }
            it.remove();
            if (out == null) {
                out = new ArrayList<>(2);
            }
            out.add(new Settlement(p.packetId, p.qos, p.matched, p.retainRefused, p.duplicate, p.timedOut));
        }
        return out == null ? List.of() : out;
    }

    /** The deadline of the oldest waiting publish, or -1 when none waits. */
    long nextDeadlineNanos() {
        Iterator<Pending> it = pending.values().iterator();
        return it.hasNext() ? it.next().deadlineNanos : -1;
    }

    /** Publishes not yet released. */
    int size() {
        return pending.size();
    }

    private Pending completeRouting(Pending p) {
        if (!p.routed || p.storedAwaited > 0 || p.retainedAwaited) {
            return null;
        }
        p.stage = p.qos == Qos.EXACTLY_ONCE ? Stage.RECORDING : Stage.SETTLED;
        return p;
    }

    private Pending oldest(int packetId, Stage stage) {
        for (Pending p : pending.values()) {
            if (p.packetId == packetId && p.stage == stage) {
                return p;
            }
        }
        return null;
    }
}
