package io.courier.broker.serialization;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.UncheckedIOException;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.BaseSerializer$;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * A serializer that writes its types with {@link DataOutputStream} under a string manifest and
 * takes its identifier from {@code pekko.actor.serialization-identifiers}. Subclasses say which
 * manifest a type has and how it is written and read; a read that fails becomes the
 * {@link NotSerializableException} Pekko expects.
 */
abstract class BinarySerializer extends SerializerWithStringManifest {

    private final int identifier;
    protected final WireRefs refs;

    protected BinarySerializer(ExtendedActorSystem system) {
        this.identifier = BaseSerializer$.MODULE$.identifierFromConfig(getClass(), system);
        this.refs = new WireRefs(system);
    }

    /** Writes {@code o}, which {@link #manifest} accepted. */
    protected abstract void write(Object o, DataOutputStream out) throws IOException;

    /** Reads what {@link #write} wrote under {@code manifest}; null for an unknown manifest. */
    protected abstract Object read(String manifest, DataInputStream in) throws IOException;

    protected IllegalArgumentException cannotSerialize(Object o) {
        return new IllegalArgumentException(getClass().getSimpleName() + " cannot serialize " + o.getClass().getName());
    }

    @Override
    public final int identifier() {
        return identifier;
    }

    @Override
    public final byte[] toBinary(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(o, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    @Override
    public final Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        Object result;
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            result = read(manifest, in);
        } catch (IOException | RuntimeException e) {
            NotSerializableException failure = new NotSerializableException(
                    getClass().getSimpleName() + ": cannot read " + manifest + ": " + e.getMessage());
            failure.initCause(e);
            throw failure;
        }
        if (result == null) {
            throw new NotSerializableException(getClass().getSimpleName() + ": unknown manifest " + manifest);
        }
        return result;
    }
}
