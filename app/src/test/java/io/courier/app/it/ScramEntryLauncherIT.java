package io.courier.app.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.courier.broker.auth.ScramCredential;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code bin/courier scram-entry} through the real launcher script, as an operator runs it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ScramEntryLauncherIT {

    @Test
    @DisplayName("bin/courier scram-entry <user> reads the password from standard input and prints a users entry "
            + "holding its salted verifier, not the password")
    void printsAnEntry() throws Exception {
        ProcessBuilder builder = new ProcessBuilder(
                LauncherProcess.repositoryRoot().resolve("bin/courier").toString(), "scram-entry", "meter-7")
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("COURIER_NO_BUILD", "1");
        Process process = builder.start();
        try (OutputStream in = process.getOutputStream()) {
            in.write("pässword 7\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS), "bin/courier scram-entry did not exit");
        assertEquals(0, process.exitValue(), out);

        assertFalse(out.contains("pässword"), out);
        String entry = ConfigFactory.parseString(out).getString("\"meter-7\"");
        ScramCredential credential = ScramCredential.parse(entry);
        assertEquals(ScramCredential.derive("pässword 7".toCharArray(), credential.salt(), credential.iterations()),
                credential);
    }
}
