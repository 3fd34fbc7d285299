package io.courier.broker.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.courier.broker.routing.NodeRouter;
import io.courier.broker.routing.Route;
import io.courier.broker.session.SessionCommand;
import io.courier.protocol.message.Message;
import io.courier.protocol.packet.Qos;
import io.courier.protocol.packet.SubscriptionOptions;
import io.courier.protocol.property.MqttProperties;
import io.courier.protocol.property.PropertyId;
import java.io.NotSerializableException;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** A forward to another node's router survives Pekko serialization, found by its binding. */
class ForwardSerializationTest {

    private static final ActorTestKit TEST_KIT = ActorTestKit.create();
    private static final Serialization SERIALIZATION = SerializationExtension.get(Adapter.toClassic(TEST_KIT.system()));

    @AfterAll
    static void shutdown() {
        TEST_KIT.shutdownTestKit();
    }

    private static Object roundTrip(Object o) {
        Serializer serializer = SERIALIZATION.findSerializerFor(o);
        assertInstanceOf(ClusterMessageSerializer.class, serializer);
        byte[] bytes = SERIALIZATION.serialize(o).get();
        return SERIALIZATION.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, o)).get();
    }

    @Test
    void forwardWithPicksAndReplyAddressRoundTrips() {
        Message message = new Message("a/b", new byte[] {1, 2}, Qos.EXACTLY_ONCE, true,
                MqttProperties.builder().add(PropertyId.CONTENT_TYPE, "text/plain").user("k", "v").build(), "pub", 123L);
        var forward = new NodeRouter.Forward(message, TEST_KIT.createTestProbe(SessionCommand.Stored.class).ref(), 99L, true,
                List.of(new NodeRouter.SharedPick("m1", new Route(new SubscriptionOptions(Qos.AT_LEAST_ONCE, false, true, 1), 42)),
                        new NodeRouter.SharedPick("m2", new Route(SubscriptionOptions.of(Qos.AT_MOST_ONCE), 0))));
        assertEquals(forward, roundTrip(forward));
    }

    @Test
    void forwardOfAQos0MessageWithoutReplyAddressRoundTrips() {
        Message message = new Message("x", new byte[0], Qos.AT_MOST_ONCE, false, MqttProperties.EMPTY, "p", Message.NEVER);
        var forward = new NodeRouter.Forward(message, null, 0, false, List.of());
        assertEquals(forward, roundTrip(forward));
    }

    @Test
    void unknownManifestIsRefused() {
        var serializer = new ClusterMessageSerializer((org.apache.pekko.actor.ExtendedActorSystem) Adapter.toClassic(TEST_KIT.system()));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(new byte[0], "Backward"));
    }
}
