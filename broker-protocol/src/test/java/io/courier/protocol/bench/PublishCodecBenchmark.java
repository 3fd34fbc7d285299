package io.courier.protocol.bench;

import io.courier.protocol.codec.DecodeContext;
import io.courier.protocol.codec.MqttDecoder;
import io.courier.protocol.codec.MqttEncoder;
import io.courier.protocol.codec.Side;
import io.courier.protocol.packet.MqttPacket;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Publish;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The per-message path of the codec: a PUBLISH decoded from a socket buffer, encoded into one,
 * and both (what a broker does to forward a message). Run with
 * {@code bench/jmh.sh PublishCodec -prof gc}. Target: 5 million decode+encode per second per
 * thread for 64-byte payloads.
 *
 * <p>Set-up is kept out of the measurement: the wire bytes are encoded once, the decoder is
 * reused (a server decoder whose context already knows the version, as after CONNECT), decoding
 * rewinds the same buffer, and the packet goes into a field rather than a list, so what
 * {@code gc.alloc.rate.norm} reports is what the codec itself allocates per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PublishCodecBenchmark {

    private static final String TOPIC = "sensors/device-0042/temperature";

    @Param({"V3_1_1", "V5"})
    public MqttVersion version;

    @Param({"0", "1"})
    public int qos;

    @Param({"64", "4096"})
    public int payloadSize;

    private Publish publish;
    private ByteBuffer wire;
    private ByteBuffer out;
    private MqttDecoder decoder;
    private MqttPacket decoded;
    private final Consumer<MqttPacket> keepDecoded = packet -> decoded = packet;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] payload = new byte[payloadSize];
        Arrays.fill(payload, (byte) 'x');
        Qos level = Qos.ofValue(qos);
        publish = new Publish(TOPIC, level, false, false, level == Qos.AT_MOST_ONCE ? 0 : 42,
                payload, MqttProperties.EMPTY);
        wire = ByteBuffer.wrap(MqttEncoder.encode(publish, version));
        out = ByteBuffer.allocate(wire.capacity());
        decoder = new MqttDecoder(new DecodeContext(version, DecodeContext.PROTOCOL_MAXIMUM_PACKET_SIZE, Side.SERVER));
        if (!publish.equals(decode())) {
            throw new IllegalStateException("the codec does not round-trip " + publish);
        }
    }

    @Benchmark
    public MqttPacket decode() {
        wire.rewind();
        decoder.decode(wire, keepDecoded);
        return decoded;
    }

    @Benchmark
    public int encode() {
        out.clear();
        return MqttEncoder.encode(publish, version, out);
    }

    @Benchmark
    public int decodeAndEncode() {
        MqttPacket packet = decode();
        out.clear();
        return MqttEncoder.encode(packet, version, out);
    }
}
