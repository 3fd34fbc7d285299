package io.courier.app.loadtool;

import java.io.PrintStream;

/**
 * {@code bin/courier bench [options]}: the load tool, for any MQTT broker (options in
 * {@link BenchOptions#USAGE}, modes in {@link LoadRun}, {@link IdleRun},
 * {@link SessionRecoveryRun}). Progress lines go to standard error, the summary to standard
 * output. Exit status: 0 done, 1 the run failed (e.g. the broker refused a connection), 2 bad
 * options.
 */
public final class BenchCommand {

    private BenchCommand() {
    }

    /** Runs the tool and returns the exit status (the caller exits). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        BenchOptions options;
        try {
            options = BenchOptions.parse(args);
        } catch (BenchOptions.HelpRequested e) {
            out.print(BenchOptions.USAGE);
            return 0;
        } catch (BenchOptions.BadOptionException e) {
            err.println("courier bench: " + e.getMessage());
            err.println("(bin/courier bench --help lists the options)");
            return 2;
        }
        try {
            Report report = switch (options.mode()) {
                case "idle" -> new IdleRun(options, err).run();
                case "sessions-prepare" -> new SessionRecoveryRun(options, err).prepare();
                case "sessions-check" -> new SessionRecoveryRun(options, err).check();
                default -> new LoadRun(options, err).run();
            };
            report.print(out, options.json());
            return 0;
        } catch (BenchOptions.BadOptionException e) {
            err.println("courier bench: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("courier bench: the run failed: " + describe(e));
            return 1;
        }
    }

    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e));
        for (Throwable c = e.getCause(); c != null && c != e; c = c.getCause()) {
            b.append(" <- ").append(c);
            e = c;
        }
        return b.toString();
    }
}
