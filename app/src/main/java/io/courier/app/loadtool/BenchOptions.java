package io.courier.app.loadtool;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Everything {@code bin/courier bench} can be told, read once from the command line. Options are
 * {@code --name value} or {@code --name=value}; flags ({@code --json}, {@code --help}) take no
 * value. A bad option throws {@link BadOptionException} naming it; the command exits with 2.
 *
 * @param mode            what to do: {@code load} (publishers and subscribers), {@code idle}
 *                        (open connections and hold them), {@code sessions-prepare} and
 *                        {@code sessions-check} (restart recovery, see {@link SessionRecoveryRun})
 * @param rate            total messages per second over all publishers; 0 = flat out (each
 *                        publisher as fast as its window of unfinished publishes allows)
 * @param inflight        per publisher, the most publishes not yet finished (QoS 0: written,
 *                        QoS 1: PUBACKed, QoS 2: PUBCOMPed); bounds the tool's own memory
 * @param backlog         most messages published and not yet delivered, end to end over all
 *                        publishers; 0 = no bound ({@link Backlog})
 * @param connectConcurrency CONNECTs unanswered at a time; 50 by default because a burst of
 *                        hundreds overflows a broker's listen backlog (Mosquitto's is 100), and the
 *                        kernel's one-second SYN retry then dominates the measured connect rate
 * @param sessionExpiry   seconds; 0 = clean sessions, above 0 persistent (3.1.1: clean session 0)
 * @param localAddresses  loopback source addresses to spread connections over (127.0.0.2,
 *                        127.0.0.3, ...); 0 = one per 5,000 connections above 5,000 when the
 *                        broker is on loopback ({@link Fleet} says why)
 */
public record BenchOptions(
        String mode,
        String host,
        int port,
        int mqttVersion,
        int publishers,
        int subscribers,
        Layout layout,
        int qos,
        int payloadSize,
        int rate,
        int inflight,
        int backlog,
        int durationSeconds,
        int warmupSeconds,
        int drainSeconds,
        long sessionExpiry,
        int connections,
        int connectConcurrency,
        int localAddresses,
        int keepAliveSeconds,
        int sessions,
        int queued,
        int sample,
        int sampleOffset,
        int connectTimeoutSeconds,
        String clientPrefix,
        String topicPrefix,
        boolean json) {

    public static final String USAGE = """
            bin/courier bench [options]      load for any MQTT broker (HiveMQ MQTT client)
              --mode load|idle|sessions-prepare|sessions-check   (load)
              --host H (127.0.0.1)  --port P (1883)  --mqtt 3|5 (5)
              --publishers N (1)  --subscribers M (1)  --layout pairs|fan-in|fan-out|shared (fan-in)
              --qos 0|1|2 (0)  --payload BYTES (64, at least 20)  --rate MSG/S total (0 = flat out)
              --inflight N unfinished publishes per publisher (100)
              --backlog N most messages published and not yet delivered, all publishers (0 = no bound)
              --duration S (10)  --warmup S (2)  --drain S longest wait for stragglers (10)
              --session-expiry S (0 = clean sessions)  --keep-alive S (60)
              --connections N (idle mode, 1000)  --connect-concurrency N CONNECTs at a time (50)
              --local-addresses N loopback source addresses, 0 = auto (0)
              --sessions N (sessions-*, 1000)  --queued K messages per session (10)
              --sample S sessions checked (sessions-check, 100)  --sample-offset I (0)
              --connect-timeout S wait for the broker's listener (30)
              --client-prefix ID (bench-<random>)  --topic-prefix T (bench/<random>)
              --json one JSON object instead of the text summary
            """;

    /** A misspelt, missing or out-of-range option; the message starts with the option's name. */
    public static final class BadOptionException extends Exception {
        public BadOptionException(String option, String problem) {
            super(option + ": " + problem);
        }
    }

    /** {@code --help} was given. */
    public static final class HelpRequested extends Exception {
        public HelpRequested() {
            super("help");
        }
    }

    private static final java.util.Set<String> FLAGS = java.util.Set.of("json", "help");
    private static final java.util.Set<String> VALUED = java.util.Set.of(
            "mode", "host", "port", "mqtt", "publishers", "subscribers", "layout", "qos", "payload",
            "rate", "inflight", "backlog", "duration", "warmup", "drain", "session-expiry", "connections",
            "connect-concurrency", "local-addresses", "keep-alive", "sessions", "queued", "sample",
            "sample-offset", "connect-timeout", "client-prefix", "topic-prefix");

    public static BenchOptions parse(String... args) throws BadOptionException, HelpRequested {
        Map<String, String> given = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new BadOptionException(arg, "not an option (options look like --name value)");
            }
            String name = arg.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new BadOptionException("--" + name, "takes no value");
                }
                value = "true";
            } else if (VALUED.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new BadOptionException("--" + name, "needs a value");
                    }
                    value = args[++i];
                }
            } else {
                throw new BadOptionException("--" + name, "unknown option");
            }
            if (given.put(name, value) != null) {
                throw new BadOptionException("--" + name, "given twice");
            }
        }
        if (given.containsKey("help")) {
            throw new HelpRequested();
        }
        Reader r = new Reader(given);
        String random = Long.toString(System.nanoTime() & 0xffffffL, 36);
        String mode = r.choice("mode", "load", "load", "idle", "sessions-prepare", "sessions-check");
        int publishers = r.integer("publishers", 1, 0, 100_000);
        int subscribers = r.integer("subscribers", 1, 0, 100_000);
        Layout layout = Layout.parse(r.choice("layout", "fan-in", "pairs", "fan-in", "fan-out", "shared"));
        int payload = r.integer("payload", 64, PayloadHeader.SIZE, 256 * 1024 * 1024);
        if (layout == Layout.PAIRS && publishers != subscribers) {
            throw new BadOptionException("--layout", "pairs needs as many --publishers as --subscribers, got "
                    + publishers + " and " + subscribers);
        }
        BenchOptions options = new BenchOptions(
                mode,
                r.text("host", "127.0.0.1"),
                r.integer("port", 1883, 1, 65535),
                Integer.parseInt(r.choice("mqtt", "5", "3", "5")),
                publishers,
                subscribers,
                layout,
                r.integer("qos", 0, 0, 2),
                payload,
                r.integer("rate", 0, 0, 100_000_000),
                r.integer("inflight", 100, 1, 65535),
                r.integer("backlog", 0, 0, 100_000_000),
                r.integer("duration", 10, 0, 86_400),
                r.integer("warmup", 2, 0, 86_400),
                r.integer("drain", 10, 0, 3_600),
                r.integer("session-expiry", 0, 0, Integer.MAX_VALUE) & 0xffffffffL,
                r.integer("connections", 1000, 1, 1_000_000),
                r.integer("connect-concurrency", 50, 1, 100_000),
                r.integer("local-addresses", 0, 0, 254),
                r.integer("keep-alive", 60, 0, 65535),
                r.integer("sessions", 1000, 1, 10_000_000),
                r.integer("queued", 10, 0, 100_000),
                r.integer("sample", 100, 1, 10_000_000),
                r.integer("sample-offset", 0, 0, 10_000_000),
                r.integer("connect-timeout", 30, 1, 3_600),
                r.text("client-prefix", "bench-" + random),
                r.text("topic-prefix", "bench/" + random),
                r.flag("json"));
        if (mode.equals("load") && publishers == 0 && subscribers == 0) {
            throw new BadOptionException("--publishers", "load mode needs at least one publisher or subscriber");
        }
        if (mode.equals("sessions-check") && options.sample > options.sessions) {
            throw new BadOptionException("--sample", "more than --sessions (" + options.sessions + ")");
        }
        return options;
    }

    /** Reads and checks one option at a time, so every error names the option it is about. */
    private record Reader(Map<String, String> given) {

        String text(String name, String fallback) throws BadOptionException {
            String v = given.getOrDefault(name, fallback);
            if (v.isBlank()) {
                throw new BadOptionException("--" + name, "must not be empty");
            }
            return v;
        }

        boolean flag(String name) {
            return given.containsKey(name);
        }

        int integer(String name, int fallback, int min, int max) throws BadOptionException {
            String v = given.get(name);
            if (v == null) {
                return fallback;
            }
            long parsed;
            try {
                parsed = Long.parseLong(v.trim().replace("_", "").replace(",", ""));
            } catch (NumberFormatException e) {
                throw new BadOptionException("--" + name, "expected a whole number, got '" + v + "'");
            }
            if (parsed < min || parsed > max) {
                throw new BadOptionException("--" + name, "must be between " + min + " and " + max + ", got " + v);
            }
            return (int) parsed;
        }

        String choice(String name, String fallback, String... allowed) throws BadOptionException {
            String v = given.getOrDefault(name, fallback).toLowerCase(Locale.ROOT);
            for (String a : allowed) {
                if (a.equals(v)) {
                    return a;
                }
            }
            throw new BadOptionException("--" + name, "expected one of " + String.join(", ", allowed) + ", got '"
                    + given.get(name) + "'");
        }
    }

    /** True when publishers send as fast as their window of unfinished publishes allows. */
    public boolean flatOut() {
        return rate == 0;
    }
}
