package io.courier.broker.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Actor addresses inside serialized messages, through {@link ActorRefResolver} (the address with
 * host and port, so the receiving node can answer). Null is written as an empty string: an
 * {@code Enqueue} without anyone waiting for its {@code Stored}.
 */
final class WireRefs {

    private final ExtendedActorSystem system;
    /** Looked up on first use: the extension must not be created while serializers are being built. */
    private volatile ActorRefResolver resolver;

    WireRefs(ExtendedActorSystem system) {
        this.system = system;
    }

    void write(DataOutput out, ActorRef<?> ref) throws IOException {
        MessageFormat.writeString(out, ref == null ? "" : resolver().toSerializationFormat(ref));
    }

    <T> ActorRef<T> read(DataInput in) throws IOException {
        String path = MessageFormat.readString(in);
        return path.isEmpty() ? null : resolver().resolveActorRef(path);
    }

    private ActorRefResolver resolver() {
        ActorRefResolver r = resolver;
        if (r == null) {
            r = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = r;
        }
        return r;
    }
}
