package io.courier.broker.session;

import io.courier.broker.BrokerContext;
import io.courier.broker.routing.Fanout;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;

/**
 * PLACEHOLDER on branch {@code app} so the application wiring compiles: the real session
 * entity is written on another branch with this same API and replaces this file at merge.
 * It ignores every command.
 */
public final class SessionEntity {

    public static final EntityTypeKey<SessionCommand> TYPE_KEY = EntityTypeKey.create(SessionCommand.class, "session");

    private SessionEntity() {
    }

    public static Behavior<SessionCommand> create(String clientId, BrokerContext context, Fanout fanout) {
        return Behaviors.empty();
    }
}
