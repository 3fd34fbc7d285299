package io.courier.protocol.engine;

/**
 * Makes a client identifier for a client that sent an empty one [MQTT-3.1.3-6]. Passed in so
 * the engine stays deterministic under test; the broker's own makes unique random ids.
 */
@FunctionalInterface
public interface ClientIdAssigner {
    String assign();
}
