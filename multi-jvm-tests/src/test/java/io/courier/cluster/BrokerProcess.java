package io.courier.cluster;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One broker node as an operating-system process: {@code bin/courier} with
 * {@code COURIER_NO_BUILD=1} (the jar and {@code app/target/lib} that the reactor just built),
 * which {@code exec}s the JVM, so signals reach the broker itself. Output is copied line by line
 * to {@code <name>.log} under the test's log directory and kept for {@link #awaitLine}.
 */
final class BrokerProcess implements AutoCloseable {

    /** Printed by Main once the MQTT listener is bound. */
    static final String LISTENING = "MQTT listening on ";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final String name;
    private final Process process;
    private final int mqttPort;
    private final int managementPort;
    private final Path log;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private BrokerProcess(String name, Process process, int mqttPort, int managementPort, Path log) {
        this.name = name;
        this.process = process;
        this.mqttPort = mqttPort;
        this.managementPort = managementPort;
        this.log = log;
        this.reader = new Thread(this::copyOutput, "broker-output-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts a node; {@code properties} become {@code -Dkey=value} arguments. Does not wait. */
    static BrokerProcess start(String name, int mqttPort, int managementPort, Map<String, String> properties, Path logDir)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Checkout.launcher().toString()));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        Path workDir = Files.createTempDirectory("courier-node-");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true);
        Map<String, String> env = builder.environment();
        env.keySet().removeIf(k -> k.startsWith("COURIER_") || k.startsWith("CONFIG_FORCE_"));
        env.put("COURIER_NO_BUILD", "1");
        // Four JVMs (three brokers and Cassandra) share two cores in CI: small heaps, serial GC.
        env.put("JAVA_OPTS", "-XX:+UseSerialGC -Xms64m -Xmx384m -XX:+ExitOnOutOfMemoryError");
        Process process = builder.start();
        // A broker never outlives the test JVM, however that JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kill-" + name));
        return new BrokerProcess(name, process, mqttPort, managementPort, logDir.resolve(name + ".log"));
    }

    private void copyOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line; (line = in.readLine()) != null; ) {
                out.println(line);
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process ended
        }
    }

    /** Waits (bounded) for a line containing {@code text}; false if it did not come or the process ended. */
    boolean awaitLine(String text, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            int seen = 0;
            while (true) {
                for (; seen < lines.size(); seen++) {
                    if (lines.get(seen).contains(text)) {
                        return true;
                    }
                }
                long left = deadline - System.nanoTime();
                // Once the process has ended, the output is complete when the reader reached its end.
                if (left <= 0 || (!reader.isAlive() && seen == lines.size())) {
                    return false;
                }
                lines.wait(Math.max(1, Math.min(TimeUnit.NANOSECONDS.toMillis(left), 200)));
            }
        }
    }

    /** GET on the management endpoint; status and body, or status -1 when it does not answer. */
    HttpResult management(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                    .timeout(Duration.ofSeconds(3)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return new HttpResult(response.statusCode(), response.body());
        } catch (IOException e) {
            return new HttpResult(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new HttpResult(-1, "interrupted");
        }
    }

    record HttpResult(int status, String body) {
    }

    String name() {
        return name;
    }

    long pid() {
        return process.pid();
    }

    InetSocketAddress mqtt() {
        return new InetSocketAddress("127.0.0.1", mqttPort);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the JVM dies at once, nothing runs (no shutdown hook, no handoff). */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM: CoordinatedShutdown runs (unbind, hand shards off, leave); waits (bounded) for the exit. */
    boolean terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** SIGSTOP / SIGCONT: the process stops answering anything, as if cut off by the network. */
    void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start();
        if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + signal + " " + process.pid() + " failed");
        }
    }

    /** The exit status, or -1 while it runs. */
    int exitStatus() {
        return process.isAlive() ? -1 : process.exitValue();
    }

    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The last {@code n} lines of output, for a failure report. */
    String tail(int n) {
        synchronized (lines) {
            return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
        }
    }

    @Override
    public void close() throws InterruptedException {
        // SIGKILL: quickest, and works on a stopped (SIGSTOP) process too. Nothing of a finished
        // test needs a clean shutdown: its keyspace is its own.
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
