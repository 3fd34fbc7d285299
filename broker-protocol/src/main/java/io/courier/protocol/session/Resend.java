package io.courier.protocol.session;

import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.PubRel;
import java.util.Objects;

/**
 * One packet to send again when a client resumes its session: every unacknowledged PUBLISH and
 * PUBREL, with its original packet identifier [MQTT-4.4.0-1]. See
 * {@link InflightWindow#resendOrder()}.
 */
public sealed interface Resend {

    int packetId();

    /** The packet to send at {@code nowMillis}. */
    MqttPacket toPacket(long nowMillis);

    /**
     * A PUBLISH whose PUBACK or PUBREC has not arrived: sent again with DUP=1 [MQTT-3.3.1-1] and the
     * expiry interval left now, even if the message has expired meanwhile, because its onward
     * delivery had started [MQTT-4.3.3-7].
     */
    record ResendPublish(int packetId, Delivery delivery) implements Resend {
        public ResendPublish {
            PacketIdSet.check(packetId);
            Objects.requireNonNull(delivery, "delivery");
        }

        @Override
        public MqttPacket toPacket(long nowMillis) {
            return delivery.toPublish(packetId, true, nowMillis);
        }
    }

    /**
     * A PUBREL whose PUBCOMP has not arrived; the PUBLISH itself must not be sent again
     * [MQTT-4.3.3-6].
     */
    record ResendPubRel(int packetId) implements Resend {
        public ResendPubRel {
            PacketIdSet.check(packetId);
        }

        @Override
        public MqttPacket toPacket(long nowMillis) {
            return PubRel.success(packetId);
        }
    }
}
