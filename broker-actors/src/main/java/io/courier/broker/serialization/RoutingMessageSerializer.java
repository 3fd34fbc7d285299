package io.courier.broker.serialization;

import io.courier.broker.routing.NodeRouter;
import io.courier.broker.routing.Route;
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
 * The wire form of a {@link NodeRouter.Forward}, the one message a publish sends to each other
 * interested node:
 * <pre>
 * message     {@link MessageFormat}
 * string      replyTo ({@link WireRefs}; empty: nobody waits)
 * long        correlationId
 * boolean     plain
 * int         pick count, then per pick: string clientId, byte options, int subscription identifier
 * </pre>
 * Never journaled; a cluster runs one build.
 */
public final class RoutingMessageSerializer extends SerializerWithStringManifest {

    public static final int IDENTIFIER = 7303;
    private static final String FORWARD = "Forward";

    private final WireRefs refs;

    public RoutingMessageSerializer(ExtendedActorSystem system) {
        this.refs = new WireRefs(system);
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof NodeRouter.Forward) {
            return FORWARD;
        }
        throw new IllegalArgumentException("not a routing message: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof NodeRouter.Forward f)) {
            throw new IllegalArgumentException("not a routing message: " + o.getClass());
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + f.message().payload().length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            MessageFormat.write(out, f.message());
            refs.write(out, f.replyTo());
            out.writeLong(f.correlationId());
            out.writeBoolean(f.plain());
            out.writeInt(f.picks().size());
            for (NodeRouter.SharedPick p : f.picks()) {
                MessageFormat.writeString(out, p.clientId());
                MessageFormat.writeOptions(out, p.route().options());
                out.writeInt(p.route().subscriptionIdentifier());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        if (!FORWARD.equals(manifest)) {
            throw new NotSerializableException("unknown routing message manifest " + manifest);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            var message = MessageFormat.read(in);
            var replyTo = refs.<io.courier.broker.session.SessionCommand.Stored>read(in);
            long correlationId = in.readLong();
            boolean plain = in.readBoolean();
            int n = in.readInt();
            List<NodeRouter.SharedPick> picks = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                picks.add(new NodeRouter.SharedPick(MessageFormat.readString(in),
                        new Route(MessageFormat.readOptions(in), in.readInt())));
            }
            return new NodeRouter.Forward(message, replyTo, correlationId, plain, picks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
