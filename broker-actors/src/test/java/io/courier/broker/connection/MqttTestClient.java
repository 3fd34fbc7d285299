package io.courier.broker.connection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.MqttDecoder;
import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.property.MqttProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * A plain-socket MQTT client for tests: builds packets with the broker's own encoder and reads
 * the broker's answers with a client-side decoder. Every read waits at most the read timeout,
 * so a missing answer fails the test instead of hanging it.
 */
final class MqttTestClient implements AutoCloseable {

    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final MqttVersion version;
    private final MqttDecoder decoder;
    private final ArrayDeque<MqttPacket> received = new ArrayDeque<>();
    private final byte[] buffer = new byte[8192];

    MqttTestClient(InetSocketAddress address, MqttVersion version) {
        this.version = version;
        this.decoder = new MqttDecoder(DecodeContext.client(version, DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE));
        try {
            socket = new Socket(address.getAddress(), address.getPort());
            socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
            out = socket.getOutputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    MqttVersion version() {
        return version;
    }

    /** CONNECT with a clean start and no will; returns the CONNACK. */
    ConnAck connect(String clientId, int keepAliveSeconds) {
        send(new Connect(version, clientId, true, keepAliveSeconds, null, null, null, MqttProperties.EMPTY));
        return expect(ConnAck.class);
    }

    void send(MqttPacket packet) {
        sendRaw(MqttEncoder.encode(packet, version));
    }

    void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next packet from the broker, which must be a {@code type}. */
    <T extends MqttPacket> T expect(Class<T> type) {
        MqttPacket packet = next();
        return assertInstanceOf(type, packet, () -> "expected " + type.getSimpleName() + ", got " + packet);
    }

    /** The next packet from the broker. */
    MqttPacket next() {
        while (received.isEmpty()) {
            int n = read(buffer);
            if (n < 0) {
                fail("the broker closed the connection while a packet was expected");
            }
            decoder.decode(ByteBuffer.wrap(buffer, 0, n), received::add);
        }
        return received.pollFirst();
    }

    /** Exactly {@code n} raw bytes from the broker. */
    byte[] readBytes(int n) {
        byte[] bytes = new byte[n];
        int got = 0;
        while (got < n) {
            int r;
            try {
                r = in.read(bytes, got, n - got);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (r < 0) {
                fail("closed after " + got + " of " + n + " bytes");
            }
            got += r;
        }
        return bytes;
    }

    /** The broker closes the connection without sending anything more. */
    void expectClosed() {
        assertTrue(received.isEmpty(), () -> "unread packets: " + received);
        int n = read(buffer);
        assertEquals(-1, n, () -> n + " more bytes instead of the end of the connection");
    }

    private int read(byte[] into) {
        try {
            return in.read(into);
        } catch (SocketException e) {
            return -1; // reset by the broker: closed all the same
        } catch (IOException e) {
            throw new UncheckedIOException(e); // includes the read timeout
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a test socket; nothing to do
        }
    }
}
