package io.courier.broker.retained;

import org.apache.pekko.persistence.typed.SnapshotAdapter;

/** The snapshot adapter of the retained entities: see {@link RetainedMessages} on why it copies. */
final class RetainedSnapshots {

    static final SnapshotAdapter<RetainedMessages> COPYING = new SnapshotAdapter<>() {
        @Override
        public Object toJournal(RetainedMessages state) {
            return state.copy();
        }

        @Override
        public RetainedMessages fromJournal(Object from) {
            return ((RetainedMessages) from).copy();
        }
    };

    private RetainedSnapshots() {
    }
}
