package io.courier.protocol.property;

/**
 * The wire types of MQTT 5.0 properties (spec 1.5 and 2.2.2.2) and the Java type each value
 * has in {@link Property#value()}.
 */
public enum PropertyType {
    /** One byte, 0..255: {@link Integer}. */
    BYTE(Integer.class),
    /** Two Byte Integer, big-endian, 0..65,535: {@link Integer}. */
    TWO_BYTE_INTEGER(Integer.class),
    /** Four Byte Integer, big-endian, unsigned 0..4,294,967,295: {@link Long}. */
    FOUR_BYTE_INTEGER(Long.class),
    /** Variable Byte Integer, 0..268,435,455: {@link Integer}. */
    VARIABLE_BYTE_INTEGER(Integer.class),
    /** UTF-8 Encoded String: {@link String}. */
    UTF8_STRING(String.class),
    /** Binary Data: {@code byte[]}. */
    BINARY_DATA(byte[].class),
    /** UTF-8 String Pair: {@link UserProperty}. */
    UTF8_STRING_PAIR(UserProperty.class);

    private final Class<?> javaType;

    PropertyType(Class<?> javaType) {
        this.javaType = javaType;
    }

    public Class<?> javaType() {
        return javaType;
    }

    /** The largest value an integer type can carry. */
    public long maxValue() {
        return switch (this) {
            case BYTE -> 0xFF;
            case TWO_BYTE_INTEGER -> 0xFFFF;
            case FOUR_BYTE_INTEGER -> 0xFFFF_FFFFL;
            case VARIABLE_BYTE_INTEGER -> 268_435_455;
            default -> throw new IllegalStateException(this + " is not an integer type");
        };
    }
}
