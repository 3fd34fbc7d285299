package io.courier.app.bench;

import java.util.HashMap;
import java.util.Map;

/** The load tools' command line: {@code --name value} pairs. */
final class BenchArgs {

    private BenchArgs() {
    }

    static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + String.join(" ", args));
            }
            opts.put(args[i].substring(2), args[++i]);
        }
        return opts;
    }
}
