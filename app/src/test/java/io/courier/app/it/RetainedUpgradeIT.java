package io.courier.app.it;

import static io.courier.app.it.HiveMqClients.inbox;
import static io.courier.app.it.HiveMqClients.receive;
import static io.courier.app.it.HiveMqClients.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.typesafe.config.ConfigFactory;
import io.courier.broker.retained.LegacyRetainedStore;
import io.courier.broker.retained.RetainedEvent;
import io.courier.persistence.JournalConfig;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.property.MqttProperties;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The upgrade from the single-node retained store: a data directory whose LevelDB journal holds
 * retained messages under the old persistence id {@code retained} (written as that store wrote
 * them: the same events, serializer 7301) is opened by the partitioned broker, and a wildcard
 * subscriber gets every message, before and after a further restart.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RetainedUpgradeIT {

    private static final Map<String, String> OLD = new TreeMap<>(Map.of(
            "legacy/a", "kept-a",
            "legacy/b/c", "kept-b-c",
            "legacy/d/e/f", "kept-d-e-f"));

    /** Appends the commands as events under the old store's persistence id, answering each. */
    private record Write(RetainedEvent event, ActorRef<Done> replyTo) {
    }

    private static final class OldStoreJournal extends EventSourcedBehavior<Write, RetainedEvent, String> {
        OldStoreJournal() {
            super(PersistenceId.ofUniqueId(LegacyRetainedStore.PERSISTENCE_ID));
        }

        @Override
        public String emptyState() {
            return "";
        }

        @Override
        public CommandHandler<Write, RetainedEvent, String> commandHandler() {
            return newCommandHandlerBuilder().forAnyState().onCommand(Write.class, (s, w) ->
                    Effect().persist(w.event()).thenRun(x -> w.replyTo().tell(Done.getInstance()))).build();
        }

        @Override
        public EventHandler<String, RetainedEvent> eventHandler() {
            return newEventHandlerBuilder().forAnyState().onAnyEvent((s, e) -> s);
        }
    }

    private static Message retained(String topic, String payload) {
        return new Message(topic, payload.getBytes(StandardCharsets.UTF_8), Qos.AT_LEAST_ONCE, true,
                MqttProperties.EMPTY, "old-publisher", Message.NEVER);
    }

    private static void writeOldStore(Path dataDir) throws Exception {
        var config = JournalConfig.prepare(ConfigFactory.load(ConfigFactory.parseString(
                "courier.data-dir = \"" + dataDir.toString().replace("\\", "/") + "\"\n"
                        + "courier.cluster.port = 0\npekko.loglevel = WARNING\n")));
        ActorSystem<Write> system = ActorSystem.create(Behaviors.setup(ctx -> new OldStoreJournal()), "old-courier", config);
        try {
            List<RetainedEvent> events = new java.util.ArrayList<>();
            OLD.forEach((topic, payload) -> events.add(new RetainedEvent.MessageStored(retained(topic, payload))));
            events.add(new RetainedEvent.MessageStored(retained("legacy/deleted", "x")));
            events.add(new RetainedEvent.MessageDeleted("legacy/deleted"));
            for (RetainedEvent e : events) {
                AskPattern.<Write, Done>ask(system, reply -> new Write(e, reply), Duration.ofSeconds(10), system.scheduler())
                        .toCompletableFuture().get(10, TimeUnit.SECONDS);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static Map<String, String> subscribeAll(EmbeddedBroker broker) throws Exception {
        HiveMqClients clients = new HiveMqClients(broker);
        try {
            Mqtt5BlockingClient sub = clients.v5Connected(HiveMqClients.uniqueId("upgrade-sub"));
            Mqtt5BlockingClient.Mqtt5Publishes inbox = inbox(sub);
            sub.subscribeWith().topicFilter("legacy/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Map<String, String> got = new TreeMap<>();
            for (int i = 0; i < OLD.size(); i++) {
                Mqtt5Publish p = receive(inbox);
                assertTrue(p.isRetain(), "sent because retained: RETAIN 1 [MQTT-3.3.1-8]");
                got.put(p.getTopic().toString(), text(p.getPayloadAsBytes()));
            }
            assertTrue(inbox.receive(300, TimeUnit.MILLISECONDS).isEmpty(), "nothing more (the deleted topic stays deleted)");
            return got;
        } finally {
            clients.close();
        }
    }

    @Test
    @DisplayName("retained messages of the single-node store are migrated to the partitions and survive a further restart")
    void oldRetainedMessagesSurviveTheUpgrade() throws Exception {
        Path dataDir = Files.createTempDirectory("courier-upgrade-it-");
        writeOldStore(dataDir);

        try (EmbeddedBroker broker = EmbeddedBroker.start(dataDir, "")) {
            assertEquals(OLD, subscribeAll(broker));
        }
        try (EmbeddedBroker again = EmbeddedBroker.start(dataDir, "")) {
            assertEquals(OLD, subscribeAll(again), "kept by the partitions, not moved twice");
        }
    }
}
