package io.courier.broker.serialization;

import io.courier.broker.session.SessionCommand;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
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
 * The wire form of what travels between a connection and its session entity when they sit on
 * different nodes: every {@link SessionCommand}, the session's answers ({@code Stored},
 * {@code Qos2Verdict}, {@code Qos2Recorded}) and the {@link EngineInput} values a session sends
 * to its connection (session opened, deliveries, acknowledgements, takeover). These are never
 * journaled, so the layout may change between releases as long as a cluster runs one build;
 * the manifest names the type.
 *
 * <p>Messages use {@link MessageFormat}; actor addresses go through {@link WireRefs}; reason
 * codes are written as their wire byte and read back for the packet they belong to
 * ({@link ReasonCode#forPacket}), so a code that is not valid there cannot be smuggled in.
 * {@code EngineInput.PacketReceived} and {@code DecodeFailed} only ever come from the
 * connection's own socket and are refused here, so a wrong wiring fails loudly instead of
 * falling back to another serializer.
 */
public final class SessionMessageSerializer extends SerializerWithStringManifest {

    public static final int IDENTIFIER = 7302;

    private final WireRefs refs;

    public SessionMessageSerializer(ExtendedActorSystem system) {
        this.refs = new WireRefs(system);
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        if (o instanceof SessionCommand || o instanceof EngineInput || o instanceof SessionCommand.Stored
                || o instanceof SessionCommand.Qos2Verdict || o instanceof SessionCommand.Qos2Recorded) {
            if (o instanceof EngineInput.PacketReceived || o instanceof EngineInput.DecodeFailed) {
                throw new IllegalArgumentException(o.getClass().getSimpleName() + " never leaves its connection");
            }
            return (o instanceof EngineInput ? "E." : "S.") + o.getClass().getSimpleName();
        }
        throw new IllegalArgumentException("not a session message: " + o.getClass());
    }

    @Override
    public byte[] toBinary(Object o) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            if (o instanceof EngineInput e) {
                writeEngineInput(out, e);
            } else {
                writeSessionMessage(out, o);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Object o = manifest.startsWith("E.") ? readEngineInput(in, manifest.substring(2))
                    : manifest.startsWith("S.") ? readSessionMessage(in, manifest.substring(2)) : null;
            if (o == null) {
                throw new NotSerializableException("unknown session message manifest " + manifest);
            }
            return o;
        } catch (NotSerializableException e) {
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- session commands and their answers -------------------------------------------------

    private void writeSessionMessage(DataOutputStream out, Object o) throws IOException {
        if (o instanceof SessionCommand.Attach a) {
            refs.write(out, a.connection());
            out.writeByte(a.version().level());
            out.writeBoolean(a.cleanStart());
            out.writeLong(a.sessionExpirySeconds());
            MessageFormat.writeOptional(out, a.will());
            out.writeLong(a.willDelaySeconds());
            out.writeInt(a.receiveMaximum());
        } else if (o instanceof SessionCommand.Detach d) {
            refs.write(out, d.connection());
            out.writeByte(d.how().ordinal());
            out.writeLong(d.sessionExpirySeconds());
        } else if (o instanceof SessionCommand.Enqueue e) {
            MessageFormat.writeDelivery(out, e.delivery());
            refs.write(out, e.replyTo());
            out.writeLong(e.correlationId());
        } else if (o instanceof SessionCommand.Stored s) {
            out.writeLong(s.correlationId());
            out.writeBoolean(s.accepted());
        } else if (o instanceof SessionCommand.Subscribe s) {
            refs.write(out, s.connection());
            out.writeShort(s.packetId());
            out.writeInt(s.entries().size());
            for (Effect.SubscribeEntry entry : s.entries()) {
                MessageFormat.writeString(out, entry.topicFilter());
                MessageFormat.writeOptions(out, entry.options());
                writeCode(out, entry.rejected());
            }
            out.writeInt(s.subscriptionIdentifier());
        } else if (o instanceof SessionCommand.Unsubscribe u) {
            refs.write(out, u.connection());
            out.writeShort(u.packetId());
            out.writeInt(u.entries().size());
            for (Effect.UnsubscribeEntry entry : u.entries()) {
                MessageFormat.writeString(out, entry.topicFilter());
                writeCode(out, entry.rejected());
            }
        } else if (o instanceof SessionCommand.CheckInboundQos2 c) {
            out.writeShort(c.packetId());
            refs.write(out, c.replyTo());
        } else if (o instanceof SessionCommand.Qos2Verdict v) {
            out.writeShort(v.packetId());
            out.writeBoolean(v.duplicate());
        } else if (o instanceof SessionCommand.RecordInboundQos2 r) {
            out.writeShort(r.packetId());
            refs.write(out, r.replyTo());
        } else if (o instanceof SessionCommand.Qos2Recorded r) {
            out.writeShort(r.packetId());
        } else if (o instanceof SessionCommand.ReleaseInboundQos2 r) {
            refs.write(out, r.connection());
            out.writeShort(r.packetId());
        } else if (o instanceof SessionCommand.Acknowledge a) {
            refs.write(out, a.connection());
            out.writeShort(a.packetId());
            out.writeByte(a.kind().ordinal());
        } else if (!(o instanceof SessionCommand.Wake || o instanceof SessionCommand.WillDelayElapsed
                || o instanceof SessionCommand.ExpiryElapsed || o instanceof SessionCommand.RecoveredWhileAttached
                || o instanceof SessionCommand.HandOff)) {
            throw new IllegalArgumentException("cannot serialize " + o.getClass());
        }
    }

    private Object readSessionMessage(DataInputStream in, String type) throws IOException {
        return switch (type) {
            case "Attach" -> new SessionCommand.Attach(refs.read(in), version(in), in.readBoolean(), in.readLong(),
                    MessageFormat.readOptional(in), in.readLong(), in.readInt());
            case "Detach" -> new SessionCommand.Detach(refs.read(in), Effect.SessionEnd.values()[in.readUnsignedByte()],
                    in.readLong());
            case "Enqueue" -> new SessionCommand.Enqueue(MessageFormat.readDelivery(in), refs.read(in), in.readLong());
            case "Stored" -> new SessionCommand.Stored(in.readLong(), in.readBoolean());
            case "Subscribe" -> {
                var connection = refs.<EngineInput>read(in);
                int packetId = in.readUnsignedShort();
                List<Effect.SubscribeEntry> entries = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    entries.add(new Effect.SubscribeEntry(MessageFormat.readString(in), MessageFormat.readOptions(in),
                            readCode(in, PacketType.SUBACK)));
                }
                yield new SessionCommand.Subscribe(connection, packetId, entries, in.readInt());
            }
            case "Unsubscribe" -> {
                var connection = refs.<EngineInput>read(in);
                int packetId = in.readUnsignedShort();
                List<Effect.UnsubscribeEntry> entries = new ArrayList<>();
                for (int i = in.readInt(); i > 0; i--) {
                    entries.add(new Effect.UnsubscribeEntry(MessageFormat.readString(in), readCode(in, PacketType.UNSUBACK)));
                }
                yield new SessionCommand.Unsubscribe(connection, packetId, entries);
            }
            case "CheckInboundQos2" -> new SessionCommand.CheckInboundQos2(in.readUnsignedShort(), refs.read(in));
            case "Qos2Verdict" -> new SessionCommand.Qos2Verdict(in.readUnsignedShort(), in.readBoolean());
            case "RecordInboundQos2" -> new SessionCommand.RecordInboundQos2(in.readUnsignedShort(), refs.read(in));
            case "Qos2Recorded" -> new SessionCommand.Qos2Recorded(in.readUnsignedShort());
            case "ReleaseInboundQos2" -> new SessionCommand.ReleaseInboundQos2(refs.read(in), in.readUnsignedShort());
            case "Acknowledge" -> new SessionCommand.Acknowledge(refs.read(in), in.readUnsignedShort(),
                    Effect.OutboundAck.values()[in.readUnsignedByte()]);
            case "Wake" -> new SessionCommand.Wake();
            case "WillDelayElapsed" -> new SessionCommand.WillDelayElapsed();
            case "ExpiryElapsed" -> new SessionCommand.ExpiryElapsed();
            case "RecoveredWhileAttached" -> new SessionCommand.RecoveredWhileAttached();
            case "HandOff" -> new SessionCommand.HandOff();
            default -> null;
        };
    }

    // ---- what a session sends to its connection --------------------------------------------

    private static void writeEngineInput(DataOutputStream out, EngineInput e) throws IOException {
        if (e instanceof EngineInput.SessionOpened o) {
            out.writeBoolean(o.sessionPresent());
        } else if (e instanceof EngineInput.SessionRefused r) {
            writeCode(out, r.reason());
        } else if (e instanceof EngineInput.PublishSettled s) {
            out.writeShort(s.packetId());
            out.writeByte(s.qos().value());
            writeCode(out, s.reason());
            out.writeBoolean(s.duplicate());
        } else if (e instanceof EngineInput.InboundReleased r) {
            out.writeShort(r.packetId());
            out.writeBoolean(r.known());
        } else if (e instanceof EngineInput.Subscribed s) {
            out.writeShort(s.packetId());
            writeCodes(out, s.reasonCodes());
        } else if (e instanceof EngineInput.Unsubscribed u) {
            out.writeShort(u.packetId());
            writeCodes(out, u.reasonCodes());
        } else if (e instanceof EngineInput.Deliver d) {
            Publish p = d.publish();
            MessageFormat.writeString(out, p.topic());
            out.writeByte(p.qos().value());
            out.writeBoolean(p.retain());
            out.writeBoolean(p.dup());
            out.writeShort(p.packetId());
            MessageFormat.writeBytes(out, p.payload());
            MessageFormat.writeProperties(out, p.properties());
        } else if (e instanceof EngineInput.Release r) {
            out.writeShort(r.pubRel().packetId());
            writeCode(out, r.pubRel().reasonCode());
            MessageFormat.writeProperties(out, r.pubRel().properties());
        } else if (!(e instanceof EngineInput.TakenOver || e instanceof EngineInput.KeepAliveExpired
                || e instanceof EngineInput.ConnectTimeout || e instanceof EngineInput.ServerShuttingDown
                || e instanceof EngineInput.ConnectionLost)) {
            throw new IllegalArgumentException("cannot serialize " + e.getClass());
        }
    }

    private static EngineInput readEngineInput(DataInputStream in, String type) throws IOException {
        return switch (type) {
            case "SessionOpened" -> new EngineInput.SessionOpened(in.readBoolean());
            case "SessionRefused" -> new EngineInput.SessionRefused(readCode(in, PacketType.CONNACK));
            case "PublishSettled" -> {
                int packetId = in.readUnsignedShort();
                Qos qos = Qos.ofValue(in.readUnsignedByte());
                yield new EngineInput.PublishSettled(packetId, qos,
                        readCode(in, qos == Qos.EXACTLY_ONCE ? PacketType.PUBREC : PacketType.PUBACK), in.readBoolean());
            }
            case "InboundReleased" -> new EngineInput.InboundReleased(in.readUnsignedShort(), in.readBoolean());
            case "Subscribed" -> new EngineInput.Subscribed(in.readUnsignedShort(), readCodes(in, PacketType.SUBACK));
            case "Unsubscribed" -> new EngineInput.Unsubscribed(in.readUnsignedShort(), readCodes(in, PacketType.UNSUBACK));
            case "Deliver" -> new EngineInput.Deliver(new Publish(MessageFormat.readString(in),
                    Qos.ofValue(in.readUnsignedByte()), in.readBoolean(), in.readBoolean(), in.readUnsignedShort(),
                    MessageFormat.readBytes(in), MessageFormat.readProperties(in)));
            case "Release" -> new EngineInput.Release(new PubRel(in.readUnsignedShort(), readCode(in, PacketType.PUBREL),
                    MessageFormat.readProperties(in)));
            case "TakenOver" -> new EngineInput.TakenOver();
            case "KeepAliveExpired" -> new EngineInput.KeepAliveExpired();
            case "ConnectTimeout" -> new EngineInput.ConnectTimeout();
            case "ServerShuttingDown" -> new EngineInput.ServerShuttingDown();
            case "ConnectionLost" -> new EngineInput.ConnectionLost();
            default -> null;
        };
    }

    // ---- values ------------------------------------------------------------------------------

    private static MqttVersion version(DataInputStream in) throws IOException {
        int level = in.readUnsignedByte();
        MqttVersion v = MqttVersion.ofLevel(level);
        if (v == null) {
            throw new IOException("unknown protocol level " + level);
        }
        return v;
    }

    /** A reason code or null: -1, or the code's byte. */
    private static void writeCode(DataOutputStream out, ReasonCode code) throws IOException {
        out.writeShort(code == null ? -1 : code.code());
    }

    private static ReasonCode readCode(DataInputStream in, PacketType packet) throws IOException {
        int value = in.readShort();
        if (value < 0) {
            return null;
        }
        ReasonCode code = ReasonCode.forPacket(packet, value);
        if (code == null) {
            throw new IOException("reason code 0x" + Integer.toHexString(value) + " is not valid in " + packet);
        }
        return code;
    }

    private static void writeCodes(DataOutputStream out, List<ReasonCode> codes) throws IOException {
        out.writeInt(codes.size());
        for (ReasonCode c : codes) {
            writeCode(out, c);
        }
    }

    private static List<ReasonCode> readCodes(DataInputStream in, PacketType packet) throws IOException {
        int n = in.readInt();
        List<ReasonCode> codes = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            codes.add(readCode(in, packet));
        }
        return codes;
    }
}
