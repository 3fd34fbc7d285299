package io.courier.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttMessage;

/** What a Paho mqttv3 client receives, and whether it lost its connection, for a test to await. */
final class PahoV3Inbox implements MqttCallback {

    /** One message as the client got it. */
    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), UTF_8);
        }
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    final CountDownLatch lost = new CountDownLatch(1);

    /** The next message, which must arrive within {@link RawMqttSocket#WAIT}. */
    Received next() throws InterruptedException {
        Received r = messages.poll(RawMqttSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            fail("no message within " + RawMqttSocket.WAIT);
        }
        return r;
    }

    /** The first message that matches, skipping at most 10 others; null if none of 11 did. */
    Received nextMatching(Predicate<Received> wanted) throws InterruptedException {
        for (int i = 0; i < 11; i++) {
            Received r = next();
            if (wanted.test(r)) {
                return r;
            }
        }
        return null;
    }

    @Override
    public void connectionLost(Throwable cause) {
        lost.countDown();
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        messages.add(new Received(topic, message));
    }

    @Override
    public void deliveryComplete(IMqttDeliveryToken token) {
    }
}
