package io.courier.app;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Lets the *IT tests make a users entry the way {@code bin/courier scram-entry} does. */
public final class ScramEntryCommandAccess {

    private ScramEntryCommandAccess() {
    }

    /** The line the command prints for {@code user}, with {@code password} on standard input. */
    public static String entry(String user, String password) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = ScramEntryCommand.run(new String[] {ScramEntryCommand.NAME, user}, null,
                new ByteArrayInputStream((password + "\n").getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        if (status != 0) {
            throw new IllegalStateException("scram-entry failed: " + err.toString(StandardCharsets.UTF_8));
        }
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
