package io.courier.broker.serialization;

import io.courier.broker.retained.RetainedEvent;
import io.courier.broker.retained.RetainedMessages;
import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Binary form of the retained store's journal (the events and snapshots of every partition,
 * and of the single-node store of earlier versions, which wrote the same formats under this
 * identifier) and of the node door's commands and replies ({@link RetainedStore}). Pekko 1.2
 * refuses Java serialization, and a hand-written {@link MessageFormat} is smaller and faster
 * than a generic one for the one big thing here, the message.
 *
 * <p>Manifests carry a format version ({@code ...1}); a new layout gets a new manifest and this
 * class keeps reading the old ones. The identifier comes from
 * {@code pekko.actor.serialization-identifiers} (reference.conf of broker-actors).
 */
public final class RetainedSerializer extends BinarySerializer {

    static final String STORED = "MS1";
    static final String DELETED = "MD1";
    static final String STATE = "ST1";
    static final String LEGACY_MIGRATED = "LM1";
    static final String RETAIN = "RT1";
    static final String RETAINED = "RD1";
    static final String STATS = "SQ1";
    static final String STATS_REPLY = "SR1";

    public RetainedSerializer(ExtendedActorSystem system) {
        super(system);
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof RetainedEvent.MessageStored) {
            return STORED;
        } else if (o instanceof RetainedEvent.MessageDeleted) {
            return DELETED;
        } else if (o instanceof RetainedMessages) {
            return STATE;
        } else if (o instanceof RetainedEvent.LegacyMigrated) {
            return LEGACY_MIGRATED;
        } else if (o instanceof RetainedStore.Retain) {
            return RETAIN;
        } else if (o instanceof RetainedStore.Retained) {
            return RETAINED;
        } else if (o instanceof RetainedStore.Stats) {
            return STATS;
        } else if (o instanceof RetainedStore.StatsReply) {
            return STATS_REPLY;
        }
        throw cannotSerialize(o);
    }

    @Override
    protected void write(Object o, DataOutputStream out) throws IOException {
        if (o instanceof RetainedEvent.MessageStored e) {
            MessageFormat.write(out, e.message());
        } else if (o instanceof RetainedEvent.MessageDeleted e) {
            MessageFormat.writeString(out, e.topic());
        } else if (o instanceof RetainedMessages s) {
            writeMessages(out, s.messages());
        } else if (o instanceof RetainedEvent.LegacyMigrated e) {
            out.writeInt(e.moved());
            out.writeInt(e.refused());
        } else if (o instanceof RetainedStore.Retain c) {
            MessageFormat.write(out, c.message());
            refs.write(out, c.replyTo());
            out.writeLong(c.correlationId());
        } else if (o instanceof RetainedStore.Retained r) {
            out.writeLong(r.correlationId());
            out.writeBoolean(r.accepted());
        } else if (o instanceof RetainedStore.Stats c) {
            refs.write(out, c.replyTo());
        } else if (o instanceof RetainedStore.StatsReply r) {
            out.writeInt(r.messages());
            out.writeLong(r.bytes());
            out.writeLong(r.refused());
        } else {
            throw cannotSerialize(o);
        }
    }

    @Override
    protected Object read(String manifest, DataInputStream in) throws IOException {
        return switch (manifest) {
            case STORED -> new RetainedEvent.MessageStored(MessageFormat.read(in));
            case DELETED -> new RetainedEvent.MessageDeleted(MessageFormat.readString(in));
            case STATE -> RetainedMessages.of(readMessages(in));
            case LEGACY_MIGRATED -> new RetainedEvent.LegacyMigrated(in.readInt(), in.readInt());
            case RETAIN -> new RetainedStore.Retain(MessageFormat.read(in), refs.read(in), in.readLong());
            case RETAINED -> new RetainedStore.Retained(in.readLong(), in.readBoolean());
            case STATS -> new RetainedStore.Stats(refs.read(in));
            case STATS_REPLY -> new RetainedStore.StatsReply(in.readInt(), in.readLong(), in.readLong());
            default -> null;
        };
    }

    /** A count, then each message; shared with the replication messages' pages. */
    static void writeMessages(DataOutputStream out, Collection<Message> messages) throws IOException {
        out.writeInt(messages.size());
        for (Message m : messages) {
            MessageFormat.write(out, m);
        }
    }

    static List<Message> readMessages(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative message count " + count);
        }
        List<Message> messages = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            messages.add(MessageFormat.read(in));
        }
        return messages;
    }
}
