package io.courier.broker.retained;

import io.courier.protocol.message.Message;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The retained messages of one partition by topic, and their total size: the state of a
 * {@link RetainedPartition} (and of the {@link LegacyRetainedStore} it migrates from).
 *
 * <p>Mutable on purpose: copying a map of thousands of entries per event would make every
 * retained PUBLISH O(n). Three rules keep that safe:
 * <ul>
 * <li>It never leaves its actor except through the snapshot adapter, which hands the snapshot
 * store a {@link #copy()} (the store serializes it on its own thread) and copies what it loads
 * (an in-memory store hands back the very object it kept).</li>
 * <li>{@link #EMPTY} is frozen: Pekko evaluates {@code emptyState()} once per behavior and starts
 * every restart's recovery from it, so a mutated empty state would bring back events the journal
 * refused. The first event thaws it into a fresh map.</li>
 * <li>Event handlers return the state they changed, which is the one Pekko keeps.</li>
 * </ul>
 */
public final class RetainedMessages {

    /** No messages; never changed (see the class comment). */
    public static final RetainedMessages EMPTY = new RetainedMessages(true);

    private final Map<String, Message> byTopic = new HashMap<>();
    private final boolean frozen;
    private long bytes;

    public RetainedMessages() {
        this(false);
    }

    private RetainedMessages(boolean frozen) {
        this.frozen = frozen;
    }

    /** A state holding these messages (the serializer's way back). */
    public static RetainedMessages of(Collection<Message> messages) {
        RetainedMessages s = new RetainedMessages();
        messages.forEach(s::store);
        return s;
    }

    /** What a message costs against {@code max-bytes}: payload plus topic bytes. */
    public static long sizeOf(Message m) {
        return (long) m.payload().length + m.topic().getBytes(StandardCharsets.UTF_8).length;
    }

    public int size() {
        return byTopic.size();
    }

    /** Sum of {@link #sizeOf} over the messages. */
    public long bytes() {
        return bytes;
    }

    public Message get(String topic) {
        return byTopic.get(topic);
    }

    public Collection<Message> messages() {
        return Collections.unmodifiableCollection(byTopic.values());
    }

    /** The topics whose message has expired at {@code nowMillis} [MQTT-3.3.2-5]. */
    public List<String> expiredTopics(long nowMillis) {
        List<String> expired = new ArrayList<>();
        byTopic.forEach((topic, m) -> {
            if (m.isExpired(nowMillis)) {
                expired.add(topic);
            }
        });
        return expired;
    }

    /** Applies the event to this state, or to a fresh copy if this one is frozen; returns that. */
    RetainedMessages store(Message m) {
        RetainedMessages target = frozen ? copy() : this;
        Message previous = target.byTopic.put(m.topic(), m);
        target.bytes += sizeOf(m) - (previous == null ? 0 : sizeOf(previous));
        return target;
    }

    /** Like {@link #store}. */
    RetainedMessages delete(String topic) {
        RetainedMessages target = frozen ? copy() : this;
        Message previous = target.byTopic.remove(topic);
        if (previous != null) {
            target.bytes -= sizeOf(previous);
        }
        return target;
    }

    /** Like {@link #store}: no messages at all. */
    RetainedMessages clear() {
        return frozen ? this : new RetainedMessages();
    }

    RetainedMessages copy() {
        RetainedMessages c = new RetainedMessages();
        c.byTopic.putAll(byTopic);
        c.bytes = bytes;
        return c;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RetainedMessages s && bytes == s.bytes && byTopic.equals(s.byTopic);
    }

    @Override
    public int hashCode() {
        return byTopic.hashCode();
    }

    @Override
    public String toString() {
        return "RetainedMessages[messages=" + byTopic.size() + ", bytes=" + bytes + "]";
    }
}
