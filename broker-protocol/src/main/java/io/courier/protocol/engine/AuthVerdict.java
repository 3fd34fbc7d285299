package io.courier.protocol.engine;

import io.courier.protocol.packet.ReasonCode;
import java.util.Objects;

/**
 * An authenticator's answer to one step of enhanced authentication (MQTT 5.0 section 4.12), as
 * the connection owner passes it back to the engine in {@link EngineInput.Authenticated}.
 */
public sealed interface AuthVerdict {

    /** More is needed: the engine sends AUTH 0x18 with {@code data} [MQTT-4.12.0-2]. */
    record Continue(byte[] data) implements AuthVerdict {
    }

    /**
     * Authenticated: CONNACK 0x00 (or AUTH 0x00 after re-authentication) carries the method and
     * {@code data} when not null (the server's final message, e.g. SCRAM's server signature).
     */
    record Success(byte[] data) implements AuthVerdict {
    }

    /**
     * Refused: CONNACK with {@code reason} then close [MQTT-4.12.0-4]; after re-authentication
     * DISCONNECT with it (0x87 when it is not a DISCONNECT code) then close [MQTT-4.12.1-2].
     *
     * @param reason a CONNACK reason code of 0x80 or more
     * @param why    for the log; never sent to the client
     */
    record Failure(ReasonCode reason, String why) implements AuthVerdict {
        public Failure {
            Objects.requireNonNull(reason, "reason");
            if (!reason.isError()) {
                throw new IllegalArgumentException("an authentication failure needs an error code: " + reason);
            }
        }
    }
}
