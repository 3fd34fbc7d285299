package io.courier.broker.session;

import static io.courier.broker.session.SessionFixture.ONE_HOUR;
import static io.courier.broker.session.SessionFixture.SHORT;
import static io.courier.broker.session.SessionFixture.attach;
import static io.courier.broker.session.SessionFixture.detach;
import static io.courier.broker.session.SessionFixture.entry;
import static io.courier.broker.session.SessionFixture.subscribe;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.courier.protocol.engine.Effect.SessionEnd;
import io.courier.protocol.engine.EngineInput;
import io.courier.protocol.packet.Qos;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the session decides after its connection is gone: the will (and its delay) and the
 * session's expiry. Real timers with delays of a few seconds at most; waits are probe timeouts.
 * Sessions here are plain actors (see {@link #attachedWithWill}); the journal is read directly.
 */
class SessionTimersTest {

    private static ActorTestKit testKit;

    private SessionFixture f;
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
        conn = f.connection();
    }

    /**
     * A session attached with this fixture's will, as a plain actor: a session with expiry 0
     * stops when it detaches, which the EventSourcedBehaviorTestKit cannot survive.
     */
    private ActorRef<SessionCommand> attachedWithWill(long expiry, long willDelay) {
        ActorRef<SessionCommand> session = f.spawn();
        session.tell(f.attachWithWill(conn, expiry, willDelay));
        conn.expectMessage(new EngineInput.SessionOpened(false));
        return session;
    }

    @ParameterizedTest(name = "session expiry {0} s")
    @ValueSource(longs = {0, ONE_HOUR})
    @DisplayName("a connection lost without DISCONNECT publishes the will at once when it has no delay [MQTT-3.1.2-8]")
    void abnormalDisconnectPublishesTheWill(long expiry) {
        var session = attachedWithWill(expiry, 0);

        session.tell(detach(conn, SessionEnd.ABNORMAL, expiry));

        f.expectWill(Duration.ofSeconds(2));
        f.subscriber.expectNoMessage(SHORT);
    }

    @ParameterizedTest(name = "session expiry {0} s")
    @ValueSource(longs = {0, ONE_HOUR})
    @DisplayName("DISCONNECT with reason 0x00 discards the will [MQTT-3.14.4-3]")
    void normalDisconnectDiscardsTheWill(long expiry) {
        var session = attachedWithWill(expiry, 0);

        session.tell(detach(conn, SessionEnd.NORMAL, expiry));

        f.subscriber.expectNoMessage(Duration.ofMillis(500));
        if (expiry > 0) {
            var detached = (SessionEvent.Detached) f.journal().get(1);
            assertFalse(detached.keepWill(), "the will is dropped with the detach");
        }
    }

    @Test
    @DisplayName("DISCONNECT with reason 0x04 publishes the will (3.14.2.1)")
    void disconnectWithWillPublishesIt() {
        var session = attachedWithWill(ONE_HOUR, 0);

        session.tell(detach(conn, SessionEnd.WITH_WILL, ONE_HOUR));

        f.expectWill(Duration.ofSeconds(2));
    }

    @Test
    @DisplayName("the will waits for its delay, then goes out once [MQTT-3.1.2-8] (3.1.3.2.2)")
    void willWaitsForItsDelay() {
        var session = attachedWithWill(ONE_HOUR, 1);

        session.tell(detach(conn, SessionEnd.ABNORMAL, ONE_HOUR));

        f.subscriber.expectNoMessage(Duration.ofMillis(700));
        f.expectWill(Duration.ofSeconds(2));
        f.subscriber.expectNoMessage(SHORT);
        assertEquals(SessionEvent.WillPublished.class, f.journalTypes().get(f.journalTypes().size() - 1));
    }

    @Test
    @DisplayName("a reconnect within the will delay cancels the will [MQTT-3.1.3-9]")
    void reconnectWithinTheWillDelayCancelsTheWill() {
        var session = attachedWithWill(ONE_HOUR, 2);
        session.tell(detach(conn, SessionEnd.ABNORMAL, ONE_HOUR));
        f.subscriber.expectNoMessage(Duration.ofMillis(500));

        TestProbe<EngineInput> again = f.connection();
        session.tell(attach(again, false, ONE_HOUR));

        again.expectMessage(new EngineInput.SessionOpened(true));
        f.subscriber.expectNoMessage(Duration.ofMillis(2500));
    }

    @Test
    @DisplayName("a will delay longer than the session expiry: the will goes out when the session ends (3.1.3.2.2), "
            + "and the session stops")
    void willDelayLongerThanExpiryPublishesAtExpiry() {
        ActorRef<SessionCommand> session = attachedWithWill(1, 3);
        TestProbe<Object> watcher = testKit.createTestProbe();
        long detachedAt = System.nanoTime();

        session.tell(detach(conn, SessionEnd.ABNORMAL, 1));

        f.expectWill(Duration.ofMillis(2500));
        assertTrue(System.nanoTime() - detachedAt < Duration.ofSeconds(3).toNanos(), "the will came before its delay");
        watcher.expectTerminated(session, Duration.ofSeconds(2));
        f.subscriber.expectNoMessage(SHORT);
    }

    @Test
    @DisplayName("a detached session expires after its Session Expiry Interval: subscriptions leave the trie, the "
            + "entity stops, and a later clean start 0 finds no session (3.1.2.11.2) [MQTT-3.2.2-3]")
    void sessionExpires() {
        ActorRef<SessionCommand> session = f.spawn();
        TestProbe<Object> watcher = testKit.createTestProbe();
        session.tell(attach(conn, false, 1));
        conn.expectMessage(new EngineInput.SessionOpened(false));
        session.tell(subscribe(conn, 1, entry("e/1", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);

        session.tell(detach(conn, SessionEnd.NORMAL, 1));

        watcher.expectTerminated(session, Duration.ofSeconds(3));
        assertEquals(List.of(), f.trieFilters());
        List<Class<?>> journal = f.journalTypes();
        assertEquals(SessionEvent.Ended.class, journal.get(journal.size() - 1));

        TestProbe<EngineInput> later = f.connection();
        ActorRef<SessionCommand> again = f.spawn();
        again.tell(attach(later, false, 1));
        later.expectMessage(new EngineInput.SessionOpened(false));
        assertEquals(List.of(), f.trieFilters());
        testKit.stop(again);
    }

    @Test
    @DisplayName("a session with expiry 0 ends when its connection does: it stops and leaves the trie")
    void sessionWithoutExpiryEndsWithItsConnection() {
        ActorRef<SessionCommand> session = f.spawn();
        TestProbe<Object> watcher = testKit.createTestProbe();
        session.tell(attach(conn, true, 0));
        conn.expectMessage(new EngineInput.SessionOpened(false));
        session.tell(subscribe(conn, 1, entry("e/0", Qos.AT_LEAST_ONCE)));
        conn.expectMessageClass(EngineInput.Subscribed.class);
        assertEquals(List.of("e/0"), f.trieFilters());

        session.tell(detach(conn, SessionEnd.NORMAL, 0));

        watcher.expectTerminated(session, Duration.ofSeconds(2));
        assertEquals(List.of(), f.trieFilters());
        assertEquals(List.of(), f.journal());
    }
}
