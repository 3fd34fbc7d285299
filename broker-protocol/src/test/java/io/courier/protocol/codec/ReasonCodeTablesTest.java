package io.courier.protocol.codec;

import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejectedAfterConnect;
import static io.courier.protocol.codec.DecodeEncodeAssertions.bytes;
import static io.courier.protocol.codec.DecodeEncodeAssertions.client;
import static io.courier.protocol.codec.DecodeEncodeAssertions.assertRejected;
import static io.courier.protocol.packet.MqttVersion.V5;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.PacketType;
import io.courier.protocol.packet.PubComp;
import io.courier.protocol.packet.PubRec;
import io.courier.protocol.packet.PubRel;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.packet.SubAck;
import io.courier.protocol.property.MqttProperties;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The 5.0 reason code tables, typed in again from the specification (3.2.2.2, 3.5.2.1, 3.6.2.1,
 * 3.7.2.1, 3.9.3, 3.15.2.1) and held against {@link ReasonCode}: a packet of these types cannot
 * even be built with a code its table does not list, so whatever the server sends uses a listed
 * one; and the decoder refuses an unlisted code from the peer (0x81).
 */
class ReasonCodeTablesTest {

    private static Set<Integer> listedFor(PacketType type) {
        return Arrays.stream(ReasonCode.values()).filter(c -> c.isValidFor(type)).map(ReasonCode::code)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> table(int... codes) {
        return Arrays.stream(codes).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    @DisplayName("[MQTT-3.2.2-8] 5.0 CONNACK: only the Connect Reason Codes of 3.2.2.2; a ConnAck with another cannot "
            + "be built")
    void connAckTable() {
        assertEquals(table(0x00, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8C, 0x90, 0x95,
                0x97, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9F), listedFor(PacketType.CONNACK));
        for (ReasonCode c : ReasonCode.values()) {
            if (!c.isValidFor(PacketType.CONNACK)) {
                assertThrows(IllegalArgumentException.class, () -> new ConnAck(false, c, MqttProperties.EMPTY), c.name());
            }
        }
    }

    @Test
    @DisplayName("[MQTT-3.5.2-1] [MQTT-3.6.2-1] [MQTT-3.7.2-1] 5.0 PUBREC, PUBREL and PUBCOMP: only their listed "
            + "codes, when built and when decoded (0x81 otherwise)")
    void qos2AckTables() {
        assertEquals(table(0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99), listedFor(PacketType.PUBREC));
        assertEquals(table(0x00, 0x92), listedFor(PacketType.PUBREL));
        assertEquals(table(0x00, 0x92), listedFor(PacketType.PUBCOMP));
        for (ReasonCode c : ReasonCode.values()) {
            if (!c.isValidFor(PacketType.PUBREC)) {
                assertThrows(IllegalArgumentException.class, () -> new PubRec(1, c, MqttProperties.EMPTY), c.name());
            }
            if (!c.isValidFor(PacketType.PUBREL)) {
                assertThrows(IllegalArgumentException.class, () -> new PubRel(1, c, MqttProperties.EMPTY), c.name());
            }
            if (!c.isValidFor(PacketType.PUBCOMP)) {
                assertThrows(IllegalArgumentException.class, () -> new PubComp(1, c, MqttProperties.EMPTY), c.name());
            }
        }
        // From the client (server side decodes): PUBREC 0x92, PUBREL 0x10, PUBCOMP 0x87 are unlisted.
        assertRejectedAfterConnect(V5, bytes(0x50, 0x03, 0x00, 0x01, 0x92), ReasonCode.MALFORMED_PACKET);
        assertRejectedAfterConnect(V5, bytes(0x62, 0x03, 0x00, 0x01, 0x10), ReasonCode.MALFORMED_PACKET);
        assertRejectedAfterConnect(V5, bytes(0x70, 0x03, 0x00, 0x01, 0x87), ReasonCode.MALFORMED_PACKET);
    }

    @Test
    @DisplayName("[MQTT-3.9.3-2] 5.0 SUBACK: only the Subscribe Reason Codes of 3.9.3, when built and when decoded")
    void subAckTable() {
        assertEquals(table(0x00, 0x01, 0x02, 0x80, 0x83, 0x87, 0x8F, 0x91, 0x97, 0x9E, 0xA1, 0xA2),
                listedFor(PacketType.SUBACK));
        for (ReasonCode c : ReasonCode.values()) {
            if (!c.isValidFor(PacketType.SUBACK)) {
                assertThrows(IllegalArgumentException.class,
                        () -> new SubAck(1, List.of(c), MqttProperties.EMPTY), c.name());
            }
        }
        // A client decoding a SUBACK with 0x11 (an UNSUBACK code): id 1, no properties, code 0x11.
        assertRejected(client(V5), bytes(0x90, 0x04, 0x00, 0x01, 0x00, 0x11), ReasonCode.MALFORMED_PACKET);
    }
}
