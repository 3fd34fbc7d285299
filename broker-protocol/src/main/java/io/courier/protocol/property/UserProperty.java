package io.courier.protocol.property;

import java.util.Objects;

/**
 * A User Property (0x26): a name/value string pair. The same name may appear more than once and
 * order is kept [MQTT-3.3.2-18] [MQTT-3.3.2-17].
 */
public record UserProperty(String name, String value) {
    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
