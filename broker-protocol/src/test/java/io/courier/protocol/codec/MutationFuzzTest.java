package io.courier.protocol.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.packet.ReasonCode;
import java.util.EnumMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Deterministic mutation fuzzing of the decoder: seeds from {@link FuzzSeeds}, mutated by
 * {@link ByteMutator}, each case judged by {@link DecoderInvariants} (nothing but a
 * {@link DecodeException} with a reason code escapes; split or whole gives the same result; what
 * decodes round-trips). Unlike {@link DecoderFuzzTest} it needs no native agent and its cases
 * are the same on every run, so it is the one that proves a count.
 *
 * <p>Size: {@code -Dfuzz.inputs} (default 200,000: about four seconds on
 * the idle 2-core machine, fifteen when it is busy); {@code -Dfuzz.seed}
 * picks another deterministic sequence. The {@code fuzz-long} profile runs five million.
 * A failure message carries the case as hex, to be replayed with {@link FuzzInput#parse}.
 */
class MutationFuzzTest {

    private static final int INPUTS = Integer.getInteger("fuzz.inputs", 200_000);
    private static final System.Logger LOG = System.getLogger(MutationFuzzTest.class.getName());
    private static final long SEED = Long.getLong("fuzz.seed", 0x4D515454L);

    @Test
    void mutatedStreamsAreRejectedOnlyByDecodeExceptionAndWhatDecodesRoundTrips() {
        ByteMutator mutator = new ByteMutator(FuzzSeeds.all(), SEED);
        Map<ReasonCode, Integer> rejections = new EnumMap<>(ReasonCode.class);
        int inputs = 0;
        int withPackets = 0;
        long packets = 0;
        long roundTrips = 0;
        long encoderRefusals = 0;
        long started = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            DecoderInvariants.Outcome outcome = DecoderInvariants.check(mutator.next());
            inputs++;
            packets += outcome.packets().size();
            withPackets += outcome.packets().isEmpty() ? 0 : 1;
            roundTrips += outcome.roundTrips();
            encoderRefusals += outcome.encoderRefusals();
            if (outcome.rejection() != null) {
                rejections.merge(outcome.rejection(), 1, Integer::sum);
            }
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        int rejected = rejections.values().stream().mapToInt(Integer::intValue).sum();

        Map<String, String> report = new TreeMap<>();
        report.put("fuzz.inputs", Integer.toString(inputs));
        report.put("fuzz.seed", Long.toString(SEED));
        report.put("fuzz.millis", Long.toString(millis));
        report.put("fuzz.inputsWithPackets", Integer.toString(withPackets));
        report.put("fuzz.packets", Long.toString(packets));
        report.put("fuzz.roundTrips", Long.toString(roundTrips));
        report.put("fuzz.encoderRefusals", Long.toString(encoderRefusals));
        report.put("fuzz.rejected", Integer.toString(rejected));
        report.put("fuzz.rejections", rejections.toString());
        // The count and duration are the run's evidence (the long run's numbers go into reports).
        LOG.log(System.Logger.Level.INFO, "mutation fuzzing done: {0}", report);

        assertEquals(INPUTS, inputs);
        // A fuzzer that only ever trips over the first byte proves nothing: most cases must get
        // past the fixed header into the packet decoders, and both outcomes must be common.
        assertTrue(withPackets > inputs / 10, () -> "too few cases decoded a packet: " + report);
        assertTrue(rejected > inputs / 10, () -> "too few cases were rejected: " + report);
        assertTrue(rejections.size() >= 5, () -> "too few distinct reason codes: " + report);
    }
}
