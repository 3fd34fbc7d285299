package io.courier.broker.auth;

import io.courier.protocol.engine.AuthVerdict;
import java.util.concurrent.CompletionStage;

/**
 * One enhanced authentication conversation with one client (4.12): the CONNECT's or AUTH 0x19's
 * Authentication Data first, then the data of each AUTH 0x18 the client sends in answer to a
 * {@link AuthVerdict.Continue}. Steps of one exchange never overlap (the next client step can
 * only follow the answer to this one), so an exchange needs no locking.
 */
public interface AuthExchange {

    /**
     * Judges one client step. Asynchronous, so an implementation may ask a directory or an HTTP
     * service; it must not block the calling thread. The broker bounds each step by
     * {@code courier.mqtt.connect-timeout}; a step that fails or times out counts as 0x87 Not
     * authorized.
     *
     * @param clientData the client's Authentication Data, or null when the packet had none
     */
    CompletionStage<AuthVerdict> step(byte[] clientData);
}
