package io.courier.broker.session;

import org.apache.pekko.actor.typed.RecipientRef;

/**
 * Finds a client's session entity. In the broker this is cluster sharding (an EntityRef by
 * client id); tests may give plain actors.
 */
@FunctionalInterface
public interface SessionDirectory {
    RecipientRef<SessionCommand> session(String clientId);
}
