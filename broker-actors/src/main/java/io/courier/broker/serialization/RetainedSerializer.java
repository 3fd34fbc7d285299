package io.courier.broker.serialization;

import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.message.Message;
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
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.BaseSerializer$;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Binary form of the retained store's events and snapshot (journal) and of its commands and
 * replies (so the store can be asked from another node). Pekko 1.2 refuses Java serialization,
 * and a hand-written {@link MessageFormat} is smaller and faster than a generic one for the one
 * big thing here, the message.
 *
 * <p>Manifests carry a format version ({@code ...1}); a new layout gets a new manifest and this
 * class keeps reading the old ones. The identifier comes from
 * {@code pekko.actor.serialization-identifiers} (reference.conf of broker-actors).
 */
public final class RetainedSerializer extends SerializerWithStringManifest {

    static final String STORED = "MS1";
    static final String DELETED = "MD1";
    static final String STATE = "ST1";
    static final String RETAIN = "RT1";
    static final String RETAINED = "RD1";
    static final String STATS = "SQ1";
    static final String STATS_REPLY = "SR1";

    private final ExtendedActorSystem system;
    private final int identifier;
    private volatile ActorRefResolver resolver;

    public RetainedSerializer(ExtendedActorSystem system) {
        this.system = system;
        this.identifier = BaseSerializer$.MODULE$.identifierFromConfig(getClass(), system);
    }

    @Override
    public int identifier() {
        return identifier;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof RetainedStore.MessageStored) {
            return STORED;
        } else if (o instanceof RetainedStore.MessageDeleted) {
            return DELETED;
        } else if (o instanceof RetainedStore.State) {
            return STATE;
        } else if (o instanceof RetainedStore.Retain) {
            return RETAIN;
        } else if (o instanceof RetainedStore.Retained) {
            return RETAINED;
        } else if (o instanceof RetainedStore.Stats) {
            return STATS;
        } else if (o instanceof RetainedStore.StatsReply) {
            return STATS_REPLY;
        }
        throw new IllegalArgumentException("RetainedSerializer cannot serialize " + o.getClass().getName());
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (o instanceof RetainedStore.MessageStored e) {
                MessageFormat.write(out, e.message());
            } else if (o instanceof RetainedStore.MessageDeleted e) {
                MessageFormat.writeString(out, e.topic());
            } else if (o instanceof RetainedStore.State s) {
                out.writeInt(s.size());
                for (Message m : s.messages()) {
                    MessageFormat.write(out, m);
                }
            } else if (o instanceof RetainedStore.Retain c) {
                MessageFormat.write(out, c.message());
                MessageFormat.writeString(out, resolver().toSerializationFormat(c.replyTo()));
                out.writeLong(c.correlationId());
            } else if (o instanceof RetainedStore.Retained r) {
                out.writeLong(r.correlationId());
                out.writeBoolean(r.accepted());
            } else if (o instanceof RetainedStore.Stats c) {
                MessageFormat.writeString(out, resolver().toSerializationFormat(c.replyTo()));
            } else if (o instanceof RetainedStore.StatsReply r) {
                out.writeInt(r.messages());
                out.writeLong(r.bytes());
                out.writeLong(r.refused());
            } else {
                throw new IllegalArgumentException("RetainedSerializer cannot serialize " + o.getClass().getName());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return switch (manifest) {
                case STORED -> new RetainedStore.MessageStored(MessageFormat.read(in));
                case DELETED -> new RetainedStore.MessageDeleted(MessageFormat.readString(in));
                case STATE -> readState(in);
                case RETAIN -> new RetainedStore.Retain(MessageFormat.read(in),
                        resolver().<RetainedStore.Retained>resolveActorRef(MessageFormat.readString(in)), in.readLong());
                case RETAINED -> new RetainedStore.Retained(in.readLong(), in.readBoolean());
                case STATS -> new RetainedStore.Stats(
                        resolver().<RetainedStore.StatsReply>resolveActorRef(MessageFormat.readString(in)));
                case STATS_REPLY -> new RetainedStore.StatsReply(in.readInt(), in.readLong(), in.readLong());
                default -> throw new NotSerializableException("RetainedSerializer: unknown manifest " + manifest);
            };
        } catch (IOException e) {
            NotSerializableException failure = new NotSerializableException(
                    "RetainedSerializer: cannot read " + manifest + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
    }

    private static RetainedStore.State readState(DataInputStream in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new IOException("negative message count " + count);
        }
        List<Message> messages = new ArrayList<>(Math.min(count, 1 << 16));
        for (int i = 0; i < count; i++) {
            messages.add(MessageFormat.read(in));
        }
        return RetainedStore.State.of(messages);
    }

    /** Resolved late: serializers are built while the actor system is still starting. */
    private ActorRefResolver resolver() {
        ActorRefResolver r = resolver;
        if (r == null) {
            r = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = r;
        }
        return r;
    }
}
