package io.courier.broker.retained;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import io.courier.broker.BrokerSettings;
import java.time.Duration;

/**
 * How the cluster-wide retained store is cut up and kept in step (the {@code courier.retained}
 * section; see reference.conf). Immutable.
 *
 * <p>The global bounds ({@code max-messages}, {@code max-bytes}) are split into one fixed share
 * per partition: partition {@code p} may hold {@code max / partitions} messages, plus one for the
 * first {@code max % partitions} partitions, so the shares add up to exactly the configured
 * bound and no partition has to ask another before it accepts a message. The price is that a
 * partition whose topics are unluckily many may refuse (0x97) while the store as a whole still
 * has room; docs/architecture.md weighs the alternatives.
 */
public record RetainedSettings(
        int maxMessages,
        long maxBytes,
        int partitions,
        Duration replicaSyncInterval,
        int snapshotEveryEvents) {

    /** The most partitions allowed: each one is an entity every node asks at every sync. */
    public static final int MAX_PARTITIONS = 1024;

    public RetainedSettings {
        if (partitions < 1 || partitions > MAX_PARTITIONS) {
            throw new ConfigException.BadValue("courier.retained.partitions",
                    "must be between 1 and " + MAX_PARTITIONS + ", was " + partitions);
        }
        if (replicaSyncInterval.isNegative() || replicaSyncInterval.isZero()) {
            throw new ConfigException.BadValue("courier.retained.replica-sync-interval",
                    "must be positive, was " + replicaSyncInterval);
        }
    }

    /** The bounds from the broker's settings, the rest from {@code courier.retained}. */
    public static RetainedSettings fromConfig(BrokerSettings broker, Config root) {
        Config retained = root.getConfig("courier.retained");
        return new RetainedSettings(broker.retainedMaxMessages(), broker.retainedMaxBytes(),
                retained.getInt("partitions"), retained.getDuration("replica-sync-interval"),
                broker.snapshotEveryEvents());
    }

    /** The partition that owns a topic. {@link String#hashCode} is fixed by the JLS, so every node agrees. */
    public int partitionOf(String topic) {
        return Math.floorMod(topic.hashCode(), partitions);
    }

    /** How many messages partition {@code p} may hold. */
    public int messageShare(int p) {
        return maxMessages / partitions + (p < maxMessages % partitions ? 1 : 0);
    }

    /** How many bytes (payload plus topic) partition {@code p} may hold. */
    public long byteShare(int p) {
        return maxBytes / partitions + (p < maxBytes % partitions ? 1 : 0);
    }
}
