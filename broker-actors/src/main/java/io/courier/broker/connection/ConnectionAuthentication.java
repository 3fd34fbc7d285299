package io.courier.broker.connection;

import io.courier.broker.auth.AuthExchange;
import io.courier.broker.auth.Authenticators;
import io.courier.broker.auth.EnhancedAuthenticator;
import io.courier.protocol.engine.AuthVerdict;
import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.ReasonCode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries out the engine's {@link Effect.Authenticate} for one connection: starts an exchange
 * with the method's authenticator (or goes on with the current one) and sends its verdict back
 * to the connection as {@link EngineInput.Authenticated}, from whatever thread the verdict is
 * ready on. Each step is bounded by the connect timeout; an authenticator that fails or does not
 * answer in time is a refusal (0x87), never a hung connection.
 */
final class ConnectionAuthentication {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectionAuthentication.class);

    private final Authenticators authenticators;
    private final ActorRef<EngineInput> connection;
    private final Duration stepTimeout;
    /** Only touched on the connection's actor; steps of one exchange never overlap. */
    private AuthExchange exchange;

    ConnectionAuthentication(Authenticators authenticators, ActorRef<EngineInput> connection, Duration stepTimeout) {
        this.authenticators = authenticators;
        this.connection = connection;
        this.stepTimeout = stepTimeout;
    }

    void run(Effect.Authenticate a) {
        if (a.start()) {
            EnhancedAuthenticator authenticator = authenticators.forMethod(a.method());
            exchange = authenticator == null ? null : authenticator.begin(a.clientId(), a.reauthentication());
        }
        if (exchange == null) { // the engine only asks for offered methods; kept safe regardless
            answer(a, new AuthVerdict.Failure(ReasonCode.BAD_AUTHENTICATION_METHOD, "no authenticator"));
            return;
        }
        CompletableFuture<AuthVerdict> step;
        try {
            step = exchange.step(a.data()).toCompletableFuture();
        } catch (RuntimeException e) {
            step = CompletableFuture.failedFuture(e);
        }
        step.orTimeout(stepTimeout.toMillis(), TimeUnit.MILLISECONDS).whenComplete((verdict, error) -> {
            if (error != null || verdict == null) {
                LOG.atWarn().addKeyValue("clientId", a.clientId()).addKeyValue("method", a.method())
                        .log("authenticator {} failed for client {}: {}", a.method(), a.clientId(), error);
                answer(a, new AuthVerdict.Failure(ReasonCode.NOT_AUTHORIZED, "authenticator failed: " + error));
            } else {
                answer(a, verdict);
            }
        });
    }

    private void answer(Effect.Authenticate a, AuthVerdict verdict) {
        if (verdict instanceof AuthVerdict.Failure f) {
            LOG.atInfo().addKeyValue("clientId", a.clientId()).addKeyValue("method", a.method())
                    .addKeyValue("reasonCode", f.reason())
                    .log("{}authentication of client {} refused: {}", a.reauthentication() ? "re-" : "", a.clientId(), f.why());
        }
        connection.tell(new EngineInput.Authenticated(verdict));
    }
}
