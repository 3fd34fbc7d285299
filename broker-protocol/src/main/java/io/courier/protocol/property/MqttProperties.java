package io.courier.protocol.property;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * An immutable, ordered property list (MQTT 5.0 section 2.2.2). Order is kept as received or
 * built because User Properties must be forwarded in order [MQTT-3.3.2-18]; repeated
 * identifiers are allowed here (the decoder enforces which may repeat in which packet).
 *
 * <p>Most packets carry no properties, so {@link #EMPTY} is shared and the accessors below walk
 * a small array instead of building maps: lists are short and lookups must not allocate.
 */
public final class MqttProperties {

    public static final MqttProperties EMPTY = new MqttProperties(new Property[0]);

    private final Property[] entries;

    private MqttProperties(Property[] entries) {
        this.entries = entries;
    }

    public static MqttProperties of(Property... properties) {
        return properties.length == 0 ? EMPTY : new MqttProperties(properties.clone());
    }

    public static MqttProperties of(List<Property> properties) {
        return properties.isEmpty() ? EMPTY : new MqttProperties(properties.toArray(new Property[0]));
    }

    public static Builder builder() {
        return new Builder();
    }

    public boolean isEmpty() {
        return entries.length == 0;
    }

    public int size() {
        return entries.length;
    }

    public Property get(int index) {
        return entries[index];
    }

    public List<Property> asList() {
        return Collections.unmodifiableList(Arrays.asList(entries));
    }

    public boolean contains(PropertyId id) {
        return first(id) != null;
    }

    /** The value of the first property with this identifier, or null. */
    public Object first(PropertyId id) {
        for (Property p : entries) {
            if (p.id() == id) {
                return p.value();
            }
        }
        return null;
    }

    /** An integer property's value (any integer type), or {@code absent} when missing. */
    public long longValue(PropertyId id, long absent) {
        Object v = first(id);
        return v == null ? absent : ((Number) v).longValue();
    }

    /** A Byte, Two Byte or Variable Byte Integer property's value, or {@code absent}. */
    public int intValue(PropertyId id, int absent) {
        Object v = first(id);
        return v == null ? absent : ((Number) v).intValue();
    }

    public String string(PropertyId id) {
        return (String) first(id);
    }

    public byte[] binary(PropertyId id) {
        return (byte[]) first(id);
    }

    /** User Properties in order [MQTT-3.3.2-18]. */
    public List<UserProperty> userProperties() {
        List<UserProperty> out = new ArrayList<>();
        for (Property p : entries) {
            if (p.id() == PropertyId.USER_PROPERTY) {
                out.add((UserProperty) p.value());
            }
        }
        return out;
    }

    /** All values of a repeatable integer property (Subscription Identifiers in a PUBLISH). */
    public int[] intValues(PropertyId id) {
        int n = 0;
        for (Property p : entries) {
            if (p.id() == id) {
                n++;
            }
        }
        int[] out = new int[n];
        int i = 0;
        for (Property p : entries) {
            if (p.id() == id) {
                out[i++] = ((Number) p.value()).intValue();
            }
        }
        return out;
    }

    /** A copy with every property of this identifier replaced by one with this value. */
    public MqttProperties with(Property property) {
        Builder b = builder();
        boolean placed = false;
        for (Property p : entries) {
            if (p.id() != property.id()) {
                b.add(p);
            } else if (!placed) {
                b.add(property);
                placed = true;
            }
        }
        if (!placed) {
            b.add(property);
        }
        return b.build();
    }

    /** A copy without any property of these identifiers; this list itself when none is present. */
    public MqttProperties without(PropertyId... ids) {
        Builder b = builder();
        boolean removed = false;
        outer:
        for (Property p : entries) {
            for (PropertyId id : ids) {
                if (p.id() == id) {
                    removed = true;
                    continue outer;
                }
            }
            b.add(p);
        }
        return removed ? b.build() : this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MqttProperties other && Arrays.equals(entries, other.entries);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(entries);
    }

    @Override
    public String toString() {
        return Arrays.toString(entries);
    }

    /** Collects properties in order; {@link #build()} returns {@link #EMPTY} when none were added. */
    public static final class Builder {
        private final List<Property> list = new ArrayList<>(4);

        public Builder add(Property property) {
            list.add(property);
            return this;
        }

        public Builder add(PropertyId id, int value) {
            return add(Property.of(id, value));
        }

        public Builder add(PropertyId id, long value) {
            return add(Property.of(id, value));
        }

        public Builder add(PropertyId id, String value) {
            return add(new Property(id, value));
        }

        public Builder add(PropertyId id, byte[] value) {
            return add(new Property(id, value));
        }

        public Builder user(String name, String value) {
            return add(Property.user(name, value));
        }

        public MqttProperties build() {
            return MqttProperties.of(list);
        }
    }
}
