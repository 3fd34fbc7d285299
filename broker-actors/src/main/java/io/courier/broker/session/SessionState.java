package io.courier.broker.session;

import io.courier.broker.routing.Route;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.session.InboundQos2Receipts;
import io.courier.protocol.session.InflightWindow;
import io.courier.protocol.session.OutboundQueue;
import io.courier.protocol.session.PacketIdAllocator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A session's state: mutable, owned by its entity alone, changed only by {@link #apply}. A
 * snapshot takes a {@link #copy()}, never this instance, because the snapshot store serializes
 * it on another thread.
 */
public final class SessionState {

    /** The 5.0 "never expires" value of the Session Expiry Interval (3.1.2.11.2). */
    public static final long NEVER_EXPIRES = 0xFFFF_FFFFL;

    private final int queueCapacity;
    private final OutboundQueue.OverflowPolicy overflowPolicy;

    boolean exists;
    MqttVersion version = MqttVersion.V5;
    long sessionExpirySeconds;
    Message will;
    long willDelaySeconds;
    boolean attached;
    long detachedAtMillis;
    final Map<String, Route> subscriptions = new LinkedHashMap<>();
    OutboundQueue queue;
    InflightWindow inflight = new InflightWindow(1);
    PacketIdAllocator packetIds = new PacketIdAllocator();
    InboundQos2Receipts inboundQos2 = new InboundQos2Receipts();
    /** What the last MessageQueued did (read by the handler that persisted it; not state proper). */
    OutboundQueue.OfferOutcome lastOffer;

    public SessionState(int queueCapacity, OutboundQueue.OverflowPolicy overflowPolicy) {
        this.queueCapacity = queueCapacity;
        this.overflowPolicy = overflowPolicy;
        this.queue = new OutboundQueue(queueCapacity, overflowPolicy);
    }

    /** Whether this session outlives its connection, and so journals its events. */
    public boolean isPersistent() {
        return exists && sessionExpirySeconds > 0;
    }

    public boolean exists() {
        return exists;
    }

    public boolean isAttached() {
        return attached;
    }

    public Map<String, Route> subscriptions() {
        return java.util.Collections.unmodifiableMap(subscriptions);
    }

    public OutboundQueue queue() {
        return queue;
    }

    public InflightWindow inflight() {
        return inflight;
    }

    public Message will() {
        return will;
    }

    public long sessionExpirySeconds() {
        return sessionExpirySeconds;
    }

    SessionState apply(SessionEvent event) {
        if (event instanceof SessionEvent.Attached a) {
            if (a.cleanStart()) {
                forget();
            }
            exists = true;
            version = a.version();
            sessionExpirySeconds = a.sessionExpirySeconds();
            will = a.will();
            willDelaySeconds = a.willDelaySeconds();
            attached = true;
            inflight.setCapacity(Math.max(1, a.receiveMaximum()));
        } else if (event instanceof SessionEvent.Detached d) {
            attached = false;
            detachedAtMillis = d.atMillis();
            sessionExpirySeconds = d.sessionExpirySeconds();
            if (!d.keepWill()) {
                will = null;
            }
        } else if (event instanceof SessionEvent.SubscriptionAdded s) {
            subscriptions.put(s.topicFilter(), new Route(s.options(), s.subscriptionIdentifier()));
        } else if (event instanceof SessionEvent.SubscriptionRemoved r) {
            subscriptions.remove(r.topicFilter());
        } else if (event instanceof SessionEvent.MessageQueued q) {
            lastOffer = queue.offer(q.delivery(), q.atMillis());
        } else if (event instanceof SessionEvent.MessageSent s) {
            var delivery = queue.poll(s.atMillis());
            if (delivery != null) {
                int id = packetIds.allocate();
                inflight.add(id, delivery);
            }
        } else if (event instanceof SessionEvent.OutboundAcknowledged ack) {
            applyAck(ack);
        } else if (event instanceof SessionEvent.InboundQos2Recorded r) {
            inboundQos2.onPublish(r.packetId());
        } else if (event instanceof SessionEvent.InboundQos2Released r) {
            inboundQos2.onPubRel(r.packetId());
        } else if (event instanceof SessionEvent.SharedDeliveriesHandedOff h) {
            java.util.function.Predicate<io.courier.protocol.session.Delivery> moved =
                    d -> d.sharedGroup() != null && h.groups().contains(d.sharedGroup());
            for (InflightWindow.Entry e : inflight.removeAwaitingPubAck(moved)) {
                packetIds.release(e.packetId());
            }
            queue.removeIf(moved);
        } else if (event instanceof SessionEvent.WillPublished) {
            will = null;
        } else if (event instanceof SessionEvent.Ended) {
            forget();
            exists = false;
            attached = false;
            will = null;
            sessionExpirySeconds = 0;
        }
        return this;
    }

    /**
     * Whether this acknowledgement ends a flow, freeing its slot and packet id, when applied
     * (as {@link #applyAck} decides): lets a handler size the sends it journals with the ack.
     */
    boolean endsFlow(int packetId, Effect.OutboundAck kind) {
        InflightWindow.Entry entry = inflight.get(packetId);
        if (entry == null) {
            return false;
        }
        return switch (kind) {
            case PUBACK -> entry.stage() == InflightWindow.Stage.AWAITING_PUBACK;
            case PUBREC -> false;
            case PUBREC_FAILED -> entry.stage() == InflightWindow.Stage.AWAITING_PUBREC;
            case PUBCOMP -> entry.stage() == InflightWindow.Stage.AWAITING_PUBCOMP;
            case DISCARDED -> true;
        };
    }

    private void applyAck(SessionEvent.OutboundAcknowledged ack) {
        int id = ack.packetId();
        boolean done = switch (ack.kind()) {
            case PUBACK -> inflight.onPubAck(id) != null;
            case PUBREC -> {
                inflight.onPubRec(id);
                yield false;
            }
            case PUBREC_FAILED -> inflight.onPubRecError(id) != null;
            case PUBCOMP -> inflight.onPubComp(id) != null;
            case DISCARDED -> inflight.onPubAck(id) != null || inflight.onPubRecError(id) != null
                    || inflight.onPubComp(id) != null;
        };
        if (done) {
            packetIds.release(id);
        }
    }

    private void forget() {
        subscriptions.clear();
        queue = new OutboundQueue(queueCapacity, overflowPolicy);
        inflight = new InflightWindow(inflight.capacity());
        packetIds = new PacketIdAllocator();
        inboundQos2 = new InboundQos2Receipts();
    }

    /** A deep copy for snapshots. */
    public SessionState copy() {
        SessionState c = new SessionState(queueCapacity, overflowPolicy);
        c.exists = exists;
        c.version = version;
        c.sessionExpirySeconds = sessionExpirySeconds;
        c.will = will;
        c.willDelaySeconds = willDelaySeconds;
        c.attached = attached;
        c.detachedAtMillis = detachedAtMillis;
        c.subscriptions.putAll(subscriptions);
        c.queue = queue.copy();
        c.inflight = inflight.copy();
        c.packetIds = packetIds.copy();
        c.inboundQos2 = inboundQos2.copy();
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionState s && exists == s.exists && version == s.version
                && sessionExpirySeconds == s.sessionExpirySeconds && Objects.equals(will, s.will)
                && willDelaySeconds == s.willDelaySeconds && attached == s.attached
                && detachedAtMillis == s.detachedAtMillis && subscriptions.equals(s.subscriptions)
                && queue.equals(s.queue) && inflight.equals(s.inflight) && packetIds.equals(s.packetIds)
                && inboundQos2.equals(s.inboundQos2);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exists, sessionExpirySeconds, subscriptions, queue, inflight);
    }

    @Override
    public String toString() {
        return "SessionState[exists=" + exists + ", attached=" + attached + ", expiry=" + sessionExpirySeconds
                + ", subscriptions=" + subscriptions.keySet() + ", queued=" + queue.size()
                + ", inflight=" + inflight.size() + ", inboundQos2=" + inboundQos2.size() + "]";
    }
}
