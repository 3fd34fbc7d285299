package io.courier.broker.retained;

import io.courier.broker.routing.RetainedStore;
import io.courier.protocol.index.RetainedIndex;
import io.courier.protocol.message.Message;
import io.courier.protocol.topic.TopicName;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Keeps this node's {@link RetainedIndex} a complete copy of every partition of the retained
 * store, so a wildcard SUBSCRIBE on any node reads every matching retained message locally and
 * without locks. One per node; the only writer of the index.
 *
 * <p>How it stays complete: per partition it knows the journal sequence number it has applied.
 * A {@link Changed} with the next number is applied; an older one is ignored; a newer one means
 * changes were lost on the way (the publish-subscribe topic delivers at most once, and a node
 * that just joined is not yet known to every partition's topic), so it asks the partition for
 * its whole contents ({@link RetainedPartition.Sync}) and keeps later changes aside until the
 * answer is in. Every {@code replica-sync-interval} it asks every partition whether it is behind
 * (the answer is a cheap {@link Unchanged} when it is not), which also repairs a lost last change
 * and a partition that moved to another node. At start every partition is asked, and {@link
 * RetainedStore.Stats} is answered only once each has answered, so a node binds its listeners
 * with a complete replica.
 *
 * <p>Changes reach the index only after the partition persisted them, so a reader never sees a
 * message that a crash would lose.
 */
public final class RetainedReplica extends AbstractBehavior<RetainedReplica.Command> {

    /** Messages. */
    public sealed interface Command {
    }

    /**
     * Partition {@code partition}'s event {@code seqNr}: {@code topic} now retains {@code message},
     * or nothing when it is null (deleted or expired).
     */
    public record Changed(int partition, long seqNr, String topic, Message message) implements Command {
    }

    /**
     * One page of a partition's whole contents as of its event {@code seqNr}; {@code last} ends
     * the answer to {@code request}. {@code refused} counts what the partition refused since it
     * started.
     */
    public record Contents(int partition, long request, long seqNr, long refused, List<Message> messages,
                           boolean last) implements Command {
    }

    /** The answer to {@code request}: the replica is up to date at {@code seqNr}. */
    public record Unchanged(int partition, long request, long seqNr, long refused) implements Command {
    }

    /**
     * A change this node's door asked for is durable: apply it, then give the publisher its
     * answer (so a subscriber on this node sees what the publisher was told is retained).
     */
    public record Confirm(List<Changed> changes, ActorRef<RetainedStore.Retained> replyTo,
                          RetainedStore.Retained answer) implements Command {
    }

    /** Answered with the store's figures once every partition has been copied once. */
    public record AwaitFilled(ActorRef<RetainedStore.StatsReply> replyTo) implements Command {
    }

    private enum SyncTick implements Command { INSTANCE }

    /** Changes set aside while a partition's contents are on the way; more means: ask again later. */
    static final int MAX_HELD_CHANGES = 10_000;

    /** What this replica knows of one partition. */
    private static final class PartitionView {
        long seqNr = -1;
        long request;          // the sync answer waited for; 0 when none
        long requestedAt;
        final List<Message> contents = new ArrayList<>();
        final List<Changed> held = new ArrayList<>();
        boolean filled;
        int messages;
        long bytes;
        long refused;
    }

    private final RetainedIndex<Message> index;
    private final RetainedSettings settings;
    private final IntFunction<RecipientRef<RetainedPartition.Command>> partitions;
    private final PartitionView[] views;
    private final List<ActorRef<RetainedStore.StatsReply>> waiting = new ArrayList<>();
    private final long startedAt = System.nanoTime();
    private long nextRequest = 1;
    private int filled;

    private RetainedReplica(ActorContext<Command> context, RetainedIndex<Message> index, RetainedSettings settings,
                            IntFunction<RecipientRef<RetainedPartition.Command>> partitions) {
        super(context);
        this.index = index;
        this.settings = settings;
        this.partitions = partitions;
        this.views = new PartitionView[settings.partitions()];
        for (int p = 0; p < views.length; p++) {
            views[p] = new PartitionView();
        }
    }

    /**
     * @param partitions the address of partition {@code p} (the sharding entity ref)
     */
    public static Behavior<Command> create(RetainedIndex<Message> index, RetainedSettings settings,
                                           IntFunction<RecipientRef<RetainedPartition.Command>> partitions) {
        return Behaviors.setup(ctx -> Behaviors.withTimers((TimerScheduler<Command> timers) -> {
            timers.startTimerWithFixedDelay(SyncTick.INSTANCE, settings.replicaSyncInterval());
            RetainedReplica replica = new RetainedReplica(ctx, index, settings, partitions);
            replica.syncAll();
            return replica;
        }));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Changed.class, this::onChanged)
                .onMessage(Confirm.class, this::onConfirm)
                .onMessage(Contents.class, this::onContents)
                .onMessage(Unchanged.class, this::onUnchanged)
                .onMessage(AwaitFilled.class, this::onAwaitFilled)
                .onMessageEquals(SyncTick.INSTANCE, () -> {
                    syncAll();
                    return this;
                })
                .build();
    }

    /** Asks every partition that has no question open (or one older than an interval) whether it is behind. */
    private void syncAll() {
        long now = System.nanoTime();
        long patience = settings.replicaSyncInterval().toNanos();
        for (int p = 0; p < views.length; p++) {
            PartitionView view = views[p];
            if (view.request == 0 || now - view.requestedAt >= patience) {
                requestSync(p);
            }
        }
    }

    private void requestSync(int p) {
        PartitionView view = views[p];
        view.request = nextRequest++;
        view.requestedAt = System.nanoTime();
        view.contents.clear();
        partitions.apply(p).tell(new RetainedPartition.Sync(view.seqNr, view.request, getContext().getSelf()));
    }

    private Behavior<Command> onChanged(Changed c) {
        PartitionView view = views[c.partition()];
        if (view.request != 0) {
            if (view.held.size() < MAX_HELD_CHANGES) {
                view.held.add(c);
            }
            return this;
        }
        if (c.seqNr() <= view.seqNr) {
            return this; // already in a copy of the contents
        }
        if (c.seqNr() == view.seqNr + 1) {
            apply(view, c);
        } else {
            getContext().getLog().debug("retained replica missed changes (partition={}, known={}, got={})",
                    c.partition(), view.seqNr, c.seqNr());
            requestSync(c.partition());
            view.held.add(c);
        }
        return this;
    }

    private Behavior<Command> onConfirm(Confirm confirm) {
        confirm.changes().forEach(this::onChanged); // the same change by the topic later is then old
        confirm.replyTo().tell(confirm.answer());
        return this;
    }

    private void apply(PartitionView view, Changed c) {
        TopicName topic = new TopicName(c.topic());
        Message previous = c.message() == null ? index.remove(topic) : index.put(topic, c.message());
        if (previous != null) {
            view.messages--;
            view.bytes -= RetainedMessages.sizeOf(previous);
        }
        if (c.message() != null) {
            view.messages++;
            view.bytes += RetainedMessages.sizeOf(c.message());
        }
        view.seqNr = c.seqNr();
    }

    private Behavior<Command> onContents(Contents page) {
        PartitionView view = views[page.partition()];
        if (page.request() != view.request) {
            return this; // an answer to a question asked again since
        }
        view.contents.addAll(page.messages());
        if (page.last()) {
            replaceContents(page.partition(), view);
            answered(page.partition(), view, page.seqNr(), page.refused());
        }
        return this;
    }

    private Behavior<Command> onUnchanged(Unchanged answer) {
        PartitionView view = views[answer.partition()];
        if (answer.request() == view.request) {
            answered(answer.partition(), view, answer.seqNr(), answer.refused());
        }
        return this;
    }

    /** Makes the index's part of partition {@code p} equal to the contents received. */
    private void replaceContents(int p, PartitionView view) {
        Set<String> kept = new HashSet<>();
        view.messages = 0;
        view.bytes = 0;
        for (Message m : view.contents) {
            kept.add(m.topic());
            index.put(new TopicName(m.topic()), m);
            view.messages++;
            view.bytes += RetainedMessages.sizeOf(m);
        }
        List<TopicName> stale = new ArrayList<>();
        index.forEach((topic, m) -> {
            if (settings.partitionOf(topic.value()) == p && !kept.contains(topic.value())) {
                stale.add(topic);
            }
        });
        stale.forEach(index::remove);
        view.contents.clear();
    }

    /** The answer to the open question is in: catch up with the changes held meanwhile. */
    private void answered(int p, PartitionView view, long seqNr, long refused) {
        view.request = 0;
        view.seqNr = seqNr;
        view.refused = refused;
        List<Changed> held = new ArrayList<>(view.held);
        view.held.clear();
        held.sort((a, b) -> Long.compare(a.seqNr(), b.seqNr()));
        for (Changed c : held) {
            onChanged(c); // may find a gap and ask again, holding the rest
        }
        if (!view.filled) {
            view.filled = true;
            filled++;
            if (filled == views.length) {
                RetainedStore.StatsReply stats = stats();
                getContext().getLog().info("retained replica filled (partitions={}, messages={}, bytes={}, millis={})",
                        views.length, stats.messages(), stats.bytes(), (System.nanoTime() - startedAt) / 1_000_000);
                waiting.forEach(w -> w.tell(stats));
                waiting.clear();
            }
        }
    }

    private Behavior<Command> onAwaitFilled(AwaitFilled ask) {
        if (filled == views.length) {
            ask.replyTo().tell(stats());
        } else {
            waiting.add(ask.replyTo());
        }
        return this;
    }

    private RetainedStore.StatsReply stats() {
        int messages = 0;
        long bytes = 0;
        long refused = 0;
        for (PartitionView v : views) {
            messages += v.messages;
            bytes += v.bytes;
            refused += v.refused;
        }
        return new RetainedStore.StatsReply(messages, bytes, refused);
    }
}
