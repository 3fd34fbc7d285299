package io.courier.persistence;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValueFactory;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.fusesource.leveldbjni.JniDBFactory;
import org.iq80.leveldb.DB;
import org.iq80.leveldb.Options;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prepares the journal's configuration before the actor system starts. {@code
 * courier.persistence.journal} chooses the store: {@code leveldb} (embedded, one node, the
 * default) or {@code cassandra} (every node of a cluster shares it; see {@link CassandraJournal}).
 * For LevelDB it creates the journal and snapshot directories, and switches LevelDB to its
 * pure-Java port when the native library cannot be loaded here.
 *
 * <p>Pekko's LevelDB journal picks the native or the Java factory from {@code native} and simply
 * fails if JNI cannot load (an unsupported CPU, a temp directory mounted noexec where hawtjni
 * unpacks the library). A broker that refuses to start for that reason helps nobody, so this
 * probes the native library once by opening a throw-away database, and falls back with a
 * warning: the Java port is slower (about 46k vs 80k events/s, ARCHITECTURE.md 5) but correct.
 */
public final class JournalConfig {

    static final String LEVELDB = "pekko.persistence.journal.leveldb";
    /** The key that chooses the journal. */
    public static final String JOURNAL_KEY = "courier.persistence.journal";
    private static final Logger LOG = LoggerFactory.getLogger(JournalConfig.class);

    private JournalConfig() {
    }

    /**
     * The configuration to start the actor system with: {@code config} itself, or with
     * {@code pekko.persistence.journal.leveldb.native = off} when native LevelDB is asked for but
     * cannot load. Creates the LevelDB and local snapshot directories when those plugins are used.
     */
    public static Config prepare(Config loaded) {
        String journal = loaded.getString(JOURNAL_KEY);
        Config config = switch (journal) {
            case "leveldb" -> loaded;
            case "cassandra" -> CassandraJournal.overlay(loaded).withFallback(loaded);
            default -> throw new ConfigException.BadValue(JOURNAL_KEY, "'" + journal + "' is not leveldb or cassandra");
        };
        Config prepared = config;
        if (usesLevelDb(config)) {
            createDirectories(config.getString(LEVELDB + ".dir"));
            if (config.getBoolean(LEVELDB + ".native") && !nativeLevelDbLoads()) {
                prepared = config.withValue(LEVELDB + ".native", ConfigValueFactory.fromAnyRef(false));
            }
        }
        if ("pekko.persistence.snapshot-store.local".equals(config.getString("pekko.persistence.snapshot-store.plugin"))) {
            createDirectories(config.getString("pekko.persistence.snapshot-store.local.dir"));
        }
        return prepared;
    }

    /** Whether the configured journal is Cassandra (after {@link #prepare}). */
    public static boolean usesCassandra(Config config) {
        return CassandraJournal.JOURNAL_PLUGIN.equals(config.getString("pekko.persistence.journal.plugin"));
    }

    /** Whether the configured journal is the embedded LevelDB one. */
    public static boolean usesLevelDb(Config config) {
        return LEVELDB.equals(config.getString("pekko.persistence.journal.plugin"));
    }

    /** Whether the LevelDB journal of this configuration runs on the native library. */
    public static boolean isNative(Config config) {
        return usesLevelDb(config) && config.getBoolean(LEVELDB + ".native");
    }

    /**
     * Opens and closes a database in a temporary directory with the native library. Any failure
     * (UnsatisfiedLinkError, a library that loads but cannot open) counts as "not available".
     */
    static boolean nativeLevelDbLoads() {
        Path probe = null;
        try {
            probe = Files.createTempDirectory("courier-leveldb-probe");
            try (DB db = JniDBFactory.factory.open(probe.toFile(), new Options().createIfMissing(true))) {
                db.put(new byte[] {1}, new byte[] {1});
            }
            return true;
        } catch (Exception | LinkageError e) { // UnsatisfiedLinkError, NoClassDefFoundError, ExceptionInInitializerError
            LOG.warn("native LevelDB cannot be used here ({}); the journal uses the pure-Java LevelDB port instead. "
                    + "Set pekko.persistence.journal.leveldb.native = off to silence this.", e.toString());
            return false;
        } finally {
            deleteQuietly(probe);
        }
    }

    private static void createDirectories(String dir) {
        try {
            Files.createDirectories(new File(dir).toPath());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not delete {}: {}", dir, e.toString());
        }
    }
}
