package io.courier.broker.serialization;

import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.Property;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.UserProperty;
import io.courier.protocol.session.Delivery;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The stored binary form of a {@link Message} and its 5.0 properties, shared by the serializers
 * of every entity that keeps messages in the journal.
 *
 * <pre>
 * string  topic
 * bytes   payload
 * byte    qos (0..2)
 * boolean retain
 * string  publisherId
 * long    expiresAtMillis ({@link Message#NEVER} = Long.MAX_VALUE)
 * int     property count, then per property: byte identifier, then the value by its wire type
 *         (Byte / Two Byte / Variable Byte Integer: int; Four Byte Integer: long; string;
 *         bytes; User Property: two strings)
 * </pre>
 *
 * Strings are an int length and UTF-8 bytes, not {@code writeUTF}: its modified UTF-8 stops at
 * 65,535 encoded bytes, which a legal MQTT string with supplementary characters can pass. MQTT
 * strings are well-formed UTF-16 (the decoder refuses ill-formed UTF-8), so the round trip is
 * exact. Properties are written in order: User Properties must be forwarded in the order they
 * arrived [MQTT-3.3.2-18].
 *
 * <p>The layout is versioned by the caller (the serializer's manifest); change it only with a
 * new manifest and a reader for the old one, because journals outlive builds.
 */
public final class MessageFormat {

    private MessageFormat() {
    }

    public static void write(DataOutput out, Message m) throws IOException {
        writeString(out, m.topic());
        writeBytes(out, m.payload());
        out.writeByte(m.qos().value());
        out.writeBoolean(m.retain());
        writeString(out, m.publisherId());
        out.writeLong(m.expiresAtMillis());
        writeProperties(out, m.properties());
    }

    public static Message read(DataInput in) throws IOException {
        String topic = readString(in);
        byte[] payload = readBytes(in);
        int qosValue = in.readUnsignedByte();
        Qos qos = Qos.ofValue(qosValue);
        if (qos == null) {
            throw new IOException("stored message with QoS " + qosValue);
        }
        boolean retain = in.readBoolean();
        String publisherId = readString(in);
        long expiresAt = in.readLong();
        MqttProperties properties = readProperties(in);
        return new Message(topic, payload, qos, retain, properties, publisherId, expiresAt);
    }

    /** A message or null: a presence flag, then {@link #write}. */
    public static void writeOptional(DataOutput out, Message m) throws IOException {
        out.writeBoolean(m != null);
        if (m != null) {
            write(out, m);
        }
    }

    public static Message readOptional(DataInput in) throws IOException {
        return in.readBoolean() ? read(in) : null;
    }

    /**
     * A {@link Delivery}: the message, then byte qos, boolean retain, short identifier count and
     * an int per Subscription Identifier.
     */
    public static void writeDelivery(DataOutput out, Delivery d) throws IOException {
        writeOptional(out, d.message());
        out.writeByte(d.qos().value());
        out.writeBoolean(d.retain());
        int[] ids = d.subscriptionIdentifiers();
        out.writeShort(ids.length);
        for (int id : ids) {
            out.writeInt(id);
        }
    }

    public static Delivery readDelivery(DataInput in) throws IOException {
        Message m = readOptional(in);
        Qos qos = Qos.ofValue(in.readUnsignedByte());
        boolean retain = in.readBoolean();
        int[] ids = new int[in.readUnsignedShort()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = in.readInt();
        }
        return new Delivery(m, qos, retain, ids);
    }

    /** Subscription options in one byte, laid out as the SUBSCRIBE options byte (3.8.3.1). */
    public static void writeOptions(DataOutput out, SubscriptionOptions o) throws IOException {
        out.writeByte(optionsByte(o));
    }

    public static SubscriptionOptions readOptions(DataInput in) throws IOException {
        return options(in.readUnsignedByte());
    }

    /** The options as one byte: QoS in bits 0-1, No Local 2, Retain As Published 3, Retain Handling 4-5. */
    public static int optionsByte(SubscriptionOptions o) {
        return o.qos().value() | (o.noLocal() ? 0x04 : 0) | (o.retainAsPublished() ? 0x08 : 0) | (o.retainHandling() << 4);
    }

    public static SubscriptionOptions options(int b) {
        return new SubscriptionOptions(Qos.ofValue(b & 0x03), (b & 0x04) != 0, (b & 0x08) != 0, (b >> 4) & 0x03);
    }

    public static void writeProperties(DataOutput out, MqttProperties props) throws IOException {
        out.writeInt(props.size());
        for (int i = 0; i < props.size(); i++) {
            Property p = props.get(i);
            out.writeByte(p.id().id());
            switch (p.id().type()) {
                case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> out.writeInt((Integer) p.value());
                case FOUR_BYTE_INTEGER -> out.writeLong((Long) p.value());
                case UTF8_STRING -> writeString(out, (String) p.value());
                case BINARY_DATA -> writeBytes(out, (byte[]) p.value());
                case UTF8_STRING_PAIR -> {
                    UserProperty u = (UserProperty) p.value();
                    writeString(out, u.name());
                    writeString(out, u.value());
                }
                default -> throw new IllegalStateException("no stored form for " + p.id().type());
            }
        }
    }

    public static MqttProperties readProperties(DataInput in) throws IOException {
        int count = in.readInt();
        if (count == 0) {
            return MqttProperties.EMPTY;
        }
        if (count < 0) {
            throw new IOException("negative property count " + count);
        }
        MqttProperties.Builder b = MqttProperties.builder();
        for (int i = 0; i < count; i++) {
            int code = in.readUnsignedByte();
            PropertyId id = PropertyId.ofId(code);
            if (id == null) {
                throw new IOException("unknown stored property 0x" + Integer.toHexString(code));
            }
            Object value = switch (id.type()) {
                case BYTE, TWO_BYTE_INTEGER, VARIABLE_BYTE_INTEGER -> in.readInt();
                case FOUR_BYTE_INTEGER -> in.readLong();
                case UTF8_STRING -> readString(in);
                case BINARY_DATA -> readBytes(in);
                case UTF8_STRING_PAIR -> new UserProperty(readString(in), readString(in));
            };
            b.add(new Property(id, value));
        }
        return b.build();
    }

    public static void writeString(DataOutput out, String s) throws IOException {
        writeBytes(out, s.getBytes(StandardCharsets.UTF_8));
    }

    public static String readString(DataInput in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    public static void writeBytes(DataOutput out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    public static byte[] readBytes(DataInput in) throws IOException {
        int length = in.readInt();
        if (length < 0) {
            throw new IOException("negative length " + length);
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }
}
