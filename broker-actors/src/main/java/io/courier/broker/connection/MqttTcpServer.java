package io.courier.broker.connection;

import io.courier.broker.BrokerContext;
import io.courier.broker.routing.Fanout;
import io.courier.protocol.engine.ProtocolEngine;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.javadsl.Flow;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.javadsl.Tcp;
import org.apache.pekko.util.ByteString;

/**
 * PLACEHOLDER on branch {@code app} so the application wiring compiles and can be started: the
 * real MQTT TCP listener is written on another branch with this same {@code bind} and replaces
 * this file at merge. It binds the port and closes every connection it accepts.
 */
public final class MqttTcpServer {

    private MqttTcpServer() {
    }

    public static CompletionStage<Tcp.ServerBinding> bind(ActorSystem<?> system, BrokerContext context, Fanout fanout,
            ProtocolEngine engine, String host, int port) {
        return Tcp.get(system).bind(host, port)
                .to(Sink.foreach(connection -> connection.handleWith(
                        Flow.fromSinkAndSource(Sink.<ByteString>ignore(), Source.<ByteString>empty()), system)))
                .run(system);
    }
}
