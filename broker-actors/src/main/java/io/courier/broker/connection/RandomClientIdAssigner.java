package io.courier.broker.connection;

import io.courier.protocol.engine.ClientIdAssigner;
import java.util.UUID;

/**
 * The broker's identifiers for clients that connect with an empty one [MQTT-3.1.3-6]: a random
 * (type 4) UUID, unique without coordination between nodes, behind a prefix that tells an
 * operator the broker chose it. 44 characters, within the default client id length limit.
 */
public final class RandomClientIdAssigner implements ClientIdAssigner {

    public static final String PREFIX = "courier-";

    @Override
    public String assign() {
        return PREFIX + UUID.randomUUID();
    }
}
