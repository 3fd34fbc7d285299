package io.courier.broker.serialization;

import io.courier.broker.retained.LegacyRetainedStore;
import io.courier.broker.retained.RetainedPartition;
import io.courier.broker.retained.RetainedReplica;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
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
        } else if (o instanceof RetainedPartition.Sync c) {
            out.writeLong(c.knownSeqNr());
            out.writeLong(c.request());
            refs.write(out, c.replyTo());
        } else if (o instanceof RetainedReplica.Changed c) {
            out.writeInt(c.partition());
            out.writeLong(c.seqNr());
            MessageFormat.writeString(out, c.topic());
            out.writeBoolean(c.message() != null);
            if (c.message() != null) {
                MessageFormat.write(out, c.message());
            }
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
            case RETAIN -> new RetainedPartition.Retain(MessageFormat.read(in), refs.read(in), in.readLong());
            case SYNC -> new RetainedPartition.Sync(in.readLong(), in.readLong(), refs.read(in));
            case CHANGED -> new RetainedReplica.Changed(in.readInt(), in.readLong(), MessageFormat.readString(in),
                    in.readBoolean() ? MessageFormat.read(in) : null);
            case CONTENTS -> new RetainedReplica.Contents(in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                    RetainedSerializer.readMessages(in), in.readBoolean());
            case UNCHANGED -> new RetainedReplica.Unchanged(in.readInt(), in.readLong(), in.readLong(), in.readLong());
            case MIGRATE -> new LegacyRetainedStore.Migrate(refs.read(in));
            case MIGRATED -> new LegacyRetainedStore.Done(in.readInt(), in.readInt(), in.readBoolean());
            default -> null;
        };
    }
}
