package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Valid streams the fuzzers start from: every packet type in every version, in the direction it
 * travels (a server decodes a CONNECT and then what clients send; a client decodes what servers
 * send). Written by hand from the specs, never produced by our encoder, so that a bug in the
 * encoder cannot hide the same bug in the decoder.
 *
 * <p>Stop-gap: the shared catalogue {@code PacketSamples} (branch {@code roundtrip}) should
 * replace these once it lands; the fuzzers only need {@link #all()}.
 */
final class FuzzSeeds {

    /** A seed: the packets of one valid stream, kept apart so mutations can find their headers. */
    record Seed(String name, Side side, MqttVersion version, List<byte[]> packets) {

        byte[] stream() {
            return FuzzInput.concat(packets.toArray(new byte[0][]));
        }

        FuzzInput input() {
            return side == Side.SERVER ? FuzzInput.server(stream()) : FuzzInput.client(version, stream());
        }

        /** Offsets at which a packet (its fixed header) starts in {@link #stream()}. */
        int[] packetStarts() {
            int[] starts = new int[packets.size()];
            int offset = 0;
            for (int i = 0; i < starts.length; i++) {
                starts[i] = offset;
                offset += packets.get(i).length;
            }
            return starts;
        }
    }

    private FuzzSeeds() {
    }

    // ---- MQTT 3.1 and 3.1.1 -------------------------------------------------------------

    static final byte[] CONNECT_V31 = {
        0x10,                               // CONNECT
        0x10,                               // remaining length 16
        0x00, 0x06, 'M', 'Q', 'I', 's', 'd', 'p', // protocol name "MQIsdp" (3.1)
        0x03,                               // protocol level 3
        0x02,                               // flags: Clean Session
        0x00, 0x3C,                         // keep alive 60 s
        0x00, 0x02, 'c', '1'                // client identifier "c1"
    };

    static final byte[] CONNECT_V311_MINIMAL = {
        0x10,                               // CONNECT
        0x0E,                               // remaining length 14
        0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name "MQTT"
        0x04,                               // protocol level 4 (3.1.1)
        0x02,                               // flags: Clean Session
        0x00, 0x3C,                         // keep alive 60 s
        0x00, 0x02, 'c', '1'                // client identifier "c1"
    };

    static final byte[] CONNECT_V311_FULL = {
        0x10,                               // CONNECT
        0x1F,                               // remaining length 31
        0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name "MQTT"
        0x04,                               // protocol level 4 (3.1.1)
        (byte) 0xEE,                        // flags: user name, password, Will Retain, Will QoS 1, Will, Clean Session
        0x00, 0x3C,                         // keep alive 60 s
        0x00, 0x02, 'c', '1',               // client identifier "c1"
        0x00, 0x03, 'w', '/', 't',          // Will Topic "w/t"
        0x00, 0x03, 'b', 'y', 'e',          // Will Message "bye"
        0x00, 0x01, 'u',                    // user name "u"
        0x00, 0x02, 'p', 'w'                // password "pw"
    };

    static final byte[] PUBLISH_V3_QOS0 = {
        0x30,                               // PUBLISH, DUP 0, QoS 0, RETAIN 0
        0x07,                               // remaining length 7
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        'h', 'i'                            // payload "hi"
    };

    static final byte[] PUBLISH_V3_QOS1_RETAIN = {
        0x33,                               // PUBLISH, DUP 0, QoS 1, RETAIN 1
        0x09,                               // remaining length 9
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        0x00, 0x01,                         // packet identifier 1
        'h', 'i'                            // payload "hi"
    };

    static final byte[] PUBLISH_V3_QOS2_DUP = {
        0x3C,                               // PUBLISH, DUP 1, QoS 2, RETAIN 0
        0x09,                               // remaining length 9
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        0x00, 0x02,                         // packet identifier 2
        'h', 'i'                            // payload "hi"
    };

    /** A 200-byte payload, so the remaining length takes two bytes. */
    static final byte[] PUBLISH_V3_LONG = FuzzInput.concat(new byte[] {
        0x30,                               // PUBLISH, DUP 0, QoS 0, RETAIN 0
        (byte) 0xCD, 0x01,                  // remaining length 205 (0x4D + 1 * 128)
        0x00, 0x03, 'a', '/', 'b'           // topic name "a/b"
    }, filled(200, (byte) 'x'));            // payload: 200 times 'x'

    static final byte[] PUBACK_V3 = {
        0x40,                               // PUBACK
        0x02,                               // remaining length 2
        0x00, 0x01                          // packet identifier 1
    };

    static final byte[] PUBREC_V3 = {
        0x50,                               // PUBREC
        0x02,                               // remaining length 2
        0x00, 0x02                          // packet identifier 2
    };

    static final byte[] PUBREL_V3 = {
        0x62,                               // PUBREL, flags 0010 [MQTT-3.6.1-1]
        0x02,                               // remaining length 2
        0x00, 0x02                          // packet identifier 2
    };

    static final byte[] PUBCOMP_V3 = {
        0x70,                               // PUBCOMP
        0x02,                               // remaining length 2
        0x00, 0x02                          // packet identifier 2
    };

    static final byte[] SUBSCRIBE_V3 = {
        (byte) 0x82,                        // SUBSCRIBE, flags 0010 [MQTT-3.8.1-1]
        0x0C,                               // remaining length 12
        0x00, 0x0A,                         // packet identifier 10
        0x00, 0x03, 'a', '/', '+',          // topic filter "a/+"
        0x01,                               // requested QoS 1
        0x00, 0x01, '#',                    // topic filter "#"
        0x02                                // requested QoS 2
    };

    static final byte[] UNSUBSCRIBE_V3 = {
        (byte) 0xA2,                        // UNSUBSCRIBE, flags 0010 [MQTT-3.10.1-1]
        0x0A,                               // remaining length 10
        0x00, 0x0B,                         // packet identifier 11
        0x00, 0x03, 'a', '/', '+',          // topic filter "a/+"
        0x00, 0x01, '#'                     // topic filter "#"
    };

    static final byte[] PINGREQ = {
        (byte) 0xC0,                        // PINGREQ
        0x00                                // remaining length 0
    };

    static final byte[] DISCONNECT_EMPTY = {
        (byte) 0xE0,                        // DISCONNECT (3.x; in 5.0: Normal disconnection)
        0x00                                // remaining length 0
    };

    static final byte[] CONNACK_V3_ACCEPTED = {
        0x20,                               // CONNACK
        0x02,                               // remaining length 2
        0x00,                               // acknowledge flags: no session present
        0x00                                // return code 0: accepted
    };

    static final byte[] CONNACK_V311_SESSION_PRESENT = {
        0x20,                               // CONNACK
        0x02,                               // remaining length 2
        0x01,                               // acknowledge flags: session present
        0x00                                // return code 0: accepted
    };

    static final byte[] CONNACK_V3_NOT_AUTHORIZED = {
        0x20,                               // CONNACK
        0x02,                               // remaining length 2
        0x00,                               // acknowledge flags: none
        0x05                                // return code 5: not authorized
    };

    static final byte[] SUBACK_V3 = {
        (byte) 0x90,                        // SUBACK
        0x06,                               // remaining length 6
        0x00, 0x0A,                         // packet identifier 10
        0x00,                               // return code: granted QoS 0
        0x01,                               // return code: granted QoS 1
        0x02,                               // return code: granted QoS 2
        (byte) 0x80                         // return code: failure
    };

    static final byte[] UNSUBACK_V3 = {
        (byte) 0xB0,                        // UNSUBACK
        0x02,                               // remaining length 2
        0x00, 0x0B                          // packet identifier 11
    };

    static final byte[] PINGRESP = {
        (byte) 0xD0,                        // PINGRESP
        0x00                                // remaining length 0
    };

    // ---- MQTT 5.0 -----------------------------------------------------------------------

    static final byte[] CONNECT_V5_MINIMAL = {
        0x10,                               // CONNECT
        0x0F,                               // remaining length 15
        0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name "MQTT"
        0x05,                               // protocol level 5
        0x02,                               // flags: Clean Start
        0x00, 0x3C,                         // keep alive 60 s
        0x00,                               // property length 0
        0x00, 0x02, 'c', '1'                // client identifier "c1"
    };

    static final byte[] CONNECT_V5_FULL = {
        0x10,                               // CONNECT
        0x3E,                               // remaining length 62
        0x00, 0x04, 'M', 'Q', 'T', 'T',     // protocol name "MQTT"
        0x05,                               // protocol level 5
        (byte) 0xCE,                        // flags: user name, password, Will QoS 1, Will, Clean Start
        0x00, 0x3C,                         // keep alive 60 s
        0x0F,                               // property length 15
        0x11, 0x00, 0x00, 0x00, 0x78,       //   Session Expiry Interval 120 s
        0x21, 0x00, 0x0A,                   //   Receive Maximum 10
        0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property "k" = "v"
        0x00, 0x02, 'c', '1',               // client identifier "c1"
        0x0E,                               // Will property length 14
        0x18, 0x00, 0x00, 0x00, 0x05,       //   Will Delay Interval 5 s
        0x01, 0x01,                         //   Payload Format Indicator 1 (UTF-8)
        0x03, 0x00, 0x04, 't', 'e', 'x', 't', // Content Type "text"
        0x00, 0x03, 'w', '/', 't',          // Will Topic "w/t"
        0x00, 0x03, 'b', 'y', 'e',          // Will Payload "bye"
        0x00, 0x01, 'u',                    // user name "u"
        0x00, 0x02, 'p', 'w'                // password "pw"
    };

    static final byte[] PUBLISH_V5_QOS0 = {
        0x30,                               // PUBLISH, DUP 0, QoS 0, RETAIN 0
        0x08,                               // remaining length 8
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        0x00,                               // property length 0
        'h', 'i'                            // payload "hi"
    };

    static final byte[] PUBLISH_V5_QOS1_PROPERTIES = {
        0x32,                               // PUBLISH, DUP 0, QoS 1, RETAIN 0
        0x28,                               // remaining length 40
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        0x00, 0x07,                         // packet identifier 7
        0x1E,                               // property length 30
        0x01, 0x01,                         //   Payload Format Indicator 1 (UTF-8)
        0x02, 0x00, 0x00, 0x00, 0x3C,       //   Message Expiry Interval 60 s
        0x23, 0x00, 0x01,                   //   Topic Alias 1
        0x08, 0x00, 0x01, 'r',              //   Response Topic "r"
        0x09, 0x00, 0x02, 0x01, 0x02,       //   Correlation Data {1, 2}
        0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property "k" = "v"
        0x03, 0x00, 0x01, 'j',              //   Content Type "j"
        'h', 'i'                            // payload "hi"
    };

    static final byte[] PUBLISH_V5_TOPIC_ALIAS_ONLY = {
        0x30,                               // PUBLISH, DUP 0, QoS 0, RETAIN 0
        0x08,                               // remaining length 8
        0x00, 0x00,                         // topic name "" (named by the alias, 3.3.2.3.4)
        0x03,                               // property length 3
        0x23, 0x00, 0x01,                   //   Topic Alias 1
        'h', 'i'                            // payload "hi"
    };

    /** Server to client only: a server must reject a Subscription Identifier [MQTT-3.3.4-6]. */
    static final byte[] PUBLISH_V5_SUBSCRIPTION_IDENTIFIER = {
        0x30,                               // PUBLISH, DUP 0, QoS 0, RETAIN 0
        0x0A,                               // remaining length 10
        0x00, 0x03, 'a', '/', 'b',          // topic name "a/b"
        0x02,                               // property length 2
        0x0B, 0x05,                         //   Subscription Identifier 5
        'h', 'i'                            // payload "hi"
    };

    static final byte[] PUBACK_V5_REASON_PROPERTIES = {
        0x40,                               // PUBACK
        0x09,                               // remaining length 9
        0x00, 0x01,                         // packet identifier 1
        0x10,                               // reason code 0x10 No matching subscribers
        0x05,                               // property length 5
        0x1F, 0x00, 0x02, 'n', 'o'          //   Reason String "no"
    };

    static final byte[] PUBREC_V5_REASON_ONLY = {
        0x50,                               // PUBREC
        0x03,                               // remaining length 3
        0x00, 0x02,                         // packet identifier 2
        (byte) 0x80                         // reason code 0x80 Unspecified error; no property length (3.5.2.2.1)
    };

    static final byte[] PUBREL_V5_EMPTY_PROPERTIES = {
        0x62,                               // PUBREL, flags 0010
        0x04,                               // remaining length 4
        0x00, 0x02,                         // packet identifier 2
        (byte) 0x92,                        // reason code 0x92 Packet Identifier not found
        0x00                                // property length 0
    };

    static final byte[] PUBCOMP_V5_SHORT = {
        0x70,                               // PUBCOMP
        0x02,                               // remaining length 2: reason Success, no properties (3.7.2.1)
        0x00, 0x02                          // packet identifier 2
    };

    static final byte[] SUBSCRIBE_V5 = {
        (byte) 0x82,                        // SUBSCRIBE, flags 0010
        0x16,                               // remaining length 22
        0x00, 0x0A,                         // packet identifier 10
        0x09,                               // property length 9
        0x0B, 0x07,                         //   Subscription Identifier 7
        0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property "k" = "v"
        0x00, 0x03, 'a', '/', '+',          // topic filter "a/+"
        0x1D,                               // options: Retain Handling 1, Retain As Published, No Local, QoS 1
        0x00, 0x01, '#',                    // topic filter "#"
        0x22                                // options: Retain Handling 2, QoS 2
    };

    static final byte[] UNSUBSCRIBE_V5 = {
        (byte) 0xA2,                        // UNSUBSCRIBE, flags 0010
        0x0F,                               // remaining length 15
        0x00, 0x0B,                         // packet identifier 11
        0x07,                               // property length 7
        0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property "k" = "v"
        0x00, 0x03, 'a', '/', '+'           // topic filter "a/+"
    };

    static final byte[] DISCONNECT_V5_SESSION_EXPIRY = {
        (byte) 0xE0,                        // DISCONNECT
        0x07,                               // remaining length 7
        0x00,                               // reason code 0x00 Normal disconnection
        0x05,                               // property length 5
        0x11, 0x00, 0x00, 0x00, 0x00        //   Session Expiry Interval 0
    };

    static final byte[] AUTH_V5_EMPTY = {
        (byte) 0xF0,                        // AUTH
        0x00                                // remaining length 0: Success, no properties (3.15.2.1)
    };

    static final byte[] AUTH_V5_CONTINUE = {
        (byte) 0xF0,                        // AUTH
        0x0B,                               // remaining length 11
        0x18,                               // reason code 0x18 Continue authentication
        0x09,                               // property length 9
        0x15, 0x00, 0x01, 'm',              //   Authentication Method "m"
        0x16, 0x00, 0x02, 0x01, 0x02        //   Authentication Data {1, 2}
    };

    static final byte[] CONNACK_V5_PROPERTIES = {
        0x20,                               // CONNACK
        0x41,                               // remaining length 65
        0x00,                               // acknowledge flags: no session present
        0x00,                               // reason code 0x00 Success
        0x3E,                               // property length 62
        0x11, 0x00, 0x00, 0x00, 0x3C,       //   Session Expiry Interval 60 s
        0x21, 0x00, 0x14,                   //   Receive Maximum 20
        0x24, 0x01,                         //   Maximum QoS 1
        0x25, 0x01,                         //   Retain Available 1
        0x27, 0x00, 0x00, 0x10, 0x00,       //   Maximum Packet Size 4096
        0x12, 0x00, 0x02, 'i', 'd',         //   Assigned Client Identifier "id"
        0x22, 0x00, 0x0A,                   //   Topic Alias Maximum 10
        0x1F, 0x00, 0x02, 'o', 'k',         //   Reason String "ok"
        0x26, 0x00, 0x01, 'k', 0x00, 0x01, 'v', // User Property "k" = "v"
        0x28, 0x01,                         //   Wildcard Subscription Available 1
        0x29, 0x01,                         //   Subscription Identifier Available 1
        0x2A, 0x01,                         //   Shared Subscription Available 1
        0x13, 0x00, 0x1E,                   //   Server Keep Alive 30 s
        0x1A, 0x00, 0x01, 'r',              //   Response Information "r"
        0x1C, 0x00, 0x01, 's',              //   Server Reference "s"
        0x15, 0x00, 0x01, 'm',              //   Authentication Method "m"
        0x16, 0x00, 0x01, 0x2A              //   Authentication Data {42}
    };

    static final byte[] CONNACK_V5_REFUSED = {
        0x20,                               // CONNACK
        0x03,                               // remaining length 3
        0x00,                               // acknowledge flags: none
        (byte) 0x84,                        // reason code 0x84 Unsupported Protocol Version
        0x00                                // property length 0
    };

    static final byte[] SUBACK_V5 = {
        (byte) 0x90,                        // SUBACK
        0x0E,                               // remaining length 14
        0x00, 0x0A,                         // packet identifier 10
        0x05,                               // property length 5
        0x1F, 0x00, 0x02, 'o', 'k',         //   Reason String "ok"
        0x00,                               // Granted QoS 0
        0x01,                               // Granted QoS 1
        0x02,                               // Granted QoS 2
        (byte) 0x80,                        // Unspecified error
        (byte) 0x8F,                        // Topic Filter invalid
        (byte) 0x97                         // Quota exceeded
    };

    static final byte[] UNSUBACK_V5 = {
        (byte) 0xB0,                        // UNSUBACK
        0x05,                               // remaining length 5
        0x00, 0x0B,                         // packet identifier 11
        0x00,                               // property length 0
        0x00,                               // Success
        0x11                                // No subscription existed
    };

    static final byte[] DISCONNECT_V5_FROM_SERVER = {
        (byte) 0xE0,                        // DISCONNECT
        0x0A,                               // remaining length 10
        (byte) 0x8E,                        // reason code 0x8E Session taken over
        0x08,                               // property length 8
        0x1F, 0x00, 0x01, 'x',              //   Reason String "x"
        0x1C, 0x00, 0x01, 's'               //   Server Reference "s"
    };

    /** Every seed: each packet on its own (after a CONNECT on a server), then all in one stream. */
    static List<Seed> all() {
        List<Seed> seeds = new ArrayList<>();
        List<byte[]> v3ClientToServer = List.of(PUBLISH_V3_QOS0, PUBLISH_V3_QOS1_RETAIN,
                PUBLISH_V3_QOS2_DUP, PUBLISH_V3_LONG, PUBACK_V3, PUBREC_V3, PUBREL_V3, PUBCOMP_V3,
                SUBSCRIBE_V3, UNSUBSCRIBE_V3, PINGREQ, DISCONNECT_EMPTY);
        List<byte[]> v3ServerToClient = List.of(CONNACK_V3_ACCEPTED, CONNACK_V3_NOT_AUTHORIZED,
                PUBLISH_V3_QOS0, PUBLISH_V3_QOS1_RETAIN, PUBLISH_V3_QOS2_DUP, PUBLISH_V3_LONG,
                PUBACK_V3, PUBREC_V3, PUBREL_V3, PUBCOMP_V3, SUBACK_V3, UNSUBACK_V3, PINGRESP);
        List<byte[]> v5ClientToServer = List.of(PUBLISH_V5_QOS0, PUBLISH_V5_QOS1_PROPERTIES,
                PUBLISH_V5_TOPIC_ALIAS_ONLY, PUBACK_V5_REASON_PROPERTIES, PUBREC_V5_REASON_ONLY,
                PUBREL_V5_EMPTY_PROPERTIES, PUBCOMP_V5_SHORT, SUBSCRIBE_V5, UNSUBSCRIBE_V5,
                PINGREQ, DISCONNECT_V5_SESSION_EXPIRY, DISCONNECT_EMPTY, AUTH_V5_EMPTY, AUTH_V5_CONTINUE);
        List<byte[]> v5ServerToClient = List.of(CONNACK_V5_PROPERTIES, CONNACK_V5_REFUSED,
                PUBLISH_V5_QOS0, PUBLISH_V5_QOS1_PROPERTIES, PUBLISH_V5_TOPIC_ALIAS_ONLY,
                PUBLISH_V5_SUBSCRIPTION_IDENTIFIER, PUBACK_V5_REASON_PROPERTIES, PUBREC_V5_REASON_ONLY,
                PUBREL_V5_EMPTY_PROPERTIES, PUBCOMP_V5_SHORT, SUBACK_V5, UNSUBACK_V5, PINGRESP,
                DISCONNECT_V5_FROM_SERVER, DISCONNECT_EMPTY, AUTH_V5_EMPTY, AUTH_V5_CONTINUE);

        addServer(seeds, "3.1", CONNECT_V31, v3ClientToServer);
        addServer(seeds, "3.1.1", CONNECT_V311_MINIMAL, v3ClientToServer);
        seeds.add(new Seed("server 3.1.1 full CONNECT", Side.SERVER, null, List.of(CONNECT_V311_FULL)));
        addServer(seeds, "5.0", CONNECT_V5_MINIMAL, v5ClientToServer);
        seeds.add(new Seed("server 5.0 full CONNECT", Side.SERVER, null, List.of(CONNECT_V5_FULL, PUBLISH_V5_QOS0)));
        addClient(seeds, MqttVersion.V3_1, v3ServerToClient);
        addClient(seeds, MqttVersion.V3_1_1, v3ServerToClient);
        seeds.add(new Seed("client 3.1.1 session present", Side.CLIENT, MqttVersion.V3_1_1,
                List.of(CONNACK_V311_SESSION_PRESENT)));
        addClient(seeds, MqttVersion.V5, v5ServerToClient);
        return seeds;
    }

    private static void addServer(List<Seed> seeds, String version, byte[] connect, List<byte[]> packets) {
        for (int i = 0; i < packets.size(); i++) {
            seeds.add(new Seed("server " + version + " #" + i, Side.SERVER, null, List.of(connect, packets.get(i))));
        }
        List<byte[]> stream = new ArrayList<>();
        stream.add(connect);
        stream.addAll(packets);
        seeds.add(new Seed("server " + version + " stream", Side.SERVER, null, stream));
    }

    private static void addClient(List<Seed> seeds, MqttVersion version, List<byte[]> packets) {
        for (int i = 0; i < packets.size(); i++) {
            seeds.add(new Seed("client " + version + " #" + i, Side.CLIENT, version, List.of(packets.get(i))));
        }
        seeds.add(new Seed("client " + version + " stream", Side.CLIENT, version, packets));
    }

    private static byte[] filled(int length, byte value) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
