package io.courier.broker.session;

import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.session.Delivery;
import java.util.function.Consumer;

/** The retained messages a new subscription receives (spec 3.3.1.3). */
final class RetainedDelivery {

    private RetainedDelivery() {
    }

    /**
     * Every unexpired retained message matching the subscription, with RETAIN set
     * [MQTT-3.3.1-8] and the QoS the subscription grants [MQTT-3.8.4-8].
     */
    static void forEach(RetainedIndex<Message> retained, SubscribeOutcome.Added added, long nowMillis,
                        Consumer<Delivery> out) {
        int[] ids = added.route().subscriptionIdentifier() > 0 ? new int[] {added.route().subscriptionIdentifier()} : null;
        retained.forEachMatching(added.filter().filter(), (topic, message) -> {
            if (!message.isExpired(nowMillis)) {
                out.accept(Delivery.of(message, added.route().options().qos(), true, ids));
            }
        });
    }
}
