package io.courier.app.loadtool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Makes the tool's clients from the options: broker address, MQTT version, keep-alive, session
 * expiry, and a loopback source address per connection. One source address has only the
 * ephemeral port range (32768-60999 by default on Linux, ~28,000 ports) towards one broker
 * port, so many connections are spread over 127.0.0.2, 127.0.0.3, ... (all of 127/8 is
 * loopback on Linux). A socket bound to an explicit source address gets a port no other socket
 * of that address holds, TIME_WAIT ones included (the kernel reuses TIME_WAIT ports only for
 * connections it binds itself), so after a run of 10,000 connections from 127.0.0.1 the next
 * one fails with "Address already in use" well below 28,000: hence 5,000 per address, and
 * 127.0.0.1 left to the connections the operating system binds. Also counts connections that
 * the broker or the network closed.
 */
final class Fleet implements BenchClient.DisconnectWatcher {

    /** Connections per source address when {@code --local-addresses 0} (auto). */
    static final int CONNECTIONS_PER_ADDRESS = 5_000;

    private final BenchOptions options;
    private final InetSocketAddress broker;
    private final InetAddress[] sources;
    private final LongAdder unexpectedDisconnects = new LongAdder();
    private final AtomicReference<String> firstDisconnect = new AtomicReference<>();

    Fleet(BenchOptions options, int connections) throws UnknownHostException {
        this.options = options;
        InetAddress host = InetAddress.getByName(options.host());
        this.broker = new InetSocketAddress(host, options.port());
        int count = options.localAddresses();
        if (count == 0 && host.isLoopbackAddress() && host.getAddress().length == 4) {
            count = (connections + CONNECTIONS_PER_ADDRESS - 1) / CONNECTIONS_PER_ADDRESS;
            count = count <= 1 ? 0 : count; // one address: let the OS choose, as any client would
        }
        sources = new InetAddress[count];
        for (int i = 0; i < count; i++) {
            sources[i] = InetAddress.getByAddress(new byte[] {127, 0, 0, (byte) (i + 2)});
        }
    }

    /** Client number {@code index} (which picks its source address). */
    BenchClient client(String clientId, int index, boolean cleanStart, Consumer<ByteBuffer> onMessage) {
        InetAddress source = sources.length == 0 ? null : sources[index % sources.length];
        BenchClient.Settings s = new BenchClient.Settings(options.mqttVersion(), clientId, broker, source,
                options.keepAliveSeconds(), options.sessionExpiry(), cleanStart, options.connectTimeoutSeconds());
        return BenchClient.create(s, onMessage, this);
    }

    int sourceAddresses() {
        return Math.max(1, sources.length);
    }

    @Override
    public void unexpectedDisconnect(String clientId, Throwable cause) {
        unexpectedDisconnects.increment();
        firstDisconnect.compareAndSet(null, clientId + ": " + cause);
    }

    long unexpectedDisconnects() {
        return unexpectedDisconnects.sum();
    }

    /** The first connection the broker or network closed, and why (or null). */
    String firstDisconnect() {
        return firstDisconnect.get();
    }
}
