package io.courier.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Free loopback ports for processes that must know each other's ports before they start (the
 * brokers list every node's management port for Cluster Bootstrap, so port 0 cannot work there).
 * Chosen below Linux's ephemeral range (32768 and up), where outgoing connections of other
 * processes on this machine cannot take them between choosing and binding; each is checked
 * bindable, and never handed out twice by this JVM.
 */
final class Ports {

    private static final Set<Integer> GIVEN = new HashSet<>();
    private static final int LOW = 20000;
    private static final int HIGH = 32000;
    private static final int ATTEMPTS = 200;

    private Ports() {
    }

    static synchronized int free() {
        for (int i = 0; i < ATTEMPTS; i++) {
            int port = ThreadLocalRandom.current().nextInt(LOW, HIGH);
            if (GIVEN.contains(port)) {
                continue;
            }
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                socket.setReuseAddress(true);
                GIVEN.add(port);
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free loopback port in " + LOW + "-" + HIGH + " after " + ATTEMPTS + " tries");
    }
}
