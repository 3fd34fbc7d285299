package io.courier.protocol.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the decoder with Jazzer. The input is a {@link FuzzInput} in its
 * flat form, so Jazzer mutates the decoder set-up (side, version, maximum size, buffer kind,
 * split) together with the bytes; {@link DecoderInvariants} says what must hold.
 *
 * <p>Two modes, chosen by Jazzer from the environment:
 * <ul>
 * <li>regression (the default, part of every test run): only the seeds below and any files in
 *     {@code src/test/resources/io/courier/protocol/codec/DecoderFuzzTestInputs/}, where a
 *     finding belongs once it is fixed;</li>
 * <li>fuzzing ({@code JAZZER_FUZZ=1}): the {@code decoder-fuzzing} surefire execution in
 *     broker-protocol/pom.xml sets it and runs this class alone, since Jazzer fuzzes one
 *     {@code @FuzzTest} per JVM; the generated corpus and any crash file go to
 *     {@code target/jazzer/}.</li>
 * </ul>
 */
class DecoderFuzzTest {

    static Stream<Arguments> seeds() {
        return FuzzSeeds.all().stream().flatMap(seed -> Stream.of(
                Arguments.of((Object) seed.input().toBytes()),
                Arguments.of((Object) seed.input().withSplitSeed(0x25).toBytes())));
    }

    @MethodSource("seeds")
    @FuzzTest(maxDuration = "20s")
    void anyInputIsDecodedOrRejectedWithAReasonCodeAndDecodedPacketsRoundTrip(byte[] input) {
        DecoderInvariants.check(FuzzInput.parse(input));
    }
}
