package io.courier.broker.session;

import io.courier.broker.routing.Route;
import io.courier.broker.serialization.MessageFormat;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.session.Delivery;
import io.courier.protocol.session.InboundQos2Receipts;
import io.courier.protocol.session.InflightWindow;
import io.courier.protocol.session.OutboundQueue;
import io.courier.protocol.session.PacketIdAllocator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Binary format of session events and snapshots in the journal. Messages use the stored form
 * shared with the retained store ({@link MessageFormat}). The first byte of every blob is a
 * format version, so later formats can read old journals.
 */
public final class SessionSerializer extends SerializerWithStringManifest {

    public static final int IDENTIFIER = 7300;
    private static final int FORMAT = 1;

    public SessionSerializer(ExtendedActorSystem system) {
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof SessionState) {
            return "state";
        }
        if (o instanceof SessionEvent e) {
            return e.getClass().getSimpleName();
        }
        throw new IllegalArgumentException("not a session event: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(FORMAT);
            write(out, o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static void write(DataOutputStream out, Object o) throws IOException {
        if (o instanceof SessionEvent.Attached a) {
            out.writeByte(a.version().level());
            out.writeBoolean(a.cleanStart());
            out.writeLong(a.sessionExpirySeconds());
            writeMessage(out, a.will());
            out.writeLong(a.willDelaySeconds());
            out.writeInt(a.receiveMaximum());
        } else if (o instanceof SessionEvent.Detached d) {
            out.writeLong(d.atMillis());
            out.writeLong(d.sessionExpirySeconds());
            out.writeBoolean(d.keepWill());
        } else if (o instanceof SessionEvent.SubscriptionAdded s) {
            writeString(out, s.topicFilter());
            writeOptions(out, s.options());
            out.writeInt(s.subscriptionIdentifier());
        } else if (o instanceof SessionEvent.SubscriptionRemoved r) {
            writeString(out, r.topicFilter());
        } else if (o instanceof SessionEvent.MessageQueued q) {
            writeDelivery(out, q.delivery());
            out.writeLong(q.atMillis());
        } else if (o instanceof SessionEvent.MessageSent s) {
            out.writeLong(s.atMillis());
        } else if (o instanceof SessionEvent.OutboundAcknowledged k) {
            out.writeShort(k.packetId());
            out.writeByte(k.kind().ordinal());
        } else if (o instanceof SessionEvent.InboundQos2Recorded r) {
            out.writeShort(r.packetId());
        } else if (o instanceof SessionEvent.InboundQos2Released r) {
            out.writeShort(r.packetId());
        } else if (o instanceof SessionEvent.WillPublished || o instanceof SessionEvent.Ended) {
            // no fields
        } else if (o instanceof SessionState s) {
            writeState(out, s);
        } else {
            throw new IllegalArgumentException("cannot serialize " + o.getClass());
        }
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            int format = in.readUnsignedByte();
            if (format != FORMAT) {
                throw new NotSerializableException("unknown session format " + format);
            }
            return switch (manifest) {
                case "Attached" -> new SessionEvent.Attached(MqttVersion.ofLevel(in.readUnsignedByte()), in.readBoolean(),
                        in.readLong(), readMessage(in), in.readLong(), in.readInt());
                case "Detached" -> new SessionEvent.Detached(in.readLong(), in.readLong(), in.readBoolean());
                case "SubscriptionAdded" -> new SessionEvent.SubscriptionAdded(readString(in), readOptions(in), in.readInt());
                case "SubscriptionRemoved" -> new SessionEvent.SubscriptionRemoved(readString(in));
                case "MessageQueued" -> new SessionEvent.MessageQueued(readDelivery(in), in.readLong());
                case "MessageSent" -> new SessionEvent.MessageSent(in.readLong());
                case "OutboundAcknowledged" -> new SessionEvent.OutboundAcknowledged(in.readUnsignedShort(),
                        Effect.OutboundAck.values()[in.readUnsignedByte()]);
                case "InboundQos2Recorded" -> new SessionEvent.InboundQos2Recorded(in.readUnsignedShort());
                case "InboundQos2Released" -> new SessionEvent.InboundQos2Released(in.readUnsignedShort());
                case "WillPublished" -> new SessionEvent.WillPublished();
                case "Ended" -> new SessionEvent.Ended();
                case "state" -> readState(in);
                default -> throw new NotSerializableException("unknown session manifest " + manifest);
            };
        } catch (NotSerializableException e) {
            throw e; // an IOException too, but Pekko's signal for "unknown manifest", so not wrapped
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- snapshot --------------------------------------------------------------------

    private static void writeState(DataOutputStream out, SessionState s) throws IOException {
        out.writeInt(s.queue.capacity());
        out.writeByte(s.queue.policy().ordinal());
        out.writeBoolean(s.exists);
        out.writeByte(s.version.level());
        out.writeLong(s.sessionExpirySeconds);
        writeMessage(out, s.will);
        out.writeLong(s.willDelaySeconds);
        out.writeBoolean(s.attached);
        out.writeLong(s.detachedAtMillis);
        out.writeInt(s.subscriptions.size());
        for (var e : s.subscriptions.entrySet()) {
            writeString(out, e.getKey());
            writeOptions(out, e.getValue().options());
            out.writeInt(e.getValue().subscriptionIdentifier());
        }
        List<Delivery> queued = s.queue.deliveries();
        out.writeInt(queued.size());
        for (Delivery d : queued) {
            writeDelivery(out, d);
        }
        out.writeInt(s.inflight.capacity());
        List<InflightWindow.Entry> entries = s.inflight.entries();
        out.writeInt(entries.size());
        for (InflightWindow.Entry e : entries) {
            out.writeShort(e.packetId());
            out.writeByte(e.stage().ordinal());
            out.writeBoolean(e.delivery() != null);
            if (e.delivery() != null) {
                writeDelivery(out, e.delivery());
            }
        }
        out.writeShort(s.packetIds.lastAllocated());
        out.writeInt(entries.size());
        for (InflightWindow.Entry e : entries) {
            out.writeShort(e.packetId());
        }
        List<Integer> receipts = new ArrayList<>();
        for (int id = 1; id <= 0xFFFF && receipts.size() < s.inboundQos2.size(); id++) {
            if (s.inboundQos2.contains(id)) {
                receipts.add(id);
            }
        }
        out.writeInt(receipts.size());
        for (int id : receipts) {
            out.writeShort(id);
        }
    }

    private static SessionState readState(DataInputStream in) throws IOException {
        int queueCapacity = in.readInt();
        OutboundQueue.OverflowPolicy policy = OutboundQueue.OverflowPolicy.values()[in.readUnsignedByte()];
        SessionState s = new SessionState(queueCapacity, policy);
        s.exists = in.readBoolean();
        s.version = MqttVersion.ofLevel(in.readUnsignedByte());
        s.sessionExpirySeconds = in.readLong();
        s.will = readMessage(in);
        s.willDelaySeconds = in.readLong();
        s.attached = in.readBoolean();
        s.detachedAtMillis = in.readLong();
        for (int i = in.readInt(); i > 0; i--) {
            String filter = readString(in);
            s.subscriptions.put(filter, new Route(readOptions(in), in.readInt()));
        }
        for (int i = in.readInt(); i > 0; i--) {
            s.queue.offer(readDelivery(in), Long.MIN_VALUE); // nothing counts as expired while restoring
        }
        int capacity = in.readInt();
        List<InflightWindow.Entry> entries = new ArrayList<>();
        for (int i = in.readInt(); i > 0; i--) {
            int id = in.readUnsignedShort();
            InflightWindow.Stage stage = InflightWindow.Stage.values()[in.readUnsignedByte()];
            Delivery d = in.readBoolean() ? readDelivery(in) : null;
            entries.add(new InflightWindow.Entry(id, stage, d));
        }
        s.inflight = InflightWindow.restore(capacity, entries);
        int last = in.readUnsignedShort();
        int[] inUse = new int[in.readInt()];
        for (int i = 0; i < inUse.length; i++) {
            inUse[i] = in.readUnsignedShort();
        }
        s.packetIds = PacketIdAllocator.restore(last, inUse);
        s.inboundQos2 = new InboundQos2Receipts();
        for (int i = in.readInt(); i > 0; i--) {
            s.inboundQos2.onPublish(in.readUnsignedShort());
        }
        return s;
    }

    // ---- values ----------------------------------------------------------------------

    private static void writeDelivery(DataOutputStream out, Delivery d) throws IOException {
        MessageFormat.writeDelivery(out, d);
    }

    private static Delivery readDelivery(DataInputStream in) throws IOException {
        return MessageFormat.readDelivery(in);
    }

    static void writeMessage(DataOutputStream out, Message m) throws IOException {
        MessageFormat.writeOptional(out, m);
    }

    static Message readMessage(DataInputStream in) throws IOException {
        return MessageFormat.readOptional(in);
    }

    private static void writeOptions(DataOutputStream out, SubscriptionOptions o) throws IOException {
        MessageFormat.writeOptions(out, o);
    }

    private static SubscriptionOptions readOptions(DataInputStream in) throws IOException {
        return MessageFormat.readOptions(in);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        MessageFormat.writeString(out, s);
    }

    private static String readString(DataInputStream in) throws IOException {
        return MessageFormat.readString(in);
    }
}
