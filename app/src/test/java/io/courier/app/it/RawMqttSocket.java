package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.DecodeException;
import io.courier.protocol.codec.MqttDecoder;
import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.packet.ConnAck;
import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.Disconnect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.property.MqttProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bare TCP connection to the broker that speaks MQTT only as far as a test tells it to: it
 * sends what it is given (packets through Courier's own encoder, or hand-made bytes) and
 * collects what the broker answers, decoded by a client-side {@link MqttDecoder}, on a reader
 * thread. It exists for what real clients refuse to do: break the protocol, drop a connection
 * without DISCONNECT, or hold back an acknowledgement.
 */
final class RawMqttSocket implements AutoCloseable {

    /** Every wait in a test is bounded by this. */
    static final Duration WAIT = Duration.ofSeconds(5);

    private final Socket socket;
    private final OutputStream out;
    private final MqttVersion version;
    private final BlockingQueue<MqttPacket> received = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile long closedAtNanos;
    private volatile DecodeException undecodable;

    private RawMqttSocket(Socket socket, MqttVersion version) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.version = version;
        socket.setTcpNoDelay(true);
        Thread reader = new Thread(this::readLoop, "raw-mqtt-reader-" + socket.getLocalPort());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Opens a connection; {@code version} is the protocol the broker's answers are decoded with
     * (what the CONNECT this socket will send asks for).
     */
    static RawMqttSocket open(EmbeddedBroker broker, MqttVersion version) throws IOException {
        return open(broker.address(), version);
    }

    static RawMqttSocket open(java.net.InetSocketAddress address, MqttVersion version) throws IOException {
        return new RawMqttSocket(new Socket(address.getHostString(), address.getPort()), version);
    }

    /** A CONNECT without will, user name or properties beyond {@code properties}. */
    static Connect connect(MqttVersion version, String clientId, boolean cleanStart, int keepAliveSeconds,
                           MqttProperties properties) {
        return new Connect(version, clientId, cleanStart, keepAliveSeconds, null, null, null, properties);
    }

    void send(MqttPacket packet) throws IOException {
        sendBytes(MqttEncoder.encode(packet, version));
    }

    void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends CONNECT and returns the CONNACK, failing the test unless it is a success. */
    ConnAck connectOk(Connect connect) throws Exception {
        send(connect);
        ConnAck ack = expect(ConnAck.class);
        assertEquals(ReasonCode.SUCCESS, ack.reasonCode(), "CONNACK");
        return ack;
    }

    /** The next packet from the broker, or null if none came within {@code wait}. */
    MqttPacket poll(Duration wait) throws InterruptedException {
        return received.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The next packet, which must be of {@code type} and arrive within {@link #WAIT}. */
    <T extends MqttPacket> T expect(Class<T> type) throws InterruptedException {
        MqttPacket packet = poll(WAIT);
        if (packet == null) {
            fail("no " + type.getSimpleName() + " within " + WAIT + (isClosed() ? " (connection closed)" : "")
                    + (undecodable == null ? "" : "; broker sent undecodable bytes: " + undecodable));
        }
        return assertInstanceOf(type, packet, "packet from the broker");
    }

    /** True once the broker has closed (or reset) the connection within {@code wait}. */
    boolean awaitClosed(Duration wait) throws InterruptedException {
        return closed.await(wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Asserts the broker closes the connection within {@link #WAIT}. */
    void assertClosedByBroker() throws InterruptedException {
        assertTrue(awaitClosed(WAIT), "the broker did not close the connection within " + WAIT);
    }

    /** Asserts the connection ended and that the broker sent nothing before ending it. */
    void assertClosedSilently() throws InterruptedException {
        assertClosedByBroker();
        assertNull(received.poll(), "a 3.1.1 connection is closed without a packet");
    }

    /** Asserts the broker sends a DISCONNECT with {@code reason}, then closes. */
    void assertDisconnectedWith(ReasonCode reason) throws InterruptedException {
        Disconnect d = expect(Disconnect.class);
        assertEquals(reason, d.reasonCode(), "DISCONNECT reason code");
        assertClosedByBroker();
    }

    boolean isClosed() {
        return closed.getCount() == 0;
    }

    /** {@link System#nanoTime()} when the broker's end was seen; only valid once closed. */
    long closedAtNanos() {
        assertTrue(isClosed(), "not closed yet");
        return closedAtNanos;
    }

    /**
     * Drops the connection the way a crashed client or a pulled cable does: no DISCONNECT, and a
     * reset instead of an orderly close.
     */
    void abort() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    private void readLoop() {
        MqttDecoder decoder = new MqttDecoder(DecodeContext.client(version, DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE));
        byte[] buffer = new byte[8192];
        try (InputStream in = socket.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                decoder.decode(ByteBuffer.wrap(buffer, 0, n), received::add);
            }
        } catch (DecodeException e) {
            undecodable = e;
        } catch (IOException e) {
            // reset by the broker, or closed by the test: either way the connection is over
        } finally {
            closedAtNanos = System.nanoTime();
            closed.countDown();
        }
    }
}
