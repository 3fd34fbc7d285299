package io.courier.broker.serialization;

import io.courier.broker.retained.LegacyRetainedStore;
import io.courier.broker.retained.RetainedPartition;
import io.courier.broker.retained.RetainedReplica;
import io.courier.broker.routing.RetainedStore;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.ExtendedActorSystem;

/**
 * Binary form of what the cluster-wide retained store sends between nodes and never journals:
 * commands to the partitions, their changes and contents for the replicas, the legacy
 * migration's question and answer. Manifests carry a format version like
 * {@link RetainedSerializer}'s; the identifier (7310) comes from
 * {@code pekko.actor.serialization-identifiers}.
 */
public final class RetainedReplicationSerializer extends BinarySerializer {

    static final String RETAIN = "PR1";
    static final String SYNC = "SY1";
    static final String CHANGED = "CH1";
    static final String CONTENTS = "CO1";
    static final String UNCHANGED = "UC1";
    static final String CONFIRM = "CF1";
    static final String MIGRATE = "LG1";
    static final String MIGRATED = "LD1";

    public RetainedReplicationSerializer(ExtendedActorSystem system) {
        super(system);
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof RetainedPartition.Retain) {
            return RETAIN;
        } else if (o instanceof RetainedPartition.Sync) {
            return SYNC;
        } else if (o instanceof RetainedReplica.Changed) {
            return CHANGED;
        } else if (o instanceof RetainedReplica.Contents) {
            return CONTENTS;
        } else if (o instanceof RetainedReplica.Unchanged) {
            return UNCHANGED;
        } else if (o instanceof RetainedReplica.Confirm) {
            return CONFIRM;
        } else if (o instanceof LegacyRetainedStore.Migrate) {
            return MIGRATE;
        } else if (o instanceof LegacyRetainedStore.Done) {
            return MIGRATED;
        }
        throw cannotSerialize(o);
    }

    @Override
    protected void write(Object o, DataOutputStream out) throws IOException {
        if (o instanceof RetainedPartition.Retain c) {
            MessageFormat.write(out, c.message());
            refs.write(out, c.replyTo());
            out.writeLong(c.correlationId());
            refs.write(out, c.replica()); // null: answer directly
        } else if (o instanceof RetainedPartition.Sync c) {
            out.writeLong(c.knownSeqNr());
            out.writeLong(c.request());
            refs.write(out, c.replyTo());
        } else if (o instanceof RetainedReplica.Changed c) {
            writeChange(out, c);
        } else if (o instanceof RetainedReplica.Confirm c) {
            out.writeInt(c.changes().size());
            for (RetainedReplica.Changed change : c.changes()) {
                writeChange(out, change);
            }
            refs.write(out, c.replyTo());
            out.writeLong(c.answer().correlationId());
            out.writeBoolean(c.answer().accepted());
        } else if (o instanceof RetainedReplica.Contents c) {
            out.writeInt(c.partition());
            out.writeLong(c.request());
            out.writeLong(c.seqNr());
            out.writeLong(c.refused());
            RetainedSerializer.writeMessages(out, c.messages());
            out.writeBoolean(c.last());
        } else if (o instanceof RetainedReplica.Unchanged c) {
            out.writeInt(c.partition());
            out.writeLong(c.request());
            out.writeLong(c.seqNr());
            out.writeLong(c.refused());
        } else if (o instanceof LegacyRetainedStore.Migrate c) {
            refs.write(out, c.replyTo());
        } else if (o instanceof LegacyRetainedStore.Done d) {
            out.writeInt(d.moved());
            out.writeInt(d.refused());
            out.writeBoolean(d.complete());
        } else {
            throw cannotSerialize(o);
        }
    }

    @Override
    protected Object read(String manifest, DataInputStream in) throws IOException {
        return switch (manifest) {
            case RETAIN -> new RetainedPartition.Retain(MessageFormat.read(in), refs.read(in), in.readLong(), refs.read(in));
            case SYNC -> new RetainedPartition.Sync(in.readLong(), in.readLong(), refs.read(in));
            case CHANGED -> readChange(in);
            case CONFIRM -> readConfirm(in);
            case CONTENTS -> new RetainedReplica.Contents(in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                    RetainedSerializer.readMessages(in), in.readBoolean());
            case UNCHANGED -> new RetainedReplica.Unchanged(in.readInt(), in.readLong(), in.readLong(), in.readLong());
            case MIGRATE -> new LegacyRetainedStore.Migrate(refs.read(in));
            case MIGRATED -> new LegacyRetainedStore.Done(in.readInt(), in.readInt(), in.readBoolean());
            default -> null;
        };
    }

    private static void writeChange(DataOutputStream out, RetainedReplica.Changed c) throws IOException {
        out.writeInt(c.partition());
        out.writeLong(c.seqNr());
        MessageFormat.writeString(out, c.topic());
        out.writeBoolean(c.message() != null);
        if (c.message() != null) {
            MessageFormat.write(out, c.message());
        }
    }

    private static RetainedReplica.Changed readChange(DataInputStream in) throws IOException {
        return new RetainedReplica.Changed(in.readInt(), in.readLong(), MessageFormat.readString(in),
                in.readBoolean() ? MessageFormat.read(in) : null);
    }

    private RetainedReplica.Confirm readConfirm(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0 || count > 1 << 20) {
            throw new IOException("change count " + count);
        }
        List<RetainedReplica.Changed> changes = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            changes.add(readChange(in));
        }
        return new RetainedReplica.Confirm(changes, refs.read(in),
                new RetainedStore.Retained(in.readLong(), in.readBoolean()));
    }
}
