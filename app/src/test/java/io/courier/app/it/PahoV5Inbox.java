package io.courier.app.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;

/** What a Paho mqttv5 client receives, and how its connection ended, for a test to await. */
final class PahoV5Inbox implements MqttCallback {

    /** One message as the client got it. */
    record Received(String topic, MqttMessage message) {
        String text() {
            return new String(message.getPayload(), UTF_8);
        }
    }

    final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
    /** Completed by the broker's DISCONNECT or the loss of the connection. */
    final CompletableFuture<MqttDisconnectResponse> disconnected = new CompletableFuture<>();

    /** The next message, which must arrive within {@link RawMqttSocket#WAIT}. */
    Received next() throws InterruptedException {
        Received r = messages.poll(RawMqttSocket.WAIT.toMillis(), TimeUnit.MILLISECONDS);
        if (r == null) {
            fail("no message within " + RawMqttSocket.WAIT);
        }
        return r;
    }

    @Override
    public void disconnected(MqttDisconnectResponse response) {
        disconnected.complete(response);
    }

    @Override
    public void mqttErrorOccurred(MqttException exception) {
    }

    @Override
    public void messageArrived(String topic, MqttMessage message) {
        messages.add(new Received(topic, message));
    }

    @Override
    public void deliveryComplete(IMqttToken token) {
    }

    @Override
    public void connectComplete(boolean reconnect, String serverUri) {
    }

    @Override
    public void authPacketArrived(int reasonCode, MqttProperties properties) {
    }
}
