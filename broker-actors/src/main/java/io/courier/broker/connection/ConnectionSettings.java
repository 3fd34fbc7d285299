package io.courier.broker.connection;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * How a network connection is carried, read once from {@code courier.mqtt.connection} (see
 * reference.conf).
 *
 * @param outboundBuffer writes (each one or more encoded packets) that may wait for a client's
 *                       socket; one more fails the connection, so a client that stops reading
 *                       cannot make the broker hold its messages
 * @param closeLinger    how long the last bytes (a refusing CONNACK, a DISCONNECT) may take to
 *                       leave once the broker closes a connection, before the socket is aborted
 */
public record ConnectionSettings(int outboundBuffer, Duration closeLinger) {

    public ConnectionSettings {
        if (outboundBuffer < 1) {
            throw new IllegalArgumentException("outbound-buffer must be at least 1: " + outboundBuffer);
        }
        if (closeLinger.isNegative() || closeLinger.isZero()) {
            throw new IllegalArgumentException("close-linger must be positive: " + closeLinger);
        }
    }

    public static ConnectionSettings fromConfig(Config root) {
        Config c = root.getConfig("courier.mqtt.connection");
        return new ConnectionSettings(c.getInt("outbound-buffer"), c.getDuration("close-linger"));
    }
}
