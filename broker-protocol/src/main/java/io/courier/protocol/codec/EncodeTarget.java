package io.courier.protocol.codec;

import java.nio.ByteBuffer;

/**
 * Where an encoder writes, asked for once the packet's size is known. Each packet encoder
 * computes its sizes once, asks for a buffer of that many bytes, and writes; a target that
 * answers null only wanted the size (or found the packet too large for the peer).
 */
@FunctionalInterface
interface EncodeTarget {

    /** A buffer with at least {@code packetSize} bytes free, or null to write nothing. */
    ByteBuffer reserve(int packetSize);

    /** Measures only. */
    EncodeTarget SIZE_ONLY = packetSize -> null;
}
