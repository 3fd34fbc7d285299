package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PacketType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The fuzzers are only as good as their seeds: these must be valid and cover every packet. */
class FuzzSeedsTest {

    @Test
    @DisplayName("every hand-written seed packet's remaining length matches its bytes [MQTT-1.5.5-1]")
    void remainingLengthOfEverySeedPacketMatchesItsBody() {
        for (FuzzSeeds.Seed seed : FuzzSeeds.all()) {
            for (byte[] packet : seed.packets()) {
                int value = 0;
                int multiplier = 1;
                int index = 1;
                int b;
                do {
                    b = packet[index++] & 0xFF;
                    value += (b & 0x7F) * multiplier;
                    multiplier *= 128;
                } while ((b & 0x80) != 0);
                assertEquals(packet.length - index, value, () -> seed.name() + ": remaining length");
            }
        }
    }

    @Test
    void seedsCoverEveryPacketTypeOnTheSideThatReceivesIt() {
        Set<PacketType> toServer = EnumSet.noneOf(PacketType.class);
        Set<PacketType> toClient = EnumSet.noneOf(PacketType.class);
        for (FuzzSeeds.Seed seed : FuzzSeeds.all()) {
            for (byte[] packet : seed.packets()) {
                PacketType type = PacketType.ofValue((packet[0] & 0xFF) >> 4);
                (seed.side() == Side.SERVER ? toServer : toClient).add(type);
            }
        }
        assertEquals(EnumSet.of(PacketType.CONNECT, PacketType.PUBLISH, PacketType.PUBACK,
                PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBSCRIBE,
                PacketType.UNSUBSCRIBE, PacketType.PINGREQ, PacketType.DISCONNECT, PacketType.AUTH), toServer);
        assertEquals(EnumSet.of(PacketType.CONNACK, PacketType.PUBLISH, PacketType.PUBACK,
                PacketType.PUBREC, PacketType.PUBREL, PacketType.PUBCOMP, PacketType.SUBACK,
                PacketType.UNSUBACK, PacketType.PINGRESP, PacketType.DISCONNECT, PacketType.AUTH), toClient);
    }

    @Test
    void everySeedDecodesWholeWithoutRejectionAndSurvivesTheInvariants() {
        for (FuzzSeeds.Seed seed : FuzzSeeds.all()) {
            for (int split = 0; split < 8; split++) {
                DecoderInvariants.Outcome outcome = DecoderInvariants.check(seed.input().withSplitSeed(split));
                assertNull(outcome.rejection(), () -> seed.name() + " was rejected");
                List<MqttPacket> packets = outcome.packets();
                assertEquals(seed.packets().size(), packets.size(), () -> seed.name() + " decoded to " + packets);
                assertEquals(packets.size(), outcome.roundTrips(), () -> seed.name() + ": not every packet round-tripped");
                assertTrue(outcome.encoderRefusals() == 0, () -> seed.name() + ": encoder refused a valid packet");
            }
        }
    }
}
