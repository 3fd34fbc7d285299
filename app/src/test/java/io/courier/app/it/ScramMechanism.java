package io.courier.app.it;

import com.hivemq.client.mqtt.datatypes.MqttUtf8String;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientConfig;
import com.hivemq.client.mqtt.mqtt5.auth.Mqtt5EnhancedAuthMechanism;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5Auth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5AuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuth;
import com.hivemq.client.mqtt.mqtt5.message.auth.Mqtt5EnhancedAuthBuilder;
import com.hivemq.client.mqtt.mqtt5.message.connect.Mqtt5Connect;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5Disconnect;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SCRAM-SHA-256 as the HiveMQ client's enhanced authentication mechanism: CONNECT carries the
 * client-first message, the server's AUTH 0x18 gets the client-final message, and the CONNACK's
 * (or AUTH 0x00's) data must prove the server knows the user, else the client refuses it.
 * Re-authentication runs the same exchange with {@link #reauthPassword}. Records what happened
 * for the test to check.
 */
final class ScramMechanism implements Mqtt5EnhancedAuthMechanism {

    private final String user;
    private final String password;
    volatile String reauthPassword;
    private volatile ScramClient scram;
    final AtomicInteger serverVerified = new AtomicInteger();
    volatile Mqtt5ConnAckReasonCode rejected;
    volatile Mqtt5DisconnectReasonCode reauthRejected;
    volatile String method;

    ScramMechanism(String user, String password) {
        this.user = user;
        this.password = password;
        this.reauthPassword = password;
    }

    @Override
    public MqttUtf8String getMethod() {
        return MqttUtf8String.of("SCRAM-SHA-256");
    }

    @Override
    public int getTimeout() {
        return 10;
    }

    @Override
    public CompletableFuture<Void> onAuth(Mqtt5ClientConfig config, Mqtt5Connect connect, Mqtt5EnhancedAuthBuilder auth) {
        scram = new ScramClient(user, password);
        auth.data(scram.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> onReAuth(Mqtt5ClientConfig config, Mqtt5AuthBuilder auth) {
        scram = new ScramClient(user, reauthPassword);
        auth.data(scram.clientFirst());
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Boolean> onServerReAuth(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder builder) {
        return CompletableFuture.completedFuture(false);
    }

    @Override
    public CompletableFuture<Boolean> onContinue(Mqtt5ClientConfig config, Mqtt5Auth auth, Mqtt5AuthBuilder builder) {
        try {
            builder.data(scram.clientFinal(bytes(auth)));
            return CompletableFuture.completedFuture(true);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<Boolean> onAuthSuccess(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        method = connAck.getEnhancedAuth().map(a -> a.getMethod().toString()).orElse(null);
        return verify(connAck.getEnhancedAuth().map(ScramMechanism::bytes).orElse(null));
    }

    @Override
    public CompletableFuture<Boolean> onReAuthSuccess(Mqtt5ClientConfig config, Mqtt5Auth auth) {
        return verify(bytes(auth));
    }

    private CompletableFuture<Boolean> verify(byte[] serverFinal) {
        try {
            boolean ok = scram.serverVerified(serverFinal);
            if (ok) {
                serverVerified.incrementAndGet();
            }
            return CompletableFuture.completedFuture(ok);
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void onAuthRejected(Mqtt5ClientConfig config, Mqtt5ConnAck connAck) {
        rejected = connAck.getReasonCode();
    }

    @Override
    public void onReAuthRejected(Mqtt5ClientConfig config, Mqtt5Disconnect disconnect) {
        reauthRejected = disconnect.getReasonCode();
    }

    @Override
    public void onAuthError(Mqtt5ClientConfig config, Throwable cause) {
    }

    @Override
    public void onReAuthError(Mqtt5ClientConfig config, Throwable cause) {
    }

    private static byte[] bytes(Mqtt5EnhancedAuth auth) {
        return auth.getData().map(ScramMechanism::copy).orElse(null);
    }

    private static byte[] copy(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }
}
