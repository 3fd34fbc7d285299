package io.courier.persistence;

import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.javadsl.CurrentPersistenceIdsQuery;
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
}
