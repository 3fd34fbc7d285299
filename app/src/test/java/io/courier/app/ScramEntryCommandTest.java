package io.courier.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.auth.ScramCredential;
import io.courier.broker.auth.ScramSha256Authenticator;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** {@code bin/courier scram-entry}: the entry it prints is a salted verifier the broker accepts. */
class ScramEntryCommandTest {

    @Test
    @DisplayName("the printed line is HOCON the broker reads back into the verifier of that password, "
            + "and holds no password")
    void entryRoundTrips() {
        String line = ScramEntryCommandAccess.entry("meter.7 \"north\"", "s3cret-pässword");

        assertFalse(line.contains("s3cret"), line);
        Config users = ConfigFactory.parseString(line);
        String entry = users.root().get("meter.7 \"north\"").unwrapped().toString();
        ScramCredential parsed = ScramCredential.parse(entry);
        assertEquals(ScramCredential.MIN_ITERATIONS, parsed.iterations());
        assertEquals(ScramCredential.derive("s3cret-pässword".toCharArray(), parsed.salt(), parsed.iterations()), parsed);
    }

    @Test
    @DisplayName("usage errors: no user, too few iterations, no password")
    void usageErrors() {
        assertEquals(2, run("", new String[] {"scram-entry"}));
        assertEquals(2, run("pw\n", new String[] {"scram-entry", "bob", "--iterations", "100"}));
        assertEquals(1, run("", new String[] {"scram-entry", "bob"}));
    }

    @Test
    @DisplayName("a malformed users entry stops the broker with an error naming its key")
    void badEntryNamesTheKey() {
        Config config = ConfigFactory.parseString("courier.auth.scram-sha-256.users { bob = \"plaintext\" }")
                .withFallback(ConfigFactory.load());
        Executable load = () -> ScramSha256Authenticator.fromConfig(config);
        ConfigException e = org.junit.jupiter.api.Assertions.assertThrows(ConfigException.class, load);
        assertTrue(e.getMessage().contains("courier.auth.scram-sha-256.users.\"bob\""), e.getMessage());
    }

    private static int run(String stdin, String[] args) {
        PrintStream sink = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        return ScramEntryCommand.run(args, null, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), sink, sink);
    }
}
