package io.courier.app.loadtool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

    private static String errorOf(String... args) {
        return assertThrows(BenchOptions.BadOptionException.class, () -> BenchOptions.parse(args)).getMessage();
    }

    @Test
    void defaultsDescribeOneFlatOutQos0PublisherAndSubscriberOnLocalhost() throws Exception {
        BenchOptions o = BenchOptions.parse();
        assertEquals("load", o.mode());
        assertEquals("127.0.0.1", o.host());
        assertEquals(1883, o.port());
        assertEquals(5, o.mqttVersion());
        assertEquals(Layout.FAN_IN, o.layout());
        assertEquals(64, o.payloadSize());
        assertTrue(o.flatOut());
        assertFalse(o.json());
    }

    @Test
    void bothSpellingsOfAValueAndFlagsAreRead() throws Exception {
        BenchOptions o = BenchOptions.parse("--port=1884", "--qos", "2", "--layout", "Fan-Out", "--json",
                "--mqtt", "3", "--rate", "10,000", "--session-expiry", "3600");
        assertEquals(1884, o.port());
        assertEquals(2, o.qos());
        assertEquals(Layout.FAN_OUT, o.layout());
        assertEquals(3, o.mqttVersion());
        assertEquals(10_000, o.rate());
        assertEquals(3600, o.sessionExpiry());
        assertTrue(o.json());
    }

    @Test
    void everyErrorNamesTheOptionItIsAbout() {
        assertEquals("--bogus: unknown option", errorOf("--bogus", "1"));
        assertEquals("--qos: must be between 0 and 2, got 3", errorOf("--qos", "3"));
        assertEquals("--port: expected a whole number, got 'http'", errorOf("--port", "http"));
        assertEquals("--duration: needs a value", errorOf("--duration"));
        assertEquals("--json: takes no value", errorOf("--json=yes"));
        assertEquals("--qos: given twice", errorOf("--qos", "1", "--qos", "2"));
        assertEquals("publishers: not an option (options look like --name value)", errorOf("publishers"));
        assertTrue(errorOf("--layout", "ring").startsWith("--layout: expected one of pairs, fan-in, fan-out, shared"));
        assertTrue(errorOf("--mqtt", "4").startsWith("--mqtt: expected one of 3, 5"));
        assertTrue(errorOf("--mode", "soak").startsWith("--mode: expected one of load, idle"));
    }

    @Test
    void aPayloadMustHoldTheSequenceAndTimestampHeader() {
        assertEquals("--payload: must be between 20 and 268435456, got 19", errorOf("--payload", "19"));
    }

    @Test
    void pairsNeedAsManyPublishersAsSubscribers() {
        assertEquals("--layout: pairs needs as many --publishers as --subscribers, got 3 and 2",
                errorOf("--layout", "pairs", "--publishers", "3", "--subscribers", "2"));
    }

    @Test
    void loadModeNeedsSomeoneToConnect() {
        assertTrue(errorOf("--publishers", "0", "--subscribers", "0").startsWith("--publishers:"));
    }

    @Test
    void aSampleCannotBeLargerThanTheSessions() {
        assertTrue(errorOf("--mode", "sessions-check", "--sessions", "10", "--sample", "11").startsWith("--sample:"));
    }

    @Test
    void theCommandExitsWith2AndSaysWhichOptionIsWrong() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(new String[] {"--publishers", "-1"}, new PrintStream(out), new PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("courier bench: --publishers: must be between 0"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sessionModesRefuseCleanSessionsAndQos0BeforeConnecting() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = BenchCommand.run(new String[] {"--mode", "sessions-prepare", "--qos", "1"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
        assertEquals(2, status);
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--session-expiry:"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void helpPrintsTheOptionsAndSucceeds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertEquals(0, BenchCommand.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(new ByteArrayOutputStream())));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--layout pairs|fan-in|fan-out|shared"));
    }
}
