package io.courier.app;

import io.courier.broker.auth.ScramCredential;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * {@code bin/courier scram-entry <user> [--iterations N]}: reads a password (from the terminal
 * without echo, or the first line of standard input when there is no terminal) and prints the
 * line to add under {@code courier.auth.scram-sha-256.users}: the salted, hashed SCRAM-SHA-256
 * verifier, never the password (docs/configuration.md).
 */
final class ScramEntryCommand {

    static final String NAME = "scram-entry";

    private ScramEntryCommand() {
    }

    /** Runs the command; returns the process exit status. */
    static int run(String[] args, Console console, InputStream stdin, PrintStream out, PrintStream err) {
        String user = null;
        int iterations = ScramCredential.MIN_ITERATIONS;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--iterations") && i + 1 < args.length) {
                try {
                    iterations = Integer.parseInt(args[++i]);
                } catch (NumberFormatException e) {
                    iterations = -1;
                }
            } else if (user == null && !args[i].startsWith("--")) {
                user = args[i];
            } else {
                user = null;
                break;
            }
        }
        if (user == null || user.isEmpty() || iterations < ScramCredential.MIN_ITERATIONS) {
            err.println("usage: bin/courier " + NAME + " <user> [--iterations N]   (N >= "
                    + ScramCredential.MIN_ITERATIONS + ", RFC 7677)");
            return 2;
        }
        char[] password;
        try {
            password = console != null ? console.readPassword("password for %s: ", user) : firstLine(stdin);
        } catch (IOException e) {
            err.println(NAME + ": cannot read the password: " + e.getMessage());
            return 1;
        }
        if (password == null || password.length == 0) {
            err.println(NAME + ": empty password");
            return 1;
        }
        try {
            out.println(quote(user) + " = \"" + ScramCredential.create(password, iterations).format() + "\"");
        } finally {
            Arrays.fill(password, '\0');
        }
        return 0;
    }

    private static char[] firstLine(InputStream in) throws IOException {
        String line = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).readLine();
        return line == null ? null : line.toCharArray();
    }

    /** The user name as a quoted HOCON key. */
    static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
