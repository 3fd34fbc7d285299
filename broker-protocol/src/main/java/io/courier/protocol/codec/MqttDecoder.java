package io.courier.protocol.codec;

import io.courier.protocol.packet.MqttPacket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** API placeholder: implementation in progress. */
public final class MqttDecoder {

    private DecodeContext context;

    public MqttDecoder(DecodeContext context) {
        this.context = context;
    }

    public DecodeContext context() {
        return context;
    }

    public void context(DecodeContext newContext) {
        this.context = newContext;
    }

    /**
     * Decodes every complete packet in {@code chunk} (position to limit, consumed), handing each
     * to {@code out} in order, and keeps a trailing partial packet for the next call. A server
     * decoder switches to the version of a CONNECT it decodes before decoding the next packet.
     *
     * @throws DecodeException on any rule broken; the decoder is then unusable
     */
    public void decode(ByteBuffer chunk, Consumer<? super MqttPacket> out) {
        throw new UnsupportedOperationException("not yet");
    }

    /** Convenience for tests: decodes a whole array and returns the complete packets. */
    public List<MqttPacket> decode(byte[] chunk) {
        List<MqttPacket> out = new ArrayList<>();
        decode(ByteBuffer.wrap(chunk), out::add);
        return out;
    }

    /** Bytes of an incomplete packet held between calls. */
    public int bufferedBytes() {
        return 0;
    }
}
