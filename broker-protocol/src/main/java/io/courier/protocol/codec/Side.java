package io.courier.protocol.codec;

/** Which end of the connection decodes: some rules bind only packets sent by one side. */
public enum Side {
    /** The broker, decoding what clients send. */
    SERVER,
    /** A client (tests, the load tool), decoding what the broker sends. */
    CLIENT
}
