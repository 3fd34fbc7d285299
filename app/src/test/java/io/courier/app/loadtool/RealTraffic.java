package io.courier.app.loadtool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.courier.app.it.EmbeddedBroker;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** The tool's own client and payloads, driven step by step by a test instead of by a run. */
final class RealTraffic {

    private RealTraffic() {
    }

    static BenchClient client(EmbeddedBroker broker, String id, Consumer<ByteBuffer> onMessage) {
        return BenchClient.create(new BenchClient.Settings(5, id, broker.address(), null, 60, 0, true, 10), onMessage,
                (clientId, cause) -> { });
    }

    /**
     * Publishes sequences [from, to) of publisher 0 at QoS 1, each waited for. A PUBACK with an
     * error code (a broker starved of CPU by a busy build machine may refuse a publish it could
     * not store in time) is retried with the same sequence number, at most 3 times, so the
     * test's count of finished publishes stays exact.
     */
    static void publish(BenchClient publisher, String topic, long from, long to) throws Exception {
        for (long seq = from; seq < to; seq++) {
            for (int attempt = 1; ; attempt++) {
                try {
                    publisher.publish(topic, 1, PayloadHeader.write(64, 0, seq, System.nanoTime())).get(10, TimeUnit.SECONDS);
                    break;
                } catch (ExecutionException refused) {
                    if (attempt == 3) {
                        throw refused;
                    }
                }
            }
        }
    }

    /** Waits (at most 10 s) until the ledger has seen {@code count} arrivals. */
    static void awaitArrivals(DeliveryLedger ledger, long count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (ledger.arrivals() < count && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(count, ledger.arrivals());
    }
}
