package io.courier.broker.connection;

import io.courier.broker.BrokerContext;
import io.courier.broker.auth.Authenticators;
import io.courier.broker.routing.Fanout;
import io.courier.protocol.engine.ProtocolEngine;

/**
 * What every connection of one listener shares: the node's services, the one engine, how
 * connections are carried, the counters they report to and the enhanced authenticators.
 */
public record ConnectionEnvironment(
        BrokerContext context,
        Fanout fanout,
        ProtocolEngine engine,
        ConnectionSettings settings,
        ConnectionCounters counters,
        Authenticators authenticators) {
}
