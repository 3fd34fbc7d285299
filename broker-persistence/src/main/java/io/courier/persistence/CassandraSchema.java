package io.courier.persistence;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.pattern.Patterns;
import org.apache.pekko.persistence.cassandra.KeyspaceAndTableStatements;
import org.apache.pekko.persistence.cassandra.PluginSettings;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSession;
import org.apache.pekko.stream.connectors.cassandra.javadsl.CassandraSessionRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the journal's and snapshot store's keyspaces and tables before anything reads them.
 *
 * <p>The plugin can create them itself, lazily, on its first use; but the nodes of a new cluster
 * all start using the journal at the same moment (the retained store recovers as soon as a node
 * is Up), and a node whose plugin finds the keyspace made by another node but a table not yet
 * there fails its recovery ("table metadata does not exist", seen in FailoverIT). So each node
 * runs every {@code CREATE ... IF NOT EXISTS} itself, in order, and waits for each (the driver
 * waits for schema agreement after DDL) before its actors start; the plugin's own autocreate is
 * off. The statements are the plugin's ({@link KeyspaceAndTableStatements}), so they match the
 * tables it expects.
 */
public final class CassandraSchema {

    private static final String PLUGIN = "pekko.persistence.cassandra";
    private static final int ATTEMPTS = 5;
    private static final Duration DDL_TIMEOUT = Duration.ofSeconds(20);
    private static final Duration RETRY_DELAY = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(CassandraSchema.class);

    private CassandraSchema() {
    }

    /** Completes when every keyspace and table exists. */
    public static CompletionStage<Done> create(ActorSystem<?> system) {
        org.apache.pekko.actor.ActorSystem classic = Adapter.toClassic(system);
        PluginSettings settings = PluginSettings.apply(classic);
        KeyspaceAndTableStatements statements = new KeyspaceAndTableStatements(system, PLUGIN, settings);
        List<String> all = new ArrayList<>();
        all.add(statements.createJournalKeyspaceStatement());
        all.addAll(statements.getCreateJournalTablesStatements());
        all.add(statements.createSnapshotKeyspaceStatement());
        all.addAll(statements.getCreateSnapshotTablesStatements());
        CassandraSession session = CassandraSessionRegistry.get(system).sessionFor(PLUGIN);
        CompletionStage<Done> chain = CompletableFuture.completedFuture(Done.getInstance());
        for (String cql : all) {
            // Each with a timeout of its own: a schema change waits for schema agreement and took
            // longer than the driver's 2 s default on a loaded machine (seen in FailoverIT).
            SimpleStatement ddl = SimpleStatement.newInstance(cql).setTimeout(DDL_TIMEOUT);
            chain = chain.thenCompose(done -> withRetries(system,
                    () -> session.executeWrite(ddl).thenApply(ignored -> Done.getInstance()), ATTEMPTS));
        }
        return chain;
    }

    /**
     * A statement that still fails (a timeout, a schema disagreement while three nodes create
     * at once) is repeated: every one is {@code IF NOT EXISTS}, so that is harmless.
     */
    private static CompletionStage<Done> withRetries(ActorSystem<?> system, Supplier<CompletionStage<Done>> ddl, int left) {
        return ddl.get().handle((done, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(done);
            }
            if (left <= 1) {
                return CompletableFuture.<Done>failedFuture(error);
            }
            LOG.warn("creating the Cassandra schema failed ({}); trying again ({} attempts left)", error.toString(), left - 1);
            return Patterns.after(RETRY_DELAY, system.classicSystem().scheduler(), system.executionContext(),
                    () -> withRetries(system, ddl, left - 1));
        }).thenCompose(stage -> stage);
    }
}
