package io.courier.persistence;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentEventsByPersistenceIdQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The entities stored in the journal, through the read journal named by
 * {@code courier.persistence.query-plugin} (the LevelDB one by default: Pekko's
 * {@code LeveldbReadJournal}). Used at start-up to wake persistent sessions, whose recovery puts
 * their subscriptions back into the node's trie and their timers back on the clock.
 */
public final class PersistenceIds {

    private PersistenceIds() {
    }

    /**
     * Every persistence id stored when the query runs, without the {@code prefix}, for the ids
     * that start with it (e.g. {@code "session|"} gives client ids). Completes when all are listed.
     */
    public static Source<String, NotUsed> current(ActorSystem<?> system, String prefix) {
        String plugin = system.settings().config().getString("courier.persistence.query-plugin");
        CurrentPersistenceIdsQuery query = PersistenceQuery.get(Adapter.toClassic(system))
                .getReadJournalFor(CurrentPersistenceIdsQuery.class, plugin);
        return query.currentPersistenceIds()
                .filter(id -> id.startsWith(prefix))
                .map(id -> id.substring(prefix.length()));
    }

    /**
     * As {@link #current}, but only the ids that hold at least one event. The LevelDB journal
     * also lists ids that were merely looked up: every session entity reads its journal when it
     * starts, including sessions with expiry 0 that never write, and waking those would make
     * start-up grow with every client id ever seen.
     */
    public static Source<String, NotUsed> withEvents(ActorSystem<?> system, String prefix) {
        String plugin = system.settings().config().getString("courier.persistence.query-plugin");
        CurrentEventsByPersistenceIdQuery events = PersistenceQuery.get(Adapter.toClassic(system))
                .getReadJournalFor(CurrentEventsByPersistenceIdQuery.class, plugin);
        return current(system, prefix).mapAsync(4, id -> events
                        .currentEventsByPersistenceId(prefix + id, 0L, Long.MAX_VALUE)
                        .take(1)
                        .runWith(Sink.headOption(), system)
                        .thenApply(first -> first.isPresent() ? id : ""))
                .filter(id -> !id.isEmpty());
    }
}
