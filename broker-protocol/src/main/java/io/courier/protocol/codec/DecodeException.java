package io.courier.protocol.codec;

import io.courier.protocol.packet.ReasonCode;

/**
 * The one way the decoder says no: the bytes broke a rule, and {@link #reasonCode()} is what the
 * spec says the receiver must answer with (a 5.0 DISCONNECT or CONNACK code; a 3.x connection is
 * simply closed). The codec never closes anything itself; the connection decides.
 *
 * <p>No stack trace is filled in: rejections are expected input, and an attacker should not be
 * able to make us pay for stack walks.
 */
public final class DecodeException extends RuntimeException {

    private final ReasonCode reasonCode;

    public DecodeException(ReasonCode reasonCode, String message) {
        super(message, null, false, false);
        this.reasonCode = reasonCode;
    }

    /** A rejection caused by a failure inside the decoder (a bug in Courier, kept as the cause). */
    public DecodeException(ReasonCode reasonCode, String message, Throwable cause) {
        super(message, cause, false, false);
        this.reasonCode = reasonCode;
    }

    public ReasonCode reasonCode() {
        return reasonCode;
    }

    @Override
    public String toString() {
        return "DecodeException[" + reasonCode + "]: " + getMessage();
    }
}
