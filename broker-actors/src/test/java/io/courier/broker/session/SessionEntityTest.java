package io.courier.broker.session;

import static io.courier.broker.session.SessionFixture.ONE_HOUR;
import static io.courier.broker.session.SessionFixture.SHORT;
import static io.courier.broker.session.SessionFixture.ack;
import static io.courier.broker.session.SessionFixture.attach;
import static io.courier.broker.session.SessionFixture.delivery;
import static io.courier.broker.session.SessionFixture.detach;
import static io.courier.broker.session.SessionFixture.enqueue;
import static io.courier.broker.session.SessionFixture.entry;
import static io.courier.broker.session.SessionFixture.expectDeliver;
import static io.courier.broker.session.SessionFixture.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.engine.Effect;
import io.courier.protocol.engine.Effect.OutboundAck;
import io.courier.protocol.engine.Effect.SessionEnd;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.MqttVersion;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.ReasonCode;
import io.courier.protocol.session.InflightWindow;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit;
import org.apache.pekko.persistence.testkit.javadsl.EventSourcedBehaviorTestKit.CommandResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The session entity while a client is connected: attach, takeover, which sessions write to the
 * journal, and the outbound queue and inflight window. Subscriptions are in
 * {@link SessionSubscriptionTest}, recovery in {@link SessionEntityRecoveryTest}, wills and
 * expiry in {@link SessionTimersTest}.
 */
class SessionEntityTest {

    private static ActorTestKit testKit;

    private SessionFixture f;
    private EventSourcedBehaviorTestKit<SessionCommand, SessionEvent, SessionState> kit;
    private TestProbe<EngineInput> conn;

    @BeforeAll
    static void startSystem() {
        testKit = ActorTestKit.create(SessionFixture.config());
    }

    @AfterAll
    static void stopSystem() {
        testKit.shutdownTestKit();
    }

    @BeforeEach
    void newSession() {
        f = new SessionFixture(testKit);
        kit = f.kit();
        conn = f.connection();
    }

    private static EngineInput.SessionOpened opened(boolean present) {
        return new EngineInput.SessionOpened(present);
    }

    // ---- attach -------------------------------------------------------------------------

    @Test
    @DisplayName("a new session opens with Session Present 0 [MQTT-3.2.2-3]")
    void newSessionOpensWithoutSessionPresent() {
        CommandResult<SessionCommand, SessionEvent, SessionState> result = kit.runCommand(attach(conn, false, ONE_HOUR));

        conn.expectMessage(opened(false));
        assertEquals(List.of(new SessionEvent.Attached(MqttVersion.V5, false, ONE_HOUR, null, 0, 1024)), result.events());
        assertTrue(kit.getState().isAttached());
    }

    @Test
    @DisplayName("clean start 0 resumes the session: Session Present 1, subscriptions kept [MQTT-3.2.2-3] [MQTT-3.1.2-5]")
    void resumingAnExistingSessionIsPresent() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        kit.runCommand(subscribe(conn, 1, entry("a/b", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);
        kit.runCommand(detach(conn, SessionEnd.NORMAL, ONE_HOUR));

        TestProbe<EngineInput> again = f.connection();
        kit.runCommand(attach(again, false, ONE_HOUR));

        again.expectMessage(opened(true));
        assertEquals(Set.of("a/b"), kit.getState().subscriptions().keySet());
        assertEquals(List.of("a/b"), f.trieFilters());
    }

    @Test
    @DisplayName("clean start 1 discards the session: Session Present 0, no subscriptions in the session or the trie, "
            + "nothing queued [MQTT-3.1.2-4] [MQTT-3.2.2-2]")
    void cleanStartDiscardsTheSession() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        kit.runCommand(subscribe(conn, 1, entry("a/b", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);
        kit.runCommand(detach(conn, SessionEnd.NORMAL, ONE_HOUR));
        kit.runCommand(enqueue(delivery("a/b", Qos.AT_LEAST_ONCE, "queued while away")));
        assertEquals(1, kit.getState().queue().size());

        TestProbe<EngineInput> again = f.connection();
        CommandResult<SessionCommand, SessionEvent, SessionState> result = kit.runCommand(attach(again, true, ONE_HOUR));

        again.expectMessage(opened(false));
        again.expectNoMessage(SHORT);
        assertTrue(((SessionEvent.Attached) result.event()).cleanStart());
        assertTrue(kit.getState().subscriptions().isEmpty());
        assertTrue(kit.getState().queue().isEmpty());
        assertEquals(List.of(), f.trieFilters());
        assertEquals(0, f.targets("a/b", "publisher"));
    }

    // ---- takeover -----------------------------------------------------------------------

    @Test
    @DisplayName("a second connection takes the session over: the first is told TakenOver [MQTT-3.1.4-3]")
    void secondAttachTakesOver() {
        TestProbe<EngineInput> second = f.connection();
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));

        kit.runCommand(attach(second, false, ONE_HOUR));

        conn.expectMessage(new EngineInput.TakenOver());
        second.expectMessage(opened(true));
        kit.runCommand(enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, "after takeover")));
        expectDeliver(second, 1, Qos.AT_LEAST_ONCE, false, "after takeover");
        conn.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("the session is online for shared subscriptions from attach to detach, takeover included")
    void onlineWhileAConnectionIsAttached() {
        TestProbe<EngineInput> second = f.connection();
        assertFalse(f.context.onlineSessions().contains(f.clientId));
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        assertTrue(f.context.onlineSessions().contains(f.clientId));

        kit.runCommand(attach(second, false, ONE_HOUR));
        conn.expectMessage(new EngineInput.TakenOver());
        kit.runCommand(detach(conn, SessionEnd.ABNORMAL, ONE_HOUR)); // late, from the old connection
        assertTrue(f.context.onlineSessions().contains(f.clientId));

        kit.runCommand(detach(second, SessionEnd.NORMAL, ONE_HOUR));
        assertFalse(f.context.onlineSessions().contains(f.clientId));
    }

    @Test
    @DisplayName("a session that stops while attached is no longer online")
    void stoppedSessionIsOffline() {
        ActorRef<SessionCommand> session = f.spawn();
        session.tell(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        assertTrue(f.context.onlineSessions().contains(f.clientId));
        testKit.stop(session);
        conn.awaitAssert(() -> {
            assertFalse(f.context.onlineSessions().contains(f.clientId));
            return null;
        });
    }

    @Test
    @DisplayName("after a takeover, late commands from the old connection change nothing and get no answer")
    void lateCommandsFromTheOldConnectionAreIgnored() {
        TestProbe<EngineInput> second = f.connection();
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        kit.runCommand(subscribe(conn, 1, entry("t/1", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);
        kit.runCommand(enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, "m")));
        expectDeliver(conn, 1, Qos.AT_LEAST_ONCE, false, "m");
        kit.<SessionCommand.Qos2Recorded>runCommand(r -> new SessionCommand.RecordInboundQos2(9, r));

        kit.runCommand(attach(second, false, ONE_HOUR));
        conn.expectMessage(new EngineInput.TakenOver());
        second.expectMessage(opened(true));
        expectDeliver(second, 1, Qos.AT_LEAST_ONCE, true, "m");
        SessionState before = kit.getState().copy();

        List<SessionCommand> late = List.of(
                subscribe(conn, 2, entry("t/2", Qos.AT_LEAST_ONCE)),
                new SessionCommand.Unsubscribe(conn.ref(), 3, List.of(new Effect.UnsubscribeEntry("t/1", null))),
                ack(conn, 1, OutboundAck.PUBACK),
                new SessionCommand.ReleaseInboundQos2(conn.ref(), 9),
                detach(conn, SessionEnd.ABNORMAL, ONE_HOUR));
        for (SessionCommand command : late) {
            CommandResult<SessionCommand, SessionEvent, SessionState> result = kit.runCommand(command);
            assertTrue(result.hasNoEvents(), () -> command + " wrote " + result.events());
        }

        assertEquals(before, kit.getState());
        assertTrue(kit.getState().isAttached());
        assertEquals(List.of("t/1"), f.trieFilters());
        conn.expectNoMessage(SHORT);
        second.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("taking over a session whose expiry is 0 ends it: Session Present 0, subscriptions gone, "
            + "the old connection's will published (3.1.4, 3.1.2.11.2, 3.1.3.2.2)")
    void takeoverEndsASessionThatEndsWithItsConnection() {
        TestProbe<EngineInput> second = f.connection();
        kit.runCommand(new SessionCommand.Attach(conn.ref(), MqttVersion.V5, false, 0, f.will(), 30, 1024));
        conn.expectMessage(opened(false));
        kit.runCommand(subscribe(conn, 1, entry("t/1", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);

        kit.runCommand(attach(second, false, 0));

        conn.expectMessage(new EngineInput.TakenOver());
        second.expectMessage(opened(false));
        f.expectWill(SHORT);
        assertTrue(kit.getState().subscriptions().isEmpty());
        assertEquals(List.of(), f.trieFilters());
        assertEquals(List.of(), f.journal());
    }

    // ---- what is journaled ----------------------------------------------------------------

    @Test
    @DisplayName("a session with expiry 0 never writes to the journal, whatever it does, so a restart finds nothing "
            + "(ARCHITECTURE.md section 4)")
    void sessionThatEndsWithItsConnectionWritesNothing() {
        List<List<SessionEvent>> written = runWholeLife(0);

        for (List<SessionEvent> events : written) {
            assertEquals(List.of(), events);
        }
        assertEquals(List.of(), f.journal());
        assertEquals(List.of(), kit.snapshotTestKit().orElseThrow().persistedInStorage(f.persistenceId()));
        assertFalse(kit.restart().state().exists());
        // Its detach (which stops the entity, out of the kit's reach) is in SessionTimersTest.
    }

    @Test
    @DisplayName("a session that outlives its connection journals every change, one write per command "
            + "[MQTT-3.1.2-23]")
    void persistentSessionJournalsEveryChange() {
        List<List<SessionEvent>> written = runWholeLife(ONE_HOUR);

        List<List<Class<?>>> kinds = written.stream()
                .map(events -> events.stream().<Class<?>>map(Object::getClass).toList()).toList();
        assertEquals(List.of(
                List.of(SessionEvent.Attached.class),
                List.of(SessionEvent.SubscriptionAdded.class),
                List.of(SessionEvent.MessageQueued.class, SessionEvent.MessageSent.class),
                List.of(SessionEvent.MessageQueued.class),
                List.of(SessionEvent.OutboundAcknowledged.class, SessionEvent.MessageSent.class),
                List.of(SessionEvent.OutboundAcknowledged.class),
                List.of(SessionEvent.OutboundAcknowledged.class),
                List.of(),
                List.of(SessionEvent.InboundQos2Recorded.class),
                List.of(SessionEvent.InboundQos2Released.class),
                List.of(SessionEvent.SubscriptionRemoved.class),
                List.of(SessionEvent.Detached.class)), kinds);
        assertEquals(written.stream().flatMap(List::stream).toList(), f.journal());
    }

    /**
     * One session from attach to detach with a window of 1, answering everything the session
     * sends; returns what each command wrote to the journal. A session with expiry 0 is not
     * detached: it would stop, and the kit cannot run a command that stops its entity.
     */
    private List<List<SessionEvent>> runWholeLife(long expiry) {
        List<List<SessionEvent>> written = new ArrayList<>();
        written.add(kit.runCommand(attach(conn, true, expiry, 1)).events());
        conn.expectMessage(opened(false));
        written.add(kit.runCommand(subscribe(conn, 1, entry("a/#", Qos.EXACTLY_ONCE))).events());
        conn.expectMessage(new EngineInput.Subscribed(1, List.of(ReasonCode.GRANTED_QOS_2)));

        var one = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("a/1", Qos.AT_LEAST_ONCE, "one"), r, 1));
        assertEquals(new SessionCommand.Stored(1, true), one.reply());
        written.add(one.events());
        expectDeliver(conn, 1, Qos.AT_LEAST_ONCE, false, "one");
        var two = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("a/2", Qos.EXACTLY_ONCE, "two"), r, 2));
        assertEquals(new SessionCommand.Stored(2, true), two.reply());
        written.add(two.events());
        conn.expectNoMessage(SHORT);

        written.add(kit.runCommand(ack(conn, 1, OutboundAck.PUBACK)).events());
        expectDeliver(conn, 2, Qos.EXACTLY_ONCE, false, "two");
        written.add(kit.runCommand(ack(conn, 2, OutboundAck.PUBREC)).events());
        written.add(kit.runCommand(ack(conn, 2, OutboundAck.PUBCOMP)).events());
        written.add(kit.runCommand(enqueue(delivery("a/0", Qos.AT_MOST_ONCE, "zero"))).events());
        expectDeliver(conn, 0, Qos.AT_MOST_ONCE, false, "zero");

        var recorded = kit.<SessionCommand.Qos2Recorded>runCommand(r -> new SessionCommand.RecordInboundQos2(5, r));
        assertEquals(new SessionCommand.Qos2Recorded(5), recorded.reply());
        written.add(recorded.events());
        written.add(kit.runCommand(new SessionCommand.ReleaseInboundQos2(conn.ref(), 5)).events());
        conn.expectMessage(new EngineInput.InboundReleased(5, true));
        written.add(kit.runCommand(new SessionCommand.Unsubscribe(conn.ref(), 3,
                List.of(new Effect.UnsubscribeEntry("a/#", null)))).events());
        conn.expectMessage(new EngineInput.Unsubscribed(3, List.of(ReasonCode.SUCCESS)));
        if (expiry > 0) {
            written.add(kit.runCommand(detach(conn, SessionEnd.NORMAL, expiry)).events());
        }
        return written;
    }

    // ---- messages to the client --------------------------------------------------------------

    @Test
    @DisplayName("QoS 1 while attached: Stored once journaled, then delivered with a packet id [MQTT-2.2.1-4]")
    void qos1WhileAttachedIsStoredThenDelivered() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));

        var result = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, "m"), r, 42));

        assertEquals(new SessionCommand.Stored(42, true), result.reply());
        assertTrue(result.events().get(0) instanceof SessionEvent.MessageQueued);
        expectDeliver(conn, 1, Qos.AT_LEAST_ONCE, false, "m");
        assertEquals(1, kit.getState().inflight().size());
    }

    @Test
    @DisplayName("a QoS 1 message the journal refuses is never reported Stored, so its publisher is not acknowledged "
            + "(ARCHITECTURE.md section 4)")
    void messageTheJournalRefusesIsNotStored() {
        SessionFixture other = new SessionFixture(testKit);
        var session = other.spawn();
        session.tell(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        TestProbe<SessionCommand.Stored> stored = testKit.createTestProbe(SessionCommand.Stored.class);

        org.apache.pekko.persistence.testkit.javadsl.PersistenceTestKit.create(testKit.system())
                .rejectNextPersisted(other.persistenceId());
        session.tell(new SessionCommand.Enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, "m"), stored.ref(), 1));

        stored.expectNoMessage(java.time.Duration.ofMillis(500));
        conn.expectNoMessage(SHORT);
        assertEquals(List.of(SessionEvent.Attached.class), other.journalTypes());
    }

    @Test
    @DisplayName("the inflight window holds Receive Maximum messages; the next waits for an acknowledgement "
            + "[MQTT-3.3.4-9]")
    void fullWindowQueuesUntilAnAcknowledgementFreesASlot() {
        kit.runCommand(attach(conn, false, ONE_HOUR, 2));
        conn.expectMessage(opened(false));

        for (String payload : List.of("one", "two", "three")) {
            kit.runCommand(enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, payload)));
        }

        expectDeliver(conn, 1, Qos.AT_LEAST_ONCE, false, "one");
        expectDeliver(conn, 2, Qos.AT_LEAST_ONCE, false, "two");
        conn.expectNoMessage(SHORT);
        assertEquals(2, kit.getState().inflight().size());
        assertEquals(1, kit.getState().queue().size());

        var result = kit.runCommand(ack(conn, 1, OutboundAck.PUBACK));

        assertEquals(List.of(new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBACK)),
                result.events().subList(0, 1));
        expectDeliver(conn, 3, Qos.AT_LEAST_ONCE, false, "three");
        assertTrue(kit.getState().queue().isEmpty());
    }

    @Test
    @DisplayName("QoS 2 outbound: the packet id stays in use through PUBREC until PUBCOMP, and the message is not kept "
            + "after PUBREC [MQTT-4.3.3-5] [MQTT-4.3.3-6]")
    void qos2FlowEndsAtPubComp() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        kit.runCommand(enqueue(delivery("t/2", Qos.EXACTLY_ONCE, "exactly")));
        expectDeliver(conn, 1, Qos.EXACTLY_ONCE, false, "exactly");
        assertEquals(InflightWindow.Stage.AWAITING_PUBREC, kit.getState().inflight().get(1).stage());

        var pubrec = kit.runCommand(ack(conn, 1, OutboundAck.PUBREC));

        assertEquals(List.of(new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBREC)), pubrec.events());
        InflightWindow.Entry waiting = kit.getState().inflight().get(1);
        assertEquals(InflightWindow.Stage.AWAITING_PUBCOMP, waiting.stage());
        assertNull(waiting.delivery());
        assertTrue(kit.getState().packetIds.isInUse(1));

        var pubcomp = kit.runCommand(ack(conn, 1, OutboundAck.PUBCOMP));

        assertEquals(List.of(new SessionEvent.OutboundAcknowledged(1, OutboundAck.PUBCOMP)), pubcomp.events());
        assertTrue(kit.getState().inflight().isEmpty());
        assertFalse(kit.getState().packetIds.isInUse(1));
        conn.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("QoS 0 while attached goes straight to the client and never to the journal")
    void qos0WhileAttachedIsDeliveredWithoutEvents() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));

        var result = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("t/0", Qos.AT_MOST_ONCE, "fire and forget"), r, 3));

        assertTrue(result.hasNoEvents());
        assertEquals(new SessionCommand.Stored(3, true), result.reply());
        expectDeliver(conn, 0, Qos.AT_MOST_ONCE, false, "fire and forget");
        assertTrue(kit.getState().queue().isEmpty());
    }

    @Test
    @DisplayName("QoS 0 for a detached session is dropped, without events, and not delivered on resume")
    void qos0WhileDetachedIsDropped() {
        kit.runCommand(attach(conn, false, ONE_HOUR));
        conn.expectMessage(opened(false));
        kit.runCommand(detach(conn, SessionEnd.NORMAL, ONE_HOUR));

        var result = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("t/0", Qos.AT_MOST_ONCE, "lost"), r, 4));

        assertTrue(result.hasNoEvents());
        assertEquals(new SessionCommand.Stored(4, false), result.reply());
        assertTrue(kit.getState().queue().isEmpty());
        TestProbe<EngineInput> again = f.connection();
        kit.runCommand(attach(again, false, ONE_HOUR));
        again.expectMessage(opened(true));
        again.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("a message for a client that has no session is refused without events")
    void messageForNoSessionIsRefused() {
        var result = kit.<SessionCommand.Stored>runCommand(r ->
                new SessionCommand.Enqueue(delivery("t/1", Qos.AT_LEAST_ONCE, "nobody"), r, 5));

        assertTrue(result.hasNoEvents());
        assertEquals(new SessionCommand.Stored(5, false), result.reply());
    }
}
