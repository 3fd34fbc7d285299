package io.courier.app.it;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.SocketFactory;

/**
 * A socket factory for Paho whose sockets the test can cut. Paho has no way to leave without
 * DISCONNECT, but a broker must treat a connection that just ends as an abnormal disconnection
 * and publish the will [MQTT-3.1.2-8]; resetting the socket under the client does exactly that.
 */
final class KillableSocketFactory extends SocketFactory {

    private final List<Socket> sockets = new CopyOnWriteArrayList<>();

    /** Resets every socket made so far (SO_LINGER 0: an RST, no orderly close). */
    void kill() throws IOException {
        for (Socket s : sockets) {
            s.setSoLinger(true, 0);
            s.close();
        }
    }

    @Override
    public Socket createSocket() {
        return track(new Socket());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return track(new Socket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return track(new Socket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return track(new Socket(host, port));
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return track(new Socket(address, port, localAddress, localPort));
    }

    private Socket track(Socket socket) {
        sockets.add(socket);
        return socket;
    }
}
