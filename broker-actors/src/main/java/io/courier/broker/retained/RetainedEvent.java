package io.courier.broker.retained;

import io.courier.protocol.message.Message;

/**
 * The journal events of the retained store: of each {@link RetainedPartition}, and of the
 * single-node store of earlier versions ({@link LegacyRetainedStore}), which wrote the same two
 * first events under the persistence id {@code retained}.
 */
public sealed interface RetainedEvent {

    /** A message became (or replaced) the retained message of its topic [MQTT-3.3.1-5]. */
    record MessageStored(Message message) implements RetainedEvent {
    }

    /** The retained message of a topic was deleted [MQTT-3.3.1-10], or it expired. */
    record MessageDeleted(String topic) implements RetainedEvent {
    }

    /** The legacy store's messages were handed to the partitions; it is empty from here on. */
    record LegacyMigrated(int moved, int refused) implements RetainedEvent {
    }
}
