package io.courier.app.loadtool;

/**
 * Which topics publishers write and subscribers read, and so how many deliveries each published
 * message should cause. Every publisher {@code p} writes to one topic; subscribers subscribe to
 * one filter each.
 *
 * <ul>
 *   <li>{@code pairs}: publisher i to topic {@code <prefix>/i}, read by subscriber i only
 *       (needs as many publishers as subscribers); 1 delivery per message.</li>
 *   <li>{@code fan-in}: publisher i to {@code <prefix>/i}; every subscriber reads
 *       {@code <prefix>/#}; M deliveries per message (the usual N publishers to 1 subscriber).</li>
 *   <li>{@code fan-out}: every publisher to the one topic {@code <prefix>/all}, read by every
 *       subscriber; M deliveries per message (1 publisher to M subscribers).</li>
 *   <li>{@code shared}: publisher i to {@code <prefix>/i}; subscribers form one shared group
 *       {@code $share/bench/<prefix>/#}; 1 delivery per message to one member of the group,
 *       so a second delivery to any member is a duplicate.</li>
 * </ul>
 */
public enum Layout {
    PAIRS, FAN_IN, FAN_OUT, SHARED;

    static Layout parse(String name) {
        return valueOf(name.replace('-', '_').toUpperCase(java.util.Locale.ROOT));
    }

    public String optionName() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    public String topicOf(String prefix, int publisher) {
        return this == FAN_OUT ? prefix + "/all" : prefix + "/" + publisher;
    }

    public String filterOf(String prefix, int subscriber) {
        return switch (this) {
            case PAIRS -> prefix + "/" + subscriber;
            case FAN_IN -> prefix + "/#";
            case FAN_OUT -> prefix + "/all";
            case SHARED -> "$share/bench/" + prefix + "/#";
        };
    }

    /** Deliveries that one published message should cause, over all subscribers. */
    public int deliveriesPerMessage(int subscribers) {
        return switch (this) {
            case PAIRS, SHARED -> subscribers == 0 ? 0 : 1;
            case FAN_IN, FAN_OUT -> subscribers;
        };
    }

    /**
     * Whether subscriber {@code s} should receive publisher {@code p}'s messages, each one.
     * For {@code shared} the group as a whole receives each message once (see
     * {@link DeliveryLedger}).
     */
    public boolean receives(int subscriber, int publisher) {
        return this != PAIRS || subscriber == publisher;
    }
}
