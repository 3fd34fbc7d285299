package io.courier.broker.connection;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a network connection is carried, read once from {@code courier.mqtt.connection} (see
 * reference.conf).
 *
 * @param outboundBuffer writes (each one or more encoded packets) queued towards a client's
 *                       socket; when they are all taken, further bytes wait in the connection
 *                       (and the client's own input is paused) until the socket drains
 * @param outboundHeldBytes bytes that may wait that way; one more fails the connection, so a
 *                       client that stops reading cannot make the broker hold its messages
 * @param closeLinger    how long the last bytes (a refusing CONNACK, a DISCONNECT) may take to
 *                       leave once the broker closes a connection, before the socket is aborted
 */
public record ConnectionSettings(int outboundBuffer, long outboundHeldBytes, Duration closeLinger) {

    public ConnectionSettings {
        if (outboundBuffer < 1) {
            throw new IllegalArgumentException("outbound-buffer must be at least 1: " + outboundBuffer);
        }
        if (outboundHeldBytes < 1) {
            throw new IllegalArgumentException("outbound-held-bytes must be positive: " + outboundHeldBytes);
        }
        if (closeLinger.isNegative() || closeLinger.isZero()) {
            throw new IllegalArgumentException("close-linger must be positive: " + closeLinger);
        }
    }

    public static ConnectionSettings fromConfig(Config root) {
        Config c = root.getConfig("courier.mqtt.connection");
        return new ConnectionSettings(c.getInt("outbound-buffer"), c.getMemorySize("outbound-held-bytes").toBytes(),
                c.getDuration("close-linger"));
    }
}
