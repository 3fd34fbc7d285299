package io.courier.app.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The real launcher, {@code bin/courier}, as an operating-system process: for the *IT tests that
 * stop it with SIGTERM or kill it with SIGKILL. The launcher {@code exec}s the JVM, so the
 * process handle is the broker itself and signals reach it directly.
 *
 * <p>It runs from the jar that failsafe's {@code package} phase has just built:
 * {@code COURIER_NO_BUILD=1} keeps the launcher from starting a nested Maven build. Standard
 * output and error are merged and kept line by line, so a test can wait for a line and a failure
 * can show what the broker said.
 */
final class LauncherProcess implements AutoCloseable {

    /** Printed by {@code Main} once the MQTT listener is bound. */
    static final String LISTENING = "MQTT listening on ";
    /** Printed by {@code Main} after the listening line. */
    static final String DATA_DIRECTORY = "Data directory ";
    /** Printed by {@code Main} when the actor system has terminated (clean shutdown). */
    static final String STOPPED = "Courier stopped";

    private static final Duration START_TIMEOUT = Duration.ofSeconds(45);
    private static final int BIND_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path workDir;
    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    private LauncherProcess(Process process, int port, Path workDir) {
        this.process = process;
        this.port = port;
        this.workDir = workDir;
        Thread reader = new Thread(this::readOutput, "courier-output-" + process.pid());
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code bin/courier} on a free loopback port with the given data directory and extra
     * {@code -Dkey=value} arguments, and returns once it printed its listening line. Should
     * another process take the port between choosing and binding it, it tries another port. The
     * process runs in a fresh working directory of its own, so nothing the broker resolves
     * against it can pass for the data directory.
     */
    static LauncherProcess start(Path dataDir, String... extraProperties) throws IOException, InterruptedException {
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            List<String> command = new ArrayList<>(List.of(launcher().toString(),
                    "-Dcourier.mqtt.tcp.port=" + port,
                    "-Dcourier.cluster.port=0",
                    "-Dcourier.data-dir=" + dataDir.toAbsolutePath()));
            command.addAll(List.of(extraProperties));
            Path workDir = Files.createTempDirectory("courier-cwd-");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true);
            Map<String, String> env = builder.environment();
            env.keySet().removeIf(name -> name.startsWith("COURIER_")); // the test's -D keys decide
            env.put("COURIER_NO_BUILD", "1");
            LauncherProcess launched = new LauncherProcess(builder.start(), port, workDir);
            Optional<String> listening = launched.awaitLine(line -> line.startsWith(LISTENING), START_TIMEOUT);
            if (listening.isPresent()) {
                return launched;
            }
            launched.close();
            boolean portTaken = launched.output().stream().anyMatch(line -> line.contains("binding MQTT"));
            if (!portTaken || attempt == BIND_ATTEMPTS) {
                throw new AssertionError("bin/courier did not print '" + LISTENING + "' within "
                        + START_TIMEOUT.toSeconds() + " s; it said:\n" + launched.outputText());
            }
        }
    }

    /** The checkout's root: the nearest directory at or above the working directory holding {@code bin/courier}. */
    static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path d = dir; d != null; d = d.getParent()) {
            if (Files.isExecutable(d.resolve("bin/courier")) && Files.isRegularFile(d.resolve("pom.xml"))) {
                return d;
            }
        }
        throw new IllegalStateException("no bin/courier at or above " + dir);
    }

    private static Path launcher() {
        Path root = repositoryRoot();
        Path jar = root.resolve("app/target/courier-app.jar");
        if (!Files.isRegularFile(jar) || !Files.isDirectory(root.resolve("app/target/lib"))) {
            throw new IllegalStateException(jar + " or its lib/ is missing: run the *IT tests after `package` (mvn verify)");
        }
        return root.resolve("bin/courier");
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the stream closes when the process dies; what was read is kept
        } finally {
            synchronized (lines) {
                ended = true;
                lines.notifyAll();
            }
        }
    }

    /**
     * The first line so far or within {@code timeout} that matches; empty when the time is up or
     * the output ended without one.
     */
    Optional<String> awaitLine(Predicate<String> match, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (match.test(lines.get(seen))) {
                        return Optional.of(lines.get(seen));
                    }
                }
                long left = deadline - System.nanoTime();
                if (ended || left <= 0) {
                    return Optional.empty();
                }
                TimeUnit.NANOSECONDS.timedWait(lines, left);
            }
        }
    }

    /** Every line the process printed so far. */
    List<String> output() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** The output as one text, for failure messages. */
    String outputText() {
        return String.join("\n", output());
    }

    /** The MQTT port passed to the launcher. */
    int port() {
        return port;
    }

    /** The process's working directory, deleted by {@link #close()}. */
    Path workDir() {
        return workDir;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /**
     * SIGTERM; returns the exit code, or fails if the process is still running after
     * {@code timeout}. Sent through the {@link ProcessHandle}: {@link Process#destroy()} sends the
     * same signal but also closes our end of the output pipe, losing what the broker logs while
     * it shuts down.
     */
    int terminate(Duration timeout) throws InterruptedException {
        process.toHandle().destroy();
        return awaitExit(timeout, "SIGTERM");
    }

    /** SIGKILL (on Linux): the broker gets no chance to run anything. Returns the exit code. */
    int kill(Duration timeout) throws InterruptedException {
        process.toHandle().destroyForcibly();
        return awaitExit(timeout, "SIGKILL");
    }

    private int awaitExit(Duration timeout, String signal) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("bin/courier still running " + timeout.toSeconds() + " s after " + signal
                    + "; it said:\n" + outputText());
        }
        synchronized (lines) { // let the reader drain the last lines
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (!ended && deadline - System.nanoTime() > 0) {
                TimeUnit.NANOSECONDS.timedWait(lines, deadline - System.nanoTime());
            }
        }
        return process.exitValue();
    }

    /** Kills the process if it still runs (a test that failed half way) and deletes its working directory. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
        deleteTree(workDir);
    }

    /** Deletes a data directory a test created; what cannot be deleted stays in the temp directory. */
    static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp directory is harmless
        }
    }
}
