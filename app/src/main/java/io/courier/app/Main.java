package io.courier.app;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.persistence.JournalConfig;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * The broker's command line: {@code bin/courier [-Dkey=value ...]}; {@code bin/courier bench ...}
 * runs the load tool instead ({@link io.courier.app.loadtool.BenchCommand}), and
 * {@code bin/courier scram-entry <user>} makes a SCRAM-SHA-256 user entry ({@link ScramEntryCommand}). Configuration comes from
 * {@code ConfigFactory.load()}: the modules' reference.conf files, then application.conf or the
 * file named by {@code -Dconfig.file}, then {@code -D} system properties; environment variables
 * override the keys whose reference.conf names one (docs/configuration.md).
 *
 * <p>Prints one line per listener and the data directory on standard output (the lines scripts
 * and people look for), then runs until SIGTERM or Ctrl-C, which run CoordinatedShutdown.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length > 0 && args[0].equals("bench")) {
            // The load tool (bin/courier bench), not a broker; it exits when its run is done.
            System.exit(io.courier.app.loadtool.BenchCommand.run(
                    java.util.Arrays.copyOfRange(args, 1, args.length), System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals(ScramEntryCommand.NAME)) {
            System.exit(ScramEntryCommand.run(args, System.console(), System.in, System.out, System.err));
            return;
        }
        Config config = ConfigFactory.load();
        BrokerNode node;
        try {
            node = BrokerNode.start(config);
        } catch (BrokerNode.BrokerStartException e) {
            System.err.println("Courier did not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Config running = node.system().settings().config();
        System.out.println("MQTT listening on " + node.mqttAddress().getHostString() + ":" + node.mqttAddress().getPort());
        if (JournalConfig.usesCassandra(running)) {
            System.out.println("Journal Cassandra at " + running.getString("courier.persistence.cassandra.contact-points")
                    + " (keyspace " + running.getString("courier.persistence.cassandra.keyspace") + ")");
        } else {
            System.out.println("Data directory " + Path.of(running.getString("courier.data-dir")).toAbsolutePath().normalize()
                    + " (journal: LevelDB " + (JournalConfig.isNative(running) ? "native" : "pure Java")
                    + ", fsync " + (running.getBoolean("courier.persistence.fsync") ? "on" : "off") + ")");
        }
        node.management().ifPresent(uri -> System.out.println("Management listening on " + uri.host().address()
                + ":" + uri.port() + " (/cluster/members, /ready, /alive)"));
        // A node that Split Brain Resolver downs (the minority of a partition) terminates its
        // actor system without being asked to: the process must end then (status 1), so that a
        // supervisor restarts it as a fresh node, instead of lingering without a broker. (After
        // SIGTERM the JVM is already exiting; this exit then simply waits for it.)
        node.system().getWhenTerminated().thenRun(() -> System.exit(1));
        // Printed by the last shutdown phase, not when the actor system has terminated: on SIGTERM
        // the JVM halts once its shutdown hooks (CoordinatedShutdown's among them) return, which
        // can be before a whenTerminated callback gets to run.
        CoordinatedShutdown.get(node.system()).addTask(CoordinatedShutdown.PhaseBeforeActorSystemTerminate(),
                "announce-stopped", () -> {
                    System.out.println("Courier stopped");
                    System.out.flush();
                    return CompletableFuture.completedFuture(Done.getInstance());
                });
    }
}
