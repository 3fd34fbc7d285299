package io.courier.app.cluster;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;
import org.apache.pekko.actor.typed.javadsl.Adapter;

/**
 * The readiness check behind Pekko Management's {@code /ready}, beside its own cluster-membership
 * check (member Up): a node is ready once it serves MQTT, i.e. it joined, recovered the retained
 * store, woke its sessions and bound the listener; it stops being ready when CoordinatedShutdown
 * unbinds the listener. A load balancer or Kubernetes sends clients only to ready nodes.
 *
 * <p>Registered in reference.conf ({@code pekko.management.health-checks.readiness-checks});
 * Pekko Management constructs it with the classic actor system.
 */
public final class BrokerReadiness implements Supplier<CompletionStage<Boolean>> {

    private final Flag flag;

    public BrokerReadiness(ActorSystem system) {
        this.flag = Adapter.toTyped(system).registerExtension(Flag.ID);
    }

    @Override
    public CompletionStage<Boolean> get() {
        return CompletableFuture.completedFuture(flag.ready.get());
    }

    /** Marks the node of {@code system} as serving (true) or not (false). */
    public static void set(org.apache.pekko.actor.typed.ActorSystem<?> system, boolean ready) {
        system.registerExtension(Flag.ID).ready.set(ready);
    }

    /** One flag per actor system. */
    public static final class Flag implements Extension {
        static final ExtensionId<Flag> ID = new ExtensionId<>() {
            @Override
            public Flag createExtension(org.apache.pekko.actor.typed.ActorSystem<?> system) {
                return new Flag();
            }
        };

        private final AtomicBoolean ready = new AtomicBoolean(false);
    }
}
