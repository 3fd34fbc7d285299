package io.courier.protocol.property;

import java.util.Arrays;
import java.util.Objects;

/**
 * One property: identifier and value. The value's Java type follows {@link PropertyType}
 * ({@code Integer}, {@code Long}, {@code String}, {@code byte[]} or {@link UserProperty}); the
 * constructor checks type and range so a property that exists can always be encoded.
 * Binary values are not copied: callers must not change an array after handing it over.
 */
public record Property(PropertyId id, Object value) {

    public Property {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(value, "value");
        PropertyType type = id.type();
        if (!type.javaType().isInstance(value)) {
            throw new IllegalArgumentException(id + " takes a " + type.javaType().getSimpleName()
                    + ", not a " + value.getClass().getSimpleName());
        }
        if (value instanceof Integer i && (i < 0 || i > type.maxValue())) {
            throw new IllegalArgumentException(id + " out of range: " + i);
        }
        if (value instanceof Long l && (l < 0 || l > type.maxValue())) {
            throw new IllegalArgumentException(id + " out of range: " + l);
        }
    }

    public static Property of(PropertyId id, int value) {
        return id.type() == PropertyType.FOUR_BYTE_INTEGER
                ? new Property(id, (long) value) : new Property(id, value);
    }

    public static Property of(PropertyId id, long value) {
        return id.type() == PropertyType.FOUR_BYTE_INTEGER
                ? new Property(id, value) : new Property(id, Math.toIntExact(value));
    }

    public static Property user(String name, String value) {
        return new Property(PropertyId.USER_PROPERTY, new UserProperty(name, value));
    }

    /** The value of an integer property widened to long. */
    public long longValue() {
        return ((Number) value).longValue();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Property p && p.id == id
                && (value instanceof byte[] b ? p.value instanceof byte[] pb && Arrays.equals(b, pb)
                        : value.equals(p.value));
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + (value instanceof byte[] b ? Arrays.hashCode(b) : value.hashCode());
    }

    @Override
    public String toString() {
        return id + "=" + (value instanceof byte[] b ? "bytes[" + b.length + "]" : value);
    }
}
