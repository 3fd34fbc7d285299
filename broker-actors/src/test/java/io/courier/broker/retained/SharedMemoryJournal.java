package io.courier.broker.retained;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.function.Consumer;
import org.apache.pekko.dispatch.Futures;
import org.apache.pekko.persistence.AtomicWrite;
import org.apache.pekko.persistence.PersistentRepr;
import org.apache.pekko.persistence.journal.japi.AsyncWriteJournal;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import scala.concurrent.Future;

/**
 * A journal that every actor system of one JVM shares, so in-process cluster tests can lose a
 * node and have its entities recover elsewhere, as they would from Cassandra. Events are kept
 * serialized (by the writing system, read back by the replaying one), so what crosses is
 * exactly what a real journal would hold. Test-only: configured as
 * {@code pekko.persistence.journal.plugin = "courier-shared-memory-journal"}.
 */
public final class SharedMemoryJournal extends AsyncWriteJournal {

    /** The plugin's configuration, to put in front of a test system's. */
    public static final String CONFIG = """
            courier-shared-memory-journal.class = "io.courier.broker.retained.SharedMemoryJournal"
            pekko.persistence.journal.plugin = "courier-shared-memory-journal"
            """;

    private record Stored(PersistentRepr repr, int serializerId, String manifest, byte[] bytes) {
    }

    private static final Map<String, ConcurrentSkipListMap<Long, Stored>> EVENTS = new ConcurrentHashMap<>();
    private static final Map<String, Long> HIGHEST = new ConcurrentHashMap<>();

    private final Serialization serialization = SerializationExtension.get(context().system());

    /** Forgets everything (between tests). */
    public static void clear() {
        EVENTS.clear();
        HIGHEST.clear();
    }

    @Override
    public Future<Iterable<Optional<Exception>>> doAsyncWriteMessages(Iterable<AtomicWrite> writes) {
        List<Optional<Exception>> results = new ArrayList<>();
        for (AtomicWrite write : writes) {
            var events = EVENTS.computeIfAbsent(write.persistenceId(), id -> new ConcurrentSkipListMap<>());
            write.payload().foreach(repr -> {
                Object payload = repr.payload();
                Serializer serializer = serialization.findSerializerFor(payload);
                byte[] bytes = serialization.serialize(payload).get();
                events.put(repr.sequenceNr(), new Stored(repr.withPayload(""), serializer.identifier(),
                        Serializers.manifestFor(serializer, payload), bytes));
                HIGHEST.merge(write.persistenceId(), repr.sequenceNr(), Math::max);
                return null;
            });
            results.add(Optional.empty());
        }
        return Futures.successful(results);
    }

    @Override
    public Future<Void> doAsyncDeleteMessagesTo(String persistenceId, long toSequenceNr) {
        var events = EVENTS.get(persistenceId);
        if (events != null) {
            events.headMap(toSequenceNr, true).clear();
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Void> doAsyncReplayMessages(String persistenceId, long fromSequenceNr, long toSequenceNr, long max,
                                              Consumer<PersistentRepr> replay) {
        var events = EVENTS.get(persistenceId);
        if (events != null) {
            long n = 0;
            for (Stored s : events.subMap(fromSequenceNr, true, toSequenceNr, true).values()) {
                if (n++ >= max) {
                    break;
                }
                replay.accept(s.repr().withPayload(serialization.deserialize(s.bytes(), s.serializerId(), s.manifest()).get()));
            }
        }
        return Futures.successful(null);
    }

    @Override
    public Future<Long> doAsyncReadHighestSequenceNr(String persistenceId, long fromSequenceNr) {
        return Futures.successful(HIGHEST.getOrDefault(persistenceId, 0L));
    }
}
