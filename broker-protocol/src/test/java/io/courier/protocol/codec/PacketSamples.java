package io.courier.protocol.codec;

import static io.courier.protocol.codec.SampleProperties.Edge.HIGHEST;
import static io.courier.protocol.codec.SampleProperties.Edge.LOWEST;
import static io.courier.protocol.codec.SampleProperties.NON_ASCII;
import static io.courier.protocol.codec.SampleProperties.binary;
import static io.courier.protocol.codec.SampleProperties.every;
import static java.nio.charset.StandardCharsets.UTF_8;

import io.courier.protocol.packet.Auth;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PingReq;
import io.courier.protocol.packet.PingResp;
import io.courier.protocol.packet.PubAck;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.PublishAck;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.packet.Subscribe;
import io.courier.protocol.packet.Subscription;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.packet.UnsubAck;
import io.courier.protocol.packet.Unsubscribe;
import io.courier.protocol.packet.Will;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import io.courier.protocol.property.PropertyScope;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * A catalogue of valid packets per protocol version and direction, for round trips, split
 * decoding and fuzz seeds. Together the two directions of a version hold every packet type that
 * version has (AUTH only in 5.0); each list uses only what its version can carry, so encoding
 * then decoding a sample must give the sample back.
 *
 * <ul>
 *   <li>3.1 and 3.1.1: empty properties, Success / Normal disconnection, CONNACK reasons that are
 *       3.1.1 return codes 0-5 (3.2.2.3), SUBACK grants 0-2 (and 0x80 as Unspecified error on
 *       3.1.1, which introduced it), UNSUBACK without reason codes, no password without a user
 *       name [MQTT-3.1.2-22]. 3.1 has no Session Present flag and needs a client id.</li>
 *   <li>5.0: every property each packet allows (from {@link PropertyId#isAllowedIn}), at both
 *       ends of each value range, every reason code each packet allows, a Will with properties,
 *       a password without a user name, Subscription Identifiers only server to client
 *       [MQTT-3.3.4-6], a PUBLISH naming its topic by alias only (3.3.2.3.4).</li>
 *   <li>Edges everywhere: payloads of 0 bytes, 4 KiB and 200 KiB, a 65,535-byte topic, packet
 *       identifiers 1 and 65535, Keep Alive 0 and 65535, remaining lengths on each side of a
 *       Variable Byte Integer length step (127/128, 16,383/16,384), a property length above
 *       16,383.</li>
 * </ul>
 *
 * <p>The first client-to-server sample of every version is a CONNECT, so the list (or
 * {@link #sampleStream}) can be fed straight to a server decoder. Samples are rebuilt on every
 * call; their byte arrays are fresh and may be kept.
 */
public final class PacketSamples {

    /** 65,535 bytes of UTF-8 (1 + 32,767 two-byte characters): the longest topic there is (1.5.4). */
    static final String LONGEST_TOPIC = "x" + "β".repeat(32_767);

    private PacketSamples() {
    }

    /** What a client may send in this version, CONNECT first. */
    public static List<MqttPacket> clientToServer(MqttVersion version) {
        List<MqttPacket> out = new ArrayList<>();
        out.addAll(connects(version));
        out.addAll(publishes(version, false));
        out.addAll(publishFlow(version));
        out.addAll(subscribes(version));
        out.addAll(unsubscribes(version));
        out.add(PingReq.INSTANCE);
        out.addAll(clientDisconnects(version));
        if (version.isV5()) {
            out.add(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, MqttProperties.builder()
                    .add(PropertyId.AUTHENTICATION_METHOD, "SCRAM-SHA-256")
                    .add(PropertyId.AUTHENTICATION_DATA, binary()).build()));
            out.add(new Auth(ReasonCode.RE_AUTHENTICATE, every(PropertyScope.AUTH, HIGHEST)));
            out.add(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, every(PropertyScope.AUTH, LOWEST)));
        }
        return out;
    }

    /** What a server may send in this version. */
    public static List<MqttPacket> serverToClient(MqttVersion version) {
        List<MqttPacket> out = new ArrayList<>();
        out.addAll(connAcks(version));
        out.addAll(publishes(version, true));
        out.addAll(publishFlow(version));
        out.addAll(subAcks(version));
        out.addAll(unsubAcks(version));
        out.add(PingResp.INSTANCE);
        if (version.isV5()) {
            out.addAll(serverDisconnects());
            // Success without properties: the two-byte short form (3.15.2.1).
            out.add(new Auth(ReasonCode.SUCCESS, MqttProperties.EMPTY));
            out.add(new Auth(ReasonCode.SUCCESS, every(PropertyScope.AUTH, HIGHEST)));
            out.add(new Auth(ReasonCode.CONTINUE_AUTHENTICATION, every(PropertyScope.AUTH, LOWEST)));
        }
        return out;
    }

    /** {@link #clientToServer} encoded back to back: a stream a server decoder accepts. */
    public static byte[] sampleStream(MqttVersion version) {
        return stream(clientToServer(version), version);
    }

    /** {@link #serverToClient} encoded back to back: a stream a client decoder accepts. */
    public static byte[] serverToClientStream(MqttVersion version) {
        return stream(serverToClient(version), version);
    }

    /** Packets encoded back to back with {@link MqttEncoder} (so only as right as the encoder). */
    public static byte[] stream(List<MqttPacket> packets, MqttVersion version) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (MqttPacket p : packets) {
            out.writeBytes(MqttEncoder.encode(p, version));
        }
        return out.toByteArray();
    }

    /**
     * A QoS 0 PUBLISH on topic "t" whose remaining length is exactly {@code remainingLength}:
     * topic length (2) + topic (1) + property length (1, 5.0 only) + payload.
     */
    public static Publish publishWithRemainingLength(MqttVersion version, int remainingLength) {
        int overhead = 2 + 1 + (version.isV5() ? 1 : 0);
        return Publish.atMostOnce("t", payload(remainingLength - overhead));
    }

    /** A patterned payload: a byte landing at the wrong offset does not go unnoticed. */
    public static byte[] payload(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + (i >>> 8));
        }
        return b;
    }

    // ---------------------------------------------------------------- client to server

    private static List<MqttPacket> connects(MqttVersion v) {
        MqttProperties none = MqttProperties.EMPTY;
        List<MqttPacket> out = new ArrayList<>();
        out.add(new Connect(v, "sensor-17", true, 60, null, null, null, none));
        // An empty client id asks the server to assign one; 3.1 requires 1-23 characters.
        String shortestId = v == MqttVersion.V3_1 ? "c" : "";
        out.add(new Connect(v, shortestId, true, 0, null, null, null, none));
        out.add(new Connect(v, "keep-alive-max", false, 0xFFFF, null, null, null, none));
        out.add(new Connect(v, "user-only", true, 30, "温度-user", null, null, none));
        out.add(new Connect(v, "user-empty-pw", true, 30, "", new byte[0], null, none));
        out.add(new Connect(v, "user-and-pw", false, 30, "alice", binary(), null, none));
        if (!v.isV5()) {
            out.add(new Connect(v, "will-3x", true, 10, "bob", "secret".getBytes(UTF_8),
                    new Will("will/" + NON_ASCII, "gone".getBytes(UTF_8), Qos.AT_LEAST_ONCE, true, none),
                    none));
            out.add(new Connect(v, "will-empty", false, 10, null, null,
                    new Will("w", new byte[0], Qos.AT_MOST_ONCE, false, none), none));
            return out;
        }
        // 5.0 allows a password without a user name (3.1.3.5).
        out.add(new Connect(v, "pw-only", true, 30, null, "token".getBytes(UTF_8), null, none));
        out.add(new Connect(v, "all-properties", false, 0xFFFF, NON_ASCII, binary(), null,
                every(PropertyScope.CONNECT, HIGHEST)));
        out.add(new Connect(v, "all-properties-low", true, 0, "", new byte[0], null,
                every(PropertyScope.CONNECT, LOWEST)));
        out.add(new Connect(v, "will-props", true, 60, "carol", "pw".getBytes(UTF_8),
                new Will("will/" + NON_ASCII, "温度 21.5°C".getBytes(UTF_8), Qos.EXACTLY_ONCE, true,
                        every(PropertyScope.WILL, HIGHEST)),
                every(PropertyScope.CONNECT, HIGHEST)));
        out.add(new Connect(v, "will-props-low", false, 1, null, null,
                new Will("w", new byte[0], Qos.AT_LEAST_ONCE, false, every(PropertyScope.WILL, LOWEST)),
                none));
        return out;
    }

    private static List<MqttPacket> subscribes(MqttVersion v) {
        MqttProperties none = MqttProperties.EMPTY;
        List<MqttPacket> out = new ArrayList<>();
        out.add(new Subscribe(1, List.of(new Subscription("a/b", SubscriptionOptions.of(Qos.AT_MOST_ONCE))), none));
        out.add(new Subscribe(0xFFFF, List.of(
                new Subscription("sport/+/player1", SubscriptionOptions.of(Qos.AT_LEAST_ONCE)),
                new Subscription("#", SubscriptionOptions.of(Qos.EXACTLY_ONCE)),
                new Subscription(NON_ASCII + "/#", SubscriptionOptions.of(Qos.AT_MOST_ONCE)),
                new Subscription("/", SubscriptionOptions.of(Qos.AT_LEAST_ONCE))), none));
        if (!v.isV5()) {
            return out;
        }
        // Every combination of the 5.0 options byte (3.8.3.1) that is not a Protocol Error.
        List<Subscription> allOptions = new ArrayList<>();
        int n = 0;
        for (Qos qos : Qos.values()) {
            for (int retainHandling = 0; retainHandling <= 2; retainHandling++) {
                for (int flags = 0; flags < 4; flags++) {
                    allOptions.add(new Subscription("opt/" + n++, new SubscriptionOptions(
                            qos, (flags & 1) != 0, (flags & 2) != 0, retainHandling)));
                }
            }
        }
        out.add(new Subscribe(2, allOptions, none));
        // No Local on a shared subscription is a Protocol Error [MQTT-3.8.3-4], so it stays 0.
        out.add(new Subscribe(3, List.of(new Subscription("$share/group/" + NON_ASCII,
                new SubscriptionOptions(Qos.EXACTLY_ONCE, false, true, 2))),
                every(PropertyScope.SUBSCRIBE, HIGHEST)));
        out.add(new Subscribe(4, List.of(new Subscription("a/+", SubscriptionOptions.of(Qos.AT_LEAST_ONCE))),
                every(PropertyScope.SUBSCRIBE, LOWEST)));
        return out;
    }

    private static List<MqttPacket> unsubscribes(MqttVersion v) {
        List<MqttPacket> out = new ArrayList<>();
        out.add(new Unsubscribe(1, List.of("a/b"), MqttProperties.EMPTY));
        out.add(new Unsubscribe(0xFFFF, List.of("sport/+/player1", "#", NON_ASCII + "/#", "$share/g/x"),
                MqttProperties.EMPTY));
        if (v.isV5()) {
            out.add(new Unsubscribe(2, List.of("a/+"), every(PropertyScope.UNSUBSCRIBE, HIGHEST)));
            out.add(new Unsubscribe(3, List.of("b"), every(PropertyScope.UNSUBSCRIBE, LOWEST)));
        }
        return out;
    }

    private static List<MqttPacket> clientDisconnects(MqttVersion v) {
        List<MqttPacket> out = new ArrayList<>();
        out.add(Disconnect.NORMAL);
        if (v.isV5()) {
            out.add(Disconnect.of(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE));
            out.add(Disconnect.of(ReasonCode.UNSPECIFIED_ERROR));
            // Server Reference names another server for the client; only a server sends it (3.14.2.2.5).
            Set<PropertyId> serverOnly = Set.of(PropertyId.SERVER_REFERENCE);
            out.add(new Disconnect(ReasonCode.NORMAL_DISCONNECTION,
                    every(PropertyScope.DISCONNECT, HIGHEST, serverOnly)));
            out.add(new Disconnect(ReasonCode.DISCONNECT_WITH_WILL_MESSAGE,
                    every(PropertyScope.DISCONNECT, LOWEST, serverOnly)));
        }
        return out;
    }

    // ---------------------------------------------------------------- both directions

    /**
     * PUBLISH samples. {@code fromServer}: 5.0 Subscription Identifiers are only sent to a
     * client; a server receiving one treats it as a Protocol Error [MQTT-3.3.4-6].
     */
    private static List<MqttPacket> publishes(MqttVersion v, boolean fromServer) {
        MqttProperties none = MqttProperties.EMPTY;
        List<MqttPacket> out = new ArrayList<>();
        out.add(new Publish("a/b", Qos.AT_MOST_ONCE, false, false, 0, new byte[0], none));
        out.add(new Publish("a/b", Qos.AT_LEAST_ONCE, false, false, 1, payload(4096), none));
        out.add(new Publish("big/" + NON_ASCII, Qos.EXACTLY_ONCE, true, true, 0xFFFF, payload(200 * 1024), none));
        out.add(new Publish(LONGEST_TOPIC, Qos.AT_LEAST_ONCE, false, true, 7, payload(3), none));
        out.add(new Publish(NON_ASCII, Qos.AT_MOST_ONCE, true, false, 0, "温度 21.5°C".getBytes(UTF_8), none));
        // A BOM is a character like any other and must survive [MQTT-1.5.4-3].
        out.add(new Publish("\uFEFFbom/topic", Qos.EXACTLY_ONCE, false, false, 1, payload(1), none));
        for (int remainingLength : new int[] {127, 128, 16_383, 16_384}) {
            out.add(publishWithRemainingLength(v, remainingLength));
        }
        if (!v.isV5()) {
            return out;
        }
        Set<PropertyId> leftOut = fromServer ? Set.of() : Set.of(PropertyId.SUBSCRIPTION_IDENTIFIER);
        out.add(new Publish("all/properties", Qos.AT_LEAST_ONCE, false, false, 0xFFFF,
                "温度 21.5°C".getBytes(UTF_8), every(PropertyScope.PUBLISH, HIGHEST, leftOut)));
        out.add(new Publish("all/properties/low", Qos.AT_MOST_ONCE, true, false, 0, new byte[0],
                every(PropertyScope.PUBLISH, LOWEST, leftOut)));
        // Topic named by alias only: empty topic plus Topic Alias (3.3.2.3.4).
        out.add(new Publish("", Qos.AT_LEAST_ONCE, false, false, 2, payload(10),
                MqttProperties.builder().add(PropertyId.TOPIC_ALIAS, 1).build()));
        // A property length above 16,383 takes three Variable Byte Integer bytes (2.2.2.1).
        out.add(new Publish("long/property", Qos.AT_MOST_ONCE, false, false, 0, payload(5),
                MqttProperties.builder().user("long", "v".repeat(16_384)).build()));
        return out;
    }

    /** PUBACK, PUBREC, PUBREL, PUBCOMP: both sides send all four. */
    private static List<MqttPacket> publishFlow(MqttVersion v) {
        List<MqttPacket> out = new ArrayList<>();
        for (int id : new int[] {1, 0xFFFF}) {
            out.add(PubAck.success(id));
            out.add(PubRec.success(id));
            out.add(PubRel.success(id));
            out.add(PubComp.success(id));
        }
        if (!v.isV5()) {
            return out;
        }
        for (PacketType type : List.of(PacketType.PUBACK, PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP)) {
            PropertyScope scope = PropertyScope.of(type);
            for (ReasonCode rc : reasonCodesOf(type)) {
                out.add(publishAck(type, 10, rc, MqttProperties.EMPTY));
            }
            ReasonCode failure = reasonCodesOf(type).get(reasonCodesOf(type).size() - 1);
            out.add(publishAck(type, 11, ReasonCode.SUCCESS, every(scope, HIGHEST)));
            out.add(publishAck(type, 12, failure, every(scope, LOWEST)));
        }
        return out;
    }

    // ---------------------------------------------------------------- server to client

    private static List<MqttPacket> connAcks(MqttVersion v) {
        List<MqttPacket> out = new ArrayList<>();
        if (!v.isV5()) {
            // The six 3.1.1 return codes (3.2.2.3); ofV3ConnectReturnCode gives them back.
            for (int returnCode = 0; returnCode <= 5; returnCode++) {
                out.add(new ConnAck(false, ReasonCode.ofV3ConnectReturnCode(returnCode), MqttProperties.EMPTY));
            }
            if (v == MqttVersion.V3_1_1) {
                // Session Present came with 3.1.1; 3.1 has a reserved byte there.
                out.add(new ConnAck(true, ReasonCode.SUCCESS, MqttProperties.EMPTY));
            }
            return out;
        }
        // A non-zero reason code comes with Session Present 0 [MQTT-3.2.2-6].
        for (ReasonCode rc : reasonCodesOf(PacketType.CONNACK)) {
            out.add(new ConnAck(false, rc, MqttProperties.EMPTY));
        }
        out.add(new ConnAck(true, ReasonCode.SUCCESS, every(PropertyScope.CONNACK, HIGHEST)));
        out.add(new ConnAck(false, ReasonCode.SUCCESS, every(PropertyScope.CONNACK, LOWEST)));
        out.add(new ConnAck(false, ReasonCode.SERVER_MOVED, every(PropertyScope.CONNACK, HIGHEST)));
        return out;
    }

    private static List<MqttPacket> subAcks(MqttVersion v) {
        MqttProperties none = MqttProperties.EMPTY;
        List<MqttPacket> out = new ArrayList<>();
        out.add(new SubAck(1, List.of(ReasonCode.GRANTED_QOS_0), none));
        if (v == MqttVersion.V3_1) {
            // 3.1 grants only; the failure return code 0x80 arrived with 3.1.1.
            out.add(new SubAck(0xFFFF, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.GRANTED_QOS_1,
                    ReasonCode.GRANTED_QOS_0), none));
        } else if (v == MqttVersion.V3_1_1) {
            out.add(new SubAck(0xFFFF, List.of(ReasonCode.GRANTED_QOS_2, ReasonCode.UNSPECIFIED_ERROR,
                    ReasonCode.GRANTED_QOS_1, ReasonCode.GRANTED_QOS_0), none));
        } else {
            out.add(new SubAck(0xFFFF, reasonCodesOf(PacketType.SUBACK), none));
            out.add(new SubAck(2, List.of(ReasonCode.GRANTED_QOS_1, ReasonCode.NOT_AUTHORIZED),
                    every(PropertyScope.SUBACK, HIGHEST)));
            out.add(new SubAck(3, List.of(ReasonCode.GRANTED_QOS_0), every(PropertyScope.SUBACK, LOWEST)));
        }
        return out;
    }

    private static List<MqttPacket> unsubAcks(MqttVersion v) {
        MqttProperties none = MqttProperties.EMPTY;
        List<MqttPacket> out = new ArrayList<>();
        if (!v.isV5()) {
            // 3.1.1 UNSUBACK has no payload (3.11.3): decoded, the list is empty.
            out.add(new UnsubAck(1, List.of(), none));
            out.add(new UnsubAck(0xFFFF, List.of(), none));
            return out;
        }
        out.add(new UnsubAck(1, List.of(ReasonCode.SUCCESS), none));
        out.add(new UnsubAck(0xFFFF, reasonCodesOf(PacketType.UNSUBACK), none));
        out.add(new UnsubAck(2, List.of(ReasonCode.NO_SUBSCRIPTION_EXISTED, ReasonCode.SUCCESS),
                every(PropertyScope.UNSUBACK, HIGHEST)));
        out.add(new UnsubAck(3, List.of(ReasonCode.SUCCESS), every(PropertyScope.UNSUBACK, LOWEST)));
        return out;
    }

    private static List<MqttPacket> serverDisconnects() {
        List<MqttPacket> out = new ArrayList<>();
        for (ReasonCode rc : reasonCodesOf(PacketType.DISCONNECT)) {
            out.add(Disconnect.of(rc));
        }
        // A server never sends Session Expiry Interval in DISCONNECT [MQTT-3.14.2-2].
        Set<PropertyId> clientOnly = Set.of(PropertyId.SESSION_EXPIRY_INTERVAL);
        out.add(new Disconnect(ReasonCode.SERVER_SHUTTING_DOWN, every(PropertyScope.DISCONNECT, HIGHEST, clientOnly)));
        out.add(new Disconnect(ReasonCode.USE_ANOTHER_SERVER, every(PropertyScope.DISCONNECT, LOWEST, clientOnly)));
        return out;
    }

    // ---------------------------------------------------------------- helpers

    /** Every reason code the spec allows in this packet, in ascending order of value. */
    static List<ReasonCode> reasonCodesOf(PacketType type) {
        return Arrays.stream(ReasonCode.values()).filter(rc -> rc.isValidFor(type)).toList();
    }

    private static MqttPacket publishAck(PacketType type, int id, ReasonCode rc, MqttProperties props) {
        return switch (type) {
            case PUBACK -> new PubAck(id, rc, props);
            case PUBREC -> new PubRec(id, rc, props);
            case PUBREL -> new PubRel(id, rc, props);
            case PUBCOMP -> new PubComp(id, rc, props);
            default -> throw new IllegalArgumentException(type + " is not a publish acknowledgement");
        };
    }

    /** A one-line name for a sample, short enough for a test report (long topics are cut). */
    public static String describe(MqttPacket packet) {
        // Pattern matching for switch is still a preview in Java 17, hence the instanceof chain.
        if (packet instanceof Connect c) {
            return "CONNECT id=" + quoted(c.clientId()) + " keepAlive=" + c.keepAliveSeconds()
                    + (c.cleanStart() ? " clean" : "")
                    + (c.userName() != null ? " user=" + quoted(c.userName()) : "")
                    + (c.password() != null ? " password=" + c.password().length + "B" : "")
                    + (c.will() != null ? " will(QoS" + c.will().qos().value() + ", "
                            + c.will().payload().length + "B," + props(c.will().properties()) + ")" : "")
                    + props(c.properties());
        } else if (packet instanceof ConnAck a) {
            return "CONNACK " + a.reasonCode() + (a.sessionPresent() ? " sessionPresent" : "")
                    + props(a.properties());
        } else if (packet instanceof Publish p) {
            return "PUBLISH QoS" + p.qos().value() + (p.packetId() != 0 ? " id=" + p.packetId() : "")
                    + (p.dup() ? " dup" : "") + (p.retain() ? " retain" : "")
                    + " topic=" + quoted(p.topic()) + " payload=" + p.payload().length + "B"
                    + props(p.properties());
        } else if (packet instanceof PublishAck a) {
            return a.type() + " id=" + a.packetId() + " " + a.reasonCode() + props(a.properties());
        } else if (packet instanceof Subscribe s) {
            return "SUBSCRIBE id=" + s.packetId() + " subscriptions=" + s.subscriptions().size()
                    + props(s.properties());
        } else if (packet instanceof SubAck s) {
            return "SUBACK id=" + s.packetId() + " codes=" + codes(s.reasonCodes()) + props(s.properties());
        } else if (packet instanceof Unsubscribe u) {
            return "UNSUBSCRIBE id=" + u.packetId() + " filters=" + u.topicFilters().size()
                    + props(u.properties());
        } else if (packet instanceof UnsubAck u) {
            return "UNSUBACK id=" + u.packetId() + " codes=" + codes(u.reasonCodes()) + props(u.properties());
        } else if (packet instanceof Disconnect d) {
            return "DISCONNECT " + d.reasonCode() + props(d.properties());
        } else if (packet instanceof Auth a) {
            return "AUTH " + a.reasonCode() + props(a.properties());
        }
        return packet.type().name(); // PINGREQ, PINGRESP
    }

    private static String codes(List<ReasonCode> codes) {
        return codes.size() <= 3 ? codes.toString() : codes.size() + " codes";
    }

    private static String props(MqttProperties props) {
        return props.isEmpty() ? "" : " properties=" + props.size();
    }

    private static String quoted(String s) {
        int bytes = s.getBytes(UTF_8).length;
        String shown = bytes <= 24 ? s : s.substring(0, 8) + "…";
        StringBuilder b = new StringBuilder("\"");
        // Invisible characters (the BOM sample) are spelled out so two names do not look alike.
        shown.codePoints().forEach(cp -> {
            int kind = Character.getType(cp);
            if (kind == Character.FORMAT || kind == Character.CONTROL) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
        });
        b.append('"');
        return bytes <= 24 ? b.toString() : b + "(" + bytes + "B)";
    }
}
