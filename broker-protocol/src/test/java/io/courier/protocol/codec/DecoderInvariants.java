package io.courier.protocol.codec;

import io.courier.protocol.packet.Connect;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.ReasonCode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * What must hold for any bytes a peer sends, whatever the fuzzer made of them. The fuzz tests
 * (coverage-guided {@link DecoderFuzzTest} and seeded {@link MutationFuzzTest}) feed every case
 * through {@link #check} and count what came out.
 *
 * <ol>
 * <li>Nothing but {@link DecodeException} leaves the decoder, and every one carries a reason
 *     code (README, "the decoder's contract"). The decoder turns an unexpected runtime exception
 *     into 0x81 as a last line of defence; that keeps the contract but is a bug in Courier, so
 *     it fails here too.</li>
 * <li>A chunk is consumed whole; what is held back is at most one partial packet, so never more
 *     than the maximum packet size.</li>
 * <li>Where the stream is cut does not matter: split into chunks (some empty), it yields the
 *     same packets and the same rejection as in one piece.</li>
 * <li>Every decoded packet the encoder accepts re-encodes to {@code encodedSize} bytes that
 *     decode, on the same side and version, to an equal packet.</li>
 * </ol>
 *
 * A broken invariant is an {@link AssertionError} whose message holds the case as hex.
 */
final class DecoderInvariants {

    /**
     * How MqttDecoder words a rejection made from an unexpected exception (its last line of
     * defence, which keeps the contract but hides a bug): the fuzzers treat it as a failure.
     */
    private static final String SAFETY_NET_MESSAGE = "undecodable packet";

    /** What one case did: the packets, the rejection if any, and round trips the encoder refused. */
    record Outcome(List<MqttPacket> packets, ReasonCode rejection, int roundTrips, int encoderRefusals) {
    }

    private DecoderInvariants() {
    }

    static Outcome check(FuzzInput input) {
        Run split = decode(input, input.chunks());
        Run whole = decode(input, List.of(input.wholeStream()));
        if (split.packets.contains(null) || whole.packets.contains(null)) {
            throw new AssertionError("decoder handed out null; " + input);
        }
        if (!split.packets.equals(whole.packets) || split.rejection != whole.rejection) {
            throw new AssertionError("split and whole stream differ: split gave " + split.packets
                    + " then " + split.rejection + ", whole gave " + whole.packets + " then "
                    + whole.rejection + "; " + input);
        }
        int[] counts = roundTrip(input, whole.packets);
        return new Outcome(whole.packets, whole.rejection, counts[0], counts[1]);
    }

    private record Run(List<MqttPacket> packets, ReasonCode rejection) {
    }

    private static Run decode(FuzzInput input, List<ByteBuffer> chunks) {
        MqttDecoder decoder = new MqttDecoder(input.context());
        List<MqttPacket> packets = new ArrayList<>();
        long fed = 0;
        for (ByteBuffer chunk : chunks) {
            fed += chunk.remaining();
            try {
                // No assertion inside the consumer: the decoder may turn what its consumer throws
                // into a rejection, which would hide the failure.
                decoder.decode(chunk, packets::add);
            } catch (DecodeException e) {
                if (e.reasonCode() == null) {
                    throw new AssertionError("DecodeException without a reason code: " + e + "; " + input, e);
                }
                if (String.valueOf(e.getMessage()).startsWith(SAFETY_NET_MESSAGE)) {
                    throw new AssertionError("a packet decoder failed and the decoder's safety net turned it into "
                            + e.reasonCode() + ": " + e.getMessage() + "; " + input, e);
                }
                return new Run(packets, e.reasonCode());
            } catch (Throwable t) {
                // StackOverflowError and OutOfMemoryError included: a peer must not be able to
                // cause either.
                throw new AssertionError("decoder threw " + t + " instead of a DecodeException; " + input, t);
            }
            if (chunk.hasRemaining()) {
                throw new AssertionError("decoder left " + chunk.remaining() + " bytes of a chunk unread; " + input);
            }
            int held = decoder.bufferedBytes();
            if (held < 0 || held > fed || held > input.maximumPacketSize()) {
                throw new AssertionError("decoder holds " + held + " bytes after " + fed
                        + " were fed (maximum packet size " + input.maximumPacketSize() + "); " + input);
            }
        }
        return new Run(packets, null);
    }

    /**
     * Re-encodes each packet and decodes it again. A server decoder must see a CONNECT first, so
     * a server-side packet is decoded after the re-encoded CONNECT that opened the stream. After
     * a second CONNECT the version in force is the decoder's business (README: the engine judges
     * a second CONNECT), so checking stops there.
     */
    private static int[] roundTrip(FuzzInput input, List<MqttPacket> packets) {
        int roundTrips = 0;
        int refusals = 0;
        Connect opening = null;
        byte[] openingBytes = null;
        for (MqttPacket packet : packets) {
            MqttVersion version;
            if (packet instanceof Connect connect) {
                if (input.side() == Side.SERVER && opening != null) {
                    break;
                }
                version = connect.version();
            } else if (input.side() == Side.SERVER) {
                if (opening == null || openingBytes == null) {
                    break; // the decoder rejects this; check() has already compared the runs
                }
                version = opening.version();
            } else {
                version = input.version();
            }
            byte[] encoded;
            try {
                encoded = MqttEncoder.encode(packet, version);
            } catch (IllegalArgumentException refused) {
                // The encoder may refuse what a version cannot express; that is its contract.
                refusals++;
                if (packet instanceof Connect && input.side() == Side.SERVER) {
                    break;
                }
                continue;
            } catch (RuntimeException e) {
                throw new AssertionError("encoder threw " + e + " for decoded " + packet + " in " + version + "; " + input, e);
            }
            int size = MqttEncoder.encodedSize(packet, version);
            if (size != encoded.length) {
                throw new AssertionError("encodedSize " + size + " but encode wrote " + encoded.length
                        + " bytes for " + packet + " in " + version + "; " + input);
            }
            MqttPacket again = redecode(input, packet, version, encoded, openingBytes);
            if (!packet.equals(again)) {
                throw new AssertionError("round trip changed the packet: decoded " + packet
                        + ", re-encoded in " + version + " and decoded " + again + "; " + input);
            }
            roundTrips++;
            if (packet instanceof Connect connect && input.side() == Side.SERVER) {
                opening = connect;
                openingBytes = encoded;
            }
        }
        return new int[] {roundTrips, refusals};
    }

    private static MqttPacket redecode(FuzzInput input, MqttPacket original, MqttVersion version,
                                       byte[] encoded, byte[] openingBytes) {
        boolean afterOpening = input.side() == Side.SERVER && !(original instanceof Connect);
        DecodeContext context = input.side() == Side.SERVER
                ? DecodeContext.server(DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE)
                : DecodeContext.client(version, DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE);
        byte[] stream = afterOpening ? FuzzInput.concat(openingBytes, encoded) : encoded;
        List<MqttPacket> decoded;
        try {
            decoded = new MqttDecoder(context).decode(stream);
        } catch (RuntimeException e) {
            throw new AssertionError("re-encoded " + original + " (" + version + ") was rejected: "
                    + e + "; " + input, e);
        }
        int expected = afterOpening ? 2 : 1;
        if (decoded.size() != expected) {
            throw new AssertionError("re-encoded " + original + " (" + version + ") decoded to "
                    + decoded + "; " + input);
        }
        return decoded.get(expected - 1);
    }
}
