package io.courier.protocol.codec;

import io.courier.protocol.packet.ReasonCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 Encoded Strings as MQTT wants them (spec 1.5.4): well-formed per RFC 3629 (no overlong
 * forms, no surrogates D800-DFFF, nothing above U+10FFFF) [MQTT-1.5.4-1] and without U+0000
 * [MQTT-1.5.4-2]. A BOM (EF BB BF) is an ordinary character and is kept [MQTT-1.5.4-3].
 *
 * <p>Almost every topic and client id is ASCII, so both directions take an ASCII fast path:
 * decoding builds a Latin-1 string (a plain copy into a compact string) and encoding writes
 * one byte per char.
 */
final class Utf8 {

    /** The longest string the two-byte length prefix can describe. */
    static final int MAX_LENGTH = 0xFFFF;

    private Utf8() {
    }

    /** Decodes {@code length} bytes at absolute index {@code offset}, rejecting what the spec forbids. */
    static String decode(ByteBuffer buf, int offset, int length) {
        byte[] array;
        int base;
        if (buf.hasArray()) {
            array = buf.array();
            base = buf.arrayOffset() + offset;
        } else {
            array = new byte[length];
            buf.get(offset, array);
            base = 0;
        }
        for (int i = base, end = base + length; i < end; i++) {
            byte b = array[i];
            if (b == 0) {
                throw malformed("U+0000 in a UTF-8 string [MQTT-1.5.4-2]");
            }
            if (b < 0) {
                validate(array, i, end);
                return new String(array, base, length, StandardCharsets.UTF_8);
            }
        }
        return new String(array, base, length, StandardCharsets.ISO_8859_1);
    }

    /** Checks bytes [from, end) against the well-formed UTF-8 table (Unicode 3.9, table 3-7). */
    private static void validate(byte[] a, int from, int end) {
        int i = from;
        while (i < end) {
            int b = a[i] & 0xFF;
            if (b == 0) {
                throw malformed("U+0000 in a UTF-8 string [MQTT-1.5.4-2]");
            }
            if (b < 0x80) {
                i++;
                continue;
            }
            int need;
            int lo = 0x80;
            int hi = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                need = 1;
            } else if (b == 0xE0) {
                need = 2;
                lo = 0xA0;
            } else if (b == 0xED) {
                need = 2;
                hi = 0x9F; // ED A0..BF would encode a surrogate
            } else if (b >= 0xE1 && b <= 0xEF) {
                need = 2;
            } else if (b == 0xF0) {
                need = 3;
                lo = 0x90;
            } else if (b >= 0xF1 && b <= 0xF3) {
                need = 3;
            } else if (b == 0xF4) {
                need = 3;
                hi = 0x8F; // beyond U+10FFFF otherwise
            } else {
                throw malformed("ill-formed UTF-8 lead byte 0x" + Integer.toHexString(b) + " [MQTT-1.5.4-1]");
            }
            if (i + need >= end) {
                throw malformed("truncated UTF-8 sequence [MQTT-1.5.4-1]");
            }
            int second = a[i + 1] & 0xFF;
            if (second < lo || second > hi) {
                throw malformed("ill-formed UTF-8 sequence [MQTT-1.5.4-1]");
            }
            for (int k = 2; k <= need; k++) {
                int c = a[i + k] & 0xFF;
                if (c < 0x80 || c > 0xBF) {
                    throw malformed("ill-formed UTF-8 sequence [MQTT-1.5.4-1]");
                }
            }
            i += need + 1;
        }
    }

    /**
     * The encoded length of a string. Refuses what must never be sent: U+0000 [MQTT-1.5.4-2], an
     * unpaired surrogate (not encodable as well-formed UTF-8 [MQTT-1.5.4-1]) and more than
     * 65,535 bytes.
     */
    static int encodedLength(String s) {
        int n = s.length();
        int len = n;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("U+0000 may not be sent [MQTT-1.5.4-2]");
            }
            if (c >= 0x80) {
                if (c < 0x800) {
                    len += 1;
                } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                    len += 2; // 4 bytes for two chars
                    i++;
                } else if (Character.isSurrogate(c)) {
                    throw new IllegalArgumentException("unpaired surrogate in string [MQTT-1.5.4-1]");
                } else {
                    len += 2;
                }
            }
        }
        if (len > MAX_LENGTH) {
            throw new IllegalArgumentException("UTF-8 string longer than 65,535 bytes");
        }
        return len;
    }

    /**
     * Writes the two-byte length and the bytes. The length is filled in afterwards, so the
     * string is walked once here; its size was already checked by {@link #encodedLength}.
     */
    static void write(ByteBuffer out, String s) {
        int lengthAt = out.position();
        out.position(lengthAt + 2);
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                out.put((byte) c);
            } else if (c < 0x800) {
                out.put((byte) (0xC0 | (c >> 6)));
                out.put((byte) (0x80 | (c & 0x3F)));
            } else if (Character.isHighSurrogate(c)) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.put((byte) (0xF0 | (cp >> 18)));
                out.put((byte) (0x80 | ((cp >> 12) & 0x3F)));
                out.put((byte) (0x80 | ((cp >> 6) & 0x3F)));
                out.put((byte) (0x80 | (cp & 0x3F)));
            } else {
                out.put((byte) (0xE0 | (c >> 12)));
                out.put((byte) (0x80 | ((c >> 6) & 0x3F)));
                out.put((byte) (0x80 | (c & 0x3F)));
            }
        }
        out.putShort(lengthAt, (short) (out.position() - lengthAt - 2));
    }

    private static DecodeException malformed(String message) {
        return new DecodeException(ReasonCode.MALFORMED_PACKET, message);
    }
}
