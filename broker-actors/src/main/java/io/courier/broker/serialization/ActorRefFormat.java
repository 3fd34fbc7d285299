package io.courier.broker.serialization;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * Actor references inside serialized messages: their full path (with the node's address), read
 * back through the {@link ActorRefResolver} of the receiving system.
 */
final class ActorRefFormat {

    private final ExtendedActorSystem system;
    private volatile ActorRefResolver resolver;

    ActorRefFormat(ExtendedActorSystem system) {
        this.system = system;
    }

    void write(DataOutput out, ActorRef<?> ref) throws IOException {
        MessageFormat.writeString(out, resolver().toSerializationFormat(ref));
    }

    <T> ActorRef<T> read(DataInput in) throws IOException {
        return resolver().resolveActorRef(MessageFormat.readString(in));
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
