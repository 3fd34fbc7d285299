package io.courier.cluster;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One Cassandra for the whole test run, started by the project's own script
 * ({@code tools/cassandra/run.sh start}, which fetches cassandra-all through Maven on the first
 * run) on free loopback ports in a fresh directory, and stopped by it when JUnit closes the root
 * store at the end of the run; should the stop fail, the process is killed by its pid. Each test
 * gets a keyspace of its own, so tests do not see each other's sessions.
 */
final class CassandraServer implements ExtensionContext.Store.CloseableResource {

    private static final long START_SECONDS = 240;

    private final Path dir;
    private final int port;
    private final Path script;

    private CassandraServer(Path dir, int port, Path script) {
        this.dir = dir;
        this.port = port;
        this.script = script;
    }

    /** The run's Cassandra, started on first use. */
    static CassandraServer get(ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(CassandraServer.class, key -> start(), CassandraServer.class);
    }

    private static CassandraServer start() {
        try {
            Path dir = Files.createTempDirectory("courier-cassandra-");
            int port = Ports.free();
            Path script = Checkout.root().resolve("tools/cassandra/run.sh");
            CassandraServer server = new CassandraServer(dir, port, script);
            // Should the test JVM be stopped before JUnit closes its store (Ctrl-C, a killed
            // fork), Cassandra must not outlive it.
            Runtime.getRuntime().addShutdownHook(new Thread(server::killByPidFile, "stop-cassandra"));
            Path log = Checkout.logs("cassandra").resolve("run.log");
            Process run = new ProcessBuilder(List.of(script.toString(), "start", "--dir", dir.toString(),
                    "--port", Integer.toString(port), "--storage-port", Integer.toString(Ports.free())))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!run.waitFor(START_SECONDS, TimeUnit.SECONDS)) {
                run.destroyForcibly();
                server.close();
                throw new IllegalStateException("tools/cassandra/run.sh start did not finish in " + START_SECONDS + " s: "
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            if (run.exitValue() != 0) {
                throw new IllegalStateException("tools/cassandra/run.sh start failed: " + Files.readString(log, StandardCharsets.UTF_8));
            }
            return server;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** {@code 127.0.0.1:<port>}, for courier.persistence.cassandra.contact-points. */
    String contactPoint() {
        return "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        try {
            Process stop = new ProcessBuilder(script.toString(), "stop", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(Checkout.logs("cassandra").resolve("stop.log").toFile()).start();
            if (!stop.waitFor(60, TimeUnit.SECONDS)) {
                stop.destroyForcibly();
            }
        } catch (IOException e) {
            // fall through to the kill
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            killByPidFile();
            deleteDirectory();
        }
    }

    /** Cassandra's data of this run (a few hundred MB of commit log) is of no use afterwards. */
    private void deleteDirectory() {
        try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left behind in the temp directory
        }
    }

    private void killByPidFile() {
        Path pidFile = dir.resolve("cassandra.pid");
        try {
            if (Files.exists(pidFile)) {
                long pid = Long.parseLong(Files.readString(pidFile).strip());
                ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
            }
        } catch (IOException | NumberFormatException e) {
            // nothing left to do
        }
    }
}
