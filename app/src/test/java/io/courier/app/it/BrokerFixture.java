package io.courier.app.it;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link EmbeddedBroker} per test class and fresh {@link HiveMqClients} (with their raw
 * sockets) per test, closed after it: the lifecycle every *IT repeats, as a JUnit extension.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final BrokerFixture FIXTURE = new BrokerFixture("courier.mqtt.connect-timeout = 1s");
 * </pre>
 */
final class BrokerFixture implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {

    private final String extraConfig;
    private EmbeddedBroker broker;
    private HiveMqClients clients;

    /** @param extraConfig HOCON laid over the defaults, as {@link EmbeddedBroker#start(String)} takes it */
    BrokerFixture(String extraConfig) {
        this.extraConfig = extraConfig;
    }

    EmbeddedBroker broker() {
        return broker;
    }

    /** This test's clients. */
    HiveMqClients clients() {
        return clients;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        broker = EmbeddedBroker.start(extraConfig);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        clients = new HiveMqClients(broker);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        clients.close();
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        if (broker != null) {
            broker.close();
        }
    }
}
