package io.courier.broker.auth;

/**
 * The SPI for one enhanced authentication method (MQTT 5.0 section 4.12). The broker offers the
 * methods of the authenticators it was given ({@link Authenticators}); a CONNECT naming another
 * gets CONNACK 0x8C [MQTT-4.12.0-1].
 *
 * <p>An implementation is thread-safe: exchanges of many connections run at once. Plug one in
 * by naming its class in {@code courier.auth.enhanced-authenticators}; it needs a public
 * constructor taking the root {@link com.typesafe.config.Config}.
 */
public interface EnhancedAuthenticator {

    /** The Authentication Method this authenticator answers, e.g. {@code SCRAM-SHA-256}. */
    String method();

    /**
     * A new exchange: one per CONNECT that names this method, and one per re-authentication
     * (4.12.1), so an exchange holds the state of one conversation and nothing else.
     *
     * @param clientId          the client identifier of the connection (assigned, if it sent none)
     * @param reauthentication  true for an AUTH 0x19 on a connected client
     */
    AuthExchange begin(String clientId, boolean reauthentication);
}
